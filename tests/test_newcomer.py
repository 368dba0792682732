"""The path a new contributor takes: commands work on the package in the current directory and
say which; the summary and the codebook read well in a terminal; options say their range."""

import re

import pytest

import incidents
from incidents._paths import bundled_root, package_root
from incidents.cli import main
from tests.conftest import set_cell


def test_package_root_prefers_the_current_directory(package, tmp_path):
    assert package_root(None, cwd=package) == package
    empty = tmp_path / "empty"
    empty.mkdir()
    assert package_root(None, cwd=empty) == bundled_root()
    assert package_root(empty, cwd=package) == empty


def test_validate_in_a_broken_checkout_reports_the_row(package, monkeypatch, capsys):
    set_cell(package, "claims", 0, "low", "-7")
    monkeypatch.chdir(package)
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"package: {package.resolve()} (current directory)"
    assert "data/claims.csv, line 2, column low, value '-7'" in out


def test_json_report_stays_one_document(package, monkeypatch, capsys):
    import json

    monkeypatch.chdir(package)
    assert main(["validate", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["valid"] is True
    assert captured.err.startswith("package: ")


def test_build_and_fmt_write_the_package_in_the_current_directory(package, monkeypatch,
                                                                    capsys):
    descriptor = package / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"bytes"', '"bytes" ')
                          , encoding="utf-8")
    monkeypatch.chdir(package)
    assert main(["build", "--check"]) == 1
    assert main(["build"]) == 0
    assert main(["build", "--check"]) == 0
    assert f"wrote {descriptor}" in capsys.readouterr().out


def test_summary_fits_100_columns_wraps_and_explains(package, capsys):
    long_place = "A place whose name runs on " + "and on " * 30 + "to its very last word"
    set_cell(package, "incidents", 0, "location", long_place)
    assert main(["summary", str(package)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(map(len, lines)) <= 100
    assert lines[0].startswith("package: ")
    assert '"-" when no claim gives a figure' in out
    # wrapped onto indented lines, every word kept
    assert long_place in " ".join(line.strip() for line in lines)


def test_summary_does_not_need_the_validator(package):
    import subprocess
    import sys

    # it reads the tables with the loader and counts conflicts by the validator's own rule
    # (incidents.table_rules), without the validator or pandera
    code = ("import sys\nfrom incidents.summary import render_summary\n"
            f"render_summary({str(package)!r})\n"
            "print(sorted(m for m in sys.modules if m.startswith(('incidents.validate.package', "
            "'incidents.validate.fields', 'incidents.schema', 'pandera'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_codebook_shows_codes_and_definitions(capsys):
    assert main(["codebook", "claims"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^measure \(string, required\)$", out, re.MULTILINE)
    assert "      - killed: People killed." in out
    assert max(map(len, out.splitlines())) <= 100


def test_codebook_without_a_table_lists_the_tables(capsys):
    assert main(["codebook"]) == 0
    out = capsys.readouterr().out
    for table in ("incidents", "claims", "sources", "actors", "flat"):
        assert re.search(rf"^  {table}: ", out, re.MULTILINE)


@pytest.mark.parametrize("args,words", [
    (["--max-examples", "-1"], "-1 is outside 1..100000"),
    (["--max-examples", "0"], "0 is outside 1..100000"),
    (["--max-bytes", "0"], "0 is outside 1..1099511627776"),
    (["--max-bytes", "ten"], "'ten' is not a whole number"),
])
def test_numeric_options_say_their_range(args, words, capsys):
    assert main(["validate", *args]) == 2
    assert words in capsys.readouterr().err


def test_schema_is_reachable_from_the_package():
    assert incidents.schema.MODELS["claims"].validate(incidents.load("claims")) is not None


def test_public_names_do_not_import_the_validator_on_load():
    import subprocess
    import sys

    code = ("import sys, incidents\nincidents.load()\n"
            "print(any(m.startswith('pandera') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
