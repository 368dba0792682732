"""Hostile packages: every command and load() stays inside the package, refuses what is not a
regular file there, never hangs and never prints a traceback."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import incidents
from incidents import schema
from incidents.descriptor import (
    MAX_DESCRIPTOR_BYTES,
    PackageError,
    read_descriptor,
    resource_path,
)
from incidents.load import DataError, load_table

TABLES = ("incidents", "claims", "sources", "actors")
# generous: a refusal takes well under a second; a hang would take for ever
TIMEOUT = 120


def run_cli(*args, cwd=None):
    """Run the command in a child, so a hang fails the test instead of stopping the suite."""
    return subprocess.run([sys.executable, "-m", "incidents.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd)


def run_python(code: str):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=TIMEOUT)


def set_path(pkg: Path, table: str, path) -> None:
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        if res["name"] == table:
            res["path"] = path
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def snapshot(directory: Path) -> dict:
    """Bytes hash of every regular file under ``directory`` (links not followed)."""
    out = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def outside(tmp_path):
    """A directory next to the package, holding a file that must never be read or changed."""
    out = tmp_path / "outside"
    out.mkdir()
    return out


# each case: (name, how to break the package, the words the refusal must contain)
def _link_out(pkg, outside):
    target = outside / "actors.csv"
    target.write_bytes((pkg / "data" / "actors.csv").read_bytes())
    (pkg / "data" / "actors.csv").unlink()
    (pkg / "data" / "actors.csv").symlink_to(target)


def _dotdot(pkg, outside):
    (outside / "x.csv").write_bytes((pkg / "data" / "actors.csv").read_bytes())
    set_path(pkg, "actors", f"../{outside.name}/x.csv")


def _absolute(pkg, outside):
    set_path(pkg, "actors", "/etc/passwd")


def _url(pkg, outside):
    set_path(pkg, "actors", "http://example.com/actors.csv")


def _dev_zero(pkg, outside):
    set_path(pkg, "actors", "/dev/zero")


def _link_dev_zero(pkg, outside):
    (pkg / "data" / "actors.csv").unlink()
    (pkg / "data" / "actors.csv").symlink_to("/dev/zero")


def _fifo(pkg, outside):
    (pkg / "data" / "actors.csv").unlink()
    os.mkfifo(pkg / "data" / "actors.csv")


def _directory(pkg, outside):
    (pkg / "data" / "actors.csv").unlink()
    (pkg / "data" / "actors.csv").mkdir()


def _nested(pkg, outside):
    (pkg / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")


def _huge(pkg, outside):
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["padding"] = "x" * (MAX_DESCRIPTOR_BYTES + 10)
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def _name_list(pkg, outside):
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["name"] = ["incidents"]
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def _descriptor_fifo(pkg, outside):
    (pkg / "datapackage.json").unlink()
    os.mkfifo(pkg / "datapackage.json")


def _descriptor_link_out(pkg, outside):
    target = outside / "datapackage.json"
    target.write_bytes((pkg / "datapackage.json").read_bytes())
    (pkg / "datapackage.json").unlink()
    (pkg / "datapackage.json").symlink_to(target)


CASES = {
    "symlink-out": (_link_out, "symbolic link to a file outside the package"),
    "dotdot": (_dotdot, "contains '..'"),
    "absolute": (_absolute, "absolute path"),
    "url": (_url, "is a URL"),
    "dev-zero": (_dev_zero, "absolute path"),
    "symlink-dev-zero": (_link_dev_zero, "symbolic link to a character device"),
    "fifo": (_fifo, "is a FIFO"),
    "directory": (_directory, "is a directory"),
    "nested": (_nested, "nests arrays or objects more than"),
    "huge": (_huge, "more than the limit of 1048576 bytes"),
    "name-list": (_name_list, "has a name that is list, not a string"),
    "descriptor-fifo": (_descriptor_fifo, "is a FIFO"),
    "descriptor-link-out": (_descriptor_link_out, "symbolic link to a file outside"),
}


# only the descriptor is hostile here: build writes a fresh one from the data files
REPAIRABLE = {"dotdot", "absolute", "url", "dev-zero", "nested", "huge", "name-list"}


@pytest.fixture(params=sorted(CASES))
def hostile(request, package, outside):
    breaker, words = CASES[request.param]
    breaker(package, outside)
    return package, outside, words, request.param


def test_load_refuses_with_a_message_that_says_what_it_is(hostile):
    pkg, outside, words, _ = hostile
    before = snapshot(outside)
    # in a child: a reader that blocked on a FIFO would fail on the timeout, not hang
    code = ("import sys, incidents\n"
            "from pathlib import Path\n"
            "for t in ('flat', 'incidents', 'claims', 'sources', 'actors'):\n"
            "    try:\n"
            f"        incidents.load(t, Path({str(pkg)!r}))\n"
            "    except (incidents.PackageError, incidents.DataError) as exc:\n"
            "        print(type(exc).__name__, exc)\n"
            "        sys.exit(3)\n")
    result = run_python(code)
    assert result.returncode == 3, result.stdout + result.stderr
    assert words in result.stdout
    assert "Traceback" not in result.stderr
    assert snapshot(outside) == before


COMMANDS = [["summary"], ["build", "--check"], ["validate"], ["validate", "--format", "json"],
            ["fmt", "--check"], ["build"]]

# runs every command in one child (build last: it may repair the descriptor), so a command
# that blocked would fail on the timeout instead of stopping the suite
RUN_ALL = """
import contextlib, io, json, sys
from incidents.cli import main
results = []
for command in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(command + [sys.argv[2]])
        except BaseException as exc:
            code = "raised " + type(exc).__name__
    results.append([command, code, out.getvalue() + err.getvalue()])
