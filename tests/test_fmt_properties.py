"""fmt never changes a value: line breaks of every kind, quotes and commas inside cells."""

import csv
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.fmt import FormatError, format_package
from incidents.validate.package import validate_package
from tests.conftest import copy_package, read_rows

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)
cells = st.lists(st.sampled_from(["a", "é", " ", ",", '"', "\r", "\n", "\r\n", "x"]),
                max_size=8).map("".join)


def _write(path: Path, rows: list[list[str]], quoting: int) -> None:
    """Valid CSV: Python's csv writer leaves a lone CR unquoted when lines end in LF."""
    def cell(text: str) -> str:
        if quoting == csv.QUOTE_ALL or any(c in text for c in ',"\r\n'):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [",".join(cell(c) for c in row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


@SETTINGS
@given(notes=st.lists(cells, min_size=1, max_size=6), all_quoted=st.booleans(),
       reverse=st.booleans())
def test_fmt_keeps_every_value(notes, all_quoted, reverse):
    pkg = copy_package(Path(tempfile.mkdtemp()) / "pkg")
    rows = read_rows(pkg, "actors")
    header, body = rows[0], rows[1:]
    note = header.index("note")
    for row, text in zip(body, notes, strict=False):
        row[note] = text
    if reverse:
        body = body[::-1]
    _write(pkg / "data" / "actors.csv", [header, *body],
           csv.QUOTE_ALL if all_quoted else csv.QUOTE_MINIMAL)
    _changed, errors = format_package(pkg)
    assert errors == []
    after = read_rows(pkg, "actors")
    assert after[0] == header
    assert sorted(after[1:]) == sorted(body)
    assert [r[0] for r in after[1:]] == sorted(r[0] for r in body)
    # and a second run finds nothing to do
    assert format_package(pkg) == ([], [])


def test_lone_carriage_return_in_a_quoted_cell_stays_in_its_cell(package):
    rows = read_rows(package, "actors")
    rows[1][rows[0].index("note")] = "before\rafter"
    _write(package / "data" / "actors.csv", rows, csv.QUOTE_MINIMAL)
    format_package(package)
    after = read_rows(package, "actors")
    assert len(after) == len(rows)
    assert after[1][rows[0].index("note")] == "before\rafter"
    assert b'"before\rafter"' in (package / "data" / "actors.csv").read_bytes()


def test_validate_and_fmt_agree_on_canonical_form(package):
    rows = read_rows(package, "actors")
    rows[1][rows[0].index("note")] = 'a "quoted", word'
    _write(package / "data" / "actors.csv", rows, csv.QUOTE_ALL)
    report = validate_package(package)
    assert "canonical-form" in {p.rule for p in report.problems}
    format_package(package)
    report = validate_package(package)
    assert "canonical-form" not in {p.rule for p in report.problems}


def test_unclosed_quote_is_a_message_not_a_traceback(package, capsys):
    from incidents.cli import main

    path = package / "data" / "actors.csv"
    before = path.read_bytes()
    path.write_bytes(before + b'zz-actor,"never closed,independent,monitor,\n')
    assert main(["fmt", str(package)]) == 2
    err = capsys.readouterr().err
    assert "actors.csv" in err and "Traceback" not in err
    assert path.read_bytes() == before + b'zz-actor,"never closed,independent,monitor,\n'


def test_huge_cell_is_kept_whole(package):
    rows = read_rows(package, "actors")
    rows[1][rows[0].index("note")] = "x" * 300_000
    _write(package / "data" / "actors.csv", rows, csv.QUOTE_MINIMAL)
    _changed, errors = format_package(package)
    assert errors == []
    assert read_rows(package, "actors")[1][rows[0].index("note")] == "x" * 300_000


def test_format_error_names_the_file(tmp_path):
    from incidents.fmt import format_file

    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,2,3\n")
    try:
        format_file(path, ["a", "b"], ["a"])
    except FormatError as exc:
        assert str(path) in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a ragged row must not be formatted")
