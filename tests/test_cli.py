"""The command line: exit codes, report formats, and never a traceback."""

import json
import subprocess
import sys

import pytest

from incidents.cli import main
from tests.conftest import set_cell


def run(*args):
    return subprocess.run([sys.executable, "-m", "incidents.cli", *map(str, args)],
                          capture_output=True, text=True)


def test_validate_bundled_exits_0(capsys):
    assert main(["validate"]) == 0
    assert "valid, 0 error(s)" in capsys.readouterr().out


def test_validate_broken_exits_1_with_precise_message(package, capsys):
    set_cell(package, "claims", 0, "low", "-7")
    assert main(["validate", str(package)]) == 1
    out = capsys.readouterr().out
    assert "data/claims.csv, line 2, column low, value '-7'" in out
    assert "[minimum]" in out


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing")]) == 2
    assert main(["validate", "--format", "xml"]) == 2
    assert main(["no-such-command"]) == 2
    assert main([]) == 2


def test_json_format_lists_every_problem(package, capsys):
    set_cell(package, "claims", 0, "low", "-7")
    set_cell(package, "actors", 0, "side", "neutral")
    assert main(["validate", str(package), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    rules = {(p["file"], p["rule"], p["line"]) for p in report["problems"]}
    assert ("data/claims.csv", "minimum", 2) in rules
    assert ("data/actors.csv", "enum", 2) in rules
    assert all(p["hint"] for p in report["problems"])


def test_github_format_annotates_lines(package, capsys):
    set_cell(package, "sources", 0, "url", "ftp://example.com")
    assert main(["validate", str(package), "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=data/sources.csv,line=2,title=pattern::" in out


def test_text_report_is_bounded_for_many_problems(package, capsys):
    from tests.conftest import read_rows, write_rows

    rows = read_rows(package, "claims")
    col = rows[0].index("stance")
    for row in rows[1:]:
        row[col] = "shouts"
    write_rows(package, "claims", rows)
    assert main(["validate", str(package), "--max-examples", "2"]) == 1
    out = capsys.readouterr().out
    if len(rows) > 3:
        assert "more (all of them with --format json)" in out


@pytest.mark.parametrize("damage", [b"", b"\xff\xfe\x00garbage", b"a;b;c\n1;2;3\n"])
def test_no_traceback_on_garbage(package, damage):
    (package / "data" / "claims.csv").write_bytes(damage)
    (package / "datapackage.json").write_bytes(b"\x00not json")
    result = run("validate", package)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_summary_prints_incidents(capsys):
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "SYR-" in out and "claims" in out


def test_build_check(package, capsys):
    assert main(["build", str(package), "--check"]) == 0
    path = package / "data" / "actors.csv"
    path.write_bytes(path.read_bytes().replace(b"Airwars", b"AirWars"))
    assert main(["build", str(package), "--check"]) == 1
    assert main(["build", str(package)]) == 0
    assert main(["build", str(package), "--check"]) == 0


def test_codebook_markdown(capsys):
    assert main(["codebook", "claims", "--markdown"]) == 0
    assert "`claims.qualifier`" in capsys.readouterr().out


def test_version(capsys):
    from incidents import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == __version__