print(json.dumps(results))
"""


def test_commands_refuse_without_traceback_or_touching_outside(hostile):
    pkg, outside, words, name = hostile
    before = snapshot(outside)
    result = subprocess.run([sys.executable, "-c", RUN_ALL, json.dumps(COMMANDS), str(pkg)],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for command, code, output in json.loads(result.stdout):
        assert "Traceback" not in output, (command, output)
        if command == ["build"] and name in REPAIRABLE:
            # build regenerates the descriptor from data/<table>.csv: a bad one is replaced
            assert code == 0, (command, output)
            assert run_cli("build", "--check", pkg).returncode == 0
            continue
        assert isinstance(code, int) and code != 0, (command, code, output)
        expected = words
        if command == ["build"] and name == "descriptor-link-out":
            # build refuses to write through any link, inside or out
            expected = "is a symbolic link; refusing to write through it"
        if command == ["summary"] or (command[0] == "build" and name not in REPAIRABLE):
            assert expected in output, (command, output)
    assert snapshot(outside) == before
    assert not any(p.name.endswith(".tmp") for p in pkg.rglob("*") if not p.is_symlink())


def test_public_validate_refuses_unsafe_packages(hostile):
    pkg, outside = hostile[:2]
    before = snapshot(outside)
    code = ("import incidents\n"
            "try:\n"
            f"    report = incidents.validate({str(pkg)!r})\n"
            "except incidents.PackageError as exc:\n"
            "    print('refused', exc)\n"
            "else:\n"
            "    print('ok' if report.ok else 'invalid')\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] in ("refused", "invalid"), result.stdout
    assert snapshot(outside) == before


def test_build_refuses_a_symlinked_descriptor_inside_the_package(package):
    real = package / "real.json"
    real.write_bytes(b"{}")
    (package / "datapackage.json").unlink()
    (package / "datapackage.json").symlink_to(real)
    result = run_cli("build", package)
    assert result.returncode == 2
    assert "symbolic link" in result.stderr
    assert real.read_bytes() == b"{}"


def test_resource_path_accepts_the_bundled_layout(package):
    descriptor = read_descriptor(package)
    for table in TABLES:
        assert resource_path(package, descriptor, table) == package / "data" / f"{table}.csv"


def test_resource_path_allows_a_link_that_stays_inside(package):
    (package / "data" / "actors.csv").rename(package / "actors-real.csv")
    (package / "data" / "actors.csv").symlink_to(package / "actors-real.csv")
    assert len(load_table("actors", package)) > 0


@pytest.mark.parametrize("bad", ["", "a\\b.csv", "data/\x00.csv", "C:/x.csv", "//host/x.csv",
                                 "file:///etc/passwd", ["data/a.csv", "data/b.csv"], 7, None,
                                 "data/../../x.csv"])
def test_resource_path_refuses_unsafe_values(package, bad):
    descriptor = {"resources": [{"name": "actors", "path": bad}]}
    with pytest.raises(PackageError):
        resource_path(package, descriptor, "actors")


def test_missing_file_is_named(package):
    (package / "data" / "actors.csv").unlink()
    with pytest.raises(PackageError, match=r"data/actors\.csv: does not exist"):
        load_table("actors", package)


def test_table_missing_a_column_is_a_data_error(package):
    from tests.conftest import read_rows, write_rows

    rows = [row[:-1] for row in read_rows(package, "actors")]
    write_rows(package, "actors", rows, rebuild=False)
    with pytest.raises(DataError, match="column"):
        load_table("actors", package)


def test_date_the_loader_cannot_hold_is_a_data_error(package):
    from tests.conftest import set_cell

    set_cell(package, "incidents", 0, "date", "1600-01-01")
    with pytest.raises(DataError, match="1600-01-01"):
        incidents.load(root=package)


def test_descriptor_without_views_still_loads(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["views"]
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert list(incidents.load(root=package).columns) == list(incidents.load().columns)
    result = run_cli("summary", package)
    assert result.returncode == 0, result.stderr


def test_malformed_descriptor_is_reported_not_refused(package):
    (package / "datapackage.json").write_text("{not json", encoding="utf-8")
    result = run_cli("validate", package)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    with pytest.raises(PackageError, match="not valid JSON"):
        incidents.load(root=package)


def test_build_never_writes_into_the_installed_copy(tmp_path, monkeypatch):
    from incidents import _paths
    from incidents.cli import main

    wheel = tmp_path / "_data"
    (wheel / "data").mkdir(parents=True)
    (wheel / "datapackage.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(_paths, "_PACKAGE_DIR", tmp_path)
    monkeypatch.chdir(tmp_path / "_data" / "data")  # no datapackage.json here
    assert _paths.package_root(None) == wheel
    assert main(["build"]) == 2
    assert (wheel / "datapackage.json").read_text(encoding="utf-8") == "{}"


def test_conventional_file_linked_out_is_refused_even_when_unnamed(package, outside):
    # the descriptor names another file for actors; data/actors.csv itself links out
    set_path(package, "actors", "data/actors-copy.csv")
    (package / "data" / "actors-copy.csv").write_bytes(
        (package / "data" / "actors.csv").read_bytes())
    _link_out(package, outside)
    before = snapshot(outside)
    for command in (["fmt"], ["validate"]):
        result = run_cli(*command, package)
        assert result.returncode != 0
        assert "data/actors.csv: is a symbolic link to a file outside" in result.stdout
    assert snapshot(outside) == before


def test_refusal_keeps_the_report_format(package, outside):
    _link_out(package, outside)
    result = run_cli("validate", "--format", "json", package)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"][0]["file"] == "data/actors.csv"
    assert "symbolic link" in report["problems"][0]["message"]
    assert report["problems"][0]["rule"] == "unsafe-path"
    assert report["problems"][0]["hint"] == schema.RULES["unsafe-path"].hint
    result = run_cli("validate", "--format", "github", package)
    assert "::error file=data/actors.csv,title=unsafe-path::" in result.stdout
