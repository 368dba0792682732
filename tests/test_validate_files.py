"""Broken files: every one is reported with where and why, and none raises."""

import json

import pytest

from incidents.datapackage import write_descriptor
from incidents.validate.package import UsageError, validate_package
from tests.conftest import TODAY, check, find, read_rows, write_rows


def raw(package, table="claims") -> bytes:
    return (package / "data" / f"{table}.csv").read_bytes()


def put(package, data: bytes, table="claims", rebuild=True) -> None:
    (package / "data" / f"{table}.csv").write_bytes(data)
    if rebuild:
        write_descriptor(package)


def test_ragged_row(package):
    data = raw(package).split(b"\n")
    data[2] = data[2] + b",extra"
    put(package, b"\n".join(data))
    problem = find(check(package), "row-length")
    assert problem.line == 3
    assert problem.file == "data/claims.csv"


def test_short_row(package):
    data = raw(package, "actors").split(b"\n")
    data[1] = b"lonely-actor,Lonely"
    put(package, b"\n".join(data), "actors")
    assert find(check(package), "row-length").line == 2


def test_unterminated_quote(package):
    data = raw(package, "sources").split(b"\n")
    data[1] = data[1].replace(b",", b',"broken', 1)
    put(package, b"\n".join(data), "sources")
    report = check(package)
    assert not report.ok
    assert {"csv-syntax", "row-length"} & {p.rule for p in report.errors}


def test_semicolon_delimiter(package):
    rows = read_rows(package, "actors")
    text = "\n".join(";".join(r) for r in rows) + "\n"
    put(package, text.encode(), "actors")
    problem = find(check(package), "delimiter")
    assert problem.line == 1


def test_byte_order_mark(package):
    put(package, b"\xef\xbb\xbf" + raw(package))
    assert find(check(package), "byte-order-mark").line == 1


def test_not_utf8(package):
    data = raw(package, "sources").split(b"\n")
    data[2] = data[2] + b"\xe9"
    put(package, b"\n".join(data), "sources")
    problem = find(check(package), "utf-8")
    assert problem.line == 3
    assert problem.value == "e9"


def test_crlf(package):
    put(package, raw(package, "actors").replace(b"\n", b"\r\n"), "actors")
    assert find(check(package), "line-endings").line == 1


def test_no_final_newline(package):
    put(package, raw(package, "actors").rstrip(b"\n"), "actors")
    assert find(check(package), "final-newline").file == "data/actors.csv"


def test_empty_file(package):
    put(package, b"", "sources")
    assert find(check(package), "file-empty").file == "data/sources.csv"


def test_header_only(package):
    put(package, raw(package, "claims").split(b"\n")[0] + b"\n")
    report = check(package)
    assert find(report, "no-rows").line == 1
    assert "incident-has-claim" in {p.rule for p in report.errors}


def test_missing_file(package):
    (package / "data" / "actors.csv").unlink()
    report = check(package)
    assert find(report, "file-missing").file == "data/actors.csv"


@pytest.mark.parametrize(("change", "rule"), [
    ("drop", "column-missing"),
    ("extra", "column-unknown"),
    ("rename", "column-missing"),
    ("duplicate", "column-duplicate"),
    ("swap", "column-order"),
])
def test_header_changes(package, change, rule):
    rows = read_rows(package, "actors")
    if change == "drop":
        rows = [r[:-1] for r in rows]
    elif change == "extra":
        rows = [[*r, "x"] for r in rows]
    elif change == "rename":
        rows[0][rows[0].index("side")] = "sides"
    elif change == "duplicate":
        rows = [[*r, r[1]] for r in rows]
    elif change == "swap":
        rows = [[r[1], r[0], *r[2:]] for r in rows]
    write_rows(package, "actors", rows)
    report = check(package)
    problem = find(report, rule)
    assert problem.line == 1
    if change == "rename":
        assert "'sides'" in problem.message


def test_unsorted_rows(package):
    rows = read_rows(package, "actors")
    rows[1], rows[2] = rows[2], rows[1]
    write_rows(package, "actors", rows)
    problem = find(check(package), "canonical-form")
    assert "sorted" in problem.message


def test_over_quoted_cells(package):
    rows = read_rows(package, "actors")
    text = "\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n"
    put(package, text.encode(), "actors")
    assert "quoted" in find(check(package), "canonical-form").message


def test_file_too_large(package):
    report = validate_package(package, today=TODAY, max_bytes=100)
    problem = find(report, "file-too-large")
    assert "limit" in problem.message


def test_datapackage_missing(package):
    (package / "datapackage.json").unlink()
    assert find(check(package), "datapackage-missing")


def test_datapackage_malformed(package):
    (package / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    assert find(check(package), "datapackage-malformed").line == 1


def test_datapackage_stale_bytes(package):
    rows = read_rows(package, "actors")
    rows[1][-1] = "changed note"
    write_rows(package, "actors", rows, rebuild=False)
    problem = find(check(package), "datapackage-stale")
    assert "bytes" in problem.message


def test_datapackage_stale_schema(package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["resources"][1]["schema"]["fields"][6]["constraints"] = {}
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    problem = find(check(package), "datapackage-stale")
    assert problem.column == "claims"


def test_not_a_directory(tmp_path):
    with pytest.raises(UsageError):
        validate_package(tmp_path / "nowhere")


def test_every_problem_at_once(package):
    """Several independent faults in several files all come back in one report."""
    rows = read_rows(package, "actors")
    rows[1][2] = "neutral"
    write_rows(package, "actors", rows)
    put(package, b"\xef\xbb\xbf" + raw(package, "sources"), "sources")
    rows = read_rows(package, "claims")
    rows[1][rows[0].index("low")] = "-1"
    write_rows(package, "claims", rows)
    found = {p.rule for p in check(package).errors}
    assert {"enum", "byte-order-mark", "minimum"} <= found


def test_cell_over_the_limit_is_named_as_such(package):
    from incidents.validate.read import MAX_CELL

    rows = read_rows(package, "actors")
    rows[1][rows[0].index("note")] = "x" * (MAX_CELL + 10)
    write_rows(package, "actors", rows)
    problem = find(check(package), "cell-too-large")
    assert problem.line == 2
    assert f"{MAX_CELL:,}" in problem.message
    assert "csv-syntax" not in {p.rule for p in check(package).problems}


def test_huge_header_is_reported_with_its_size(package):
    from incidents.validate.read import MAX_HEADER

    header = "a" * (MAX_HEADER + 5)
    put(package, f"{header}\n1\n".encode(), "actors")
    report = check(package)
    problem = find(report, "header-too-large")
    assert f"{MAX_HEADER + 6:,}" in problem.message
    assert "column-duplicate" not in {p.rule for p in report.problems}


def test_empty_primary_key_agrees_with_fmt(package):
    from incidents.fmt import format_package

    rows = read_rows(package, "actors")
    rows[1][0] = ""
    write_rows(package, "actors", rows)
    format_package(package)
    write_rows(package, "actors", read_rows(package, "actors"))  # rebuild the descriptor
    report = check(package)
    assert "required" in {p.rule for p in report.errors}
    assert "canonical-form" not in {p.rule for p in report.problems}


def test_a_directory_in_place_of_a_file_says_what_it_is(package):
    path = package / "data" / "actors.csv"
    path.unlink()
    path.mkdir()
    assert "directory" in find(check(package), "file-missing").message


def test_resource_path_problem_names_the_resource(package, monkeypatch):
    from incidents import descriptor
    from incidents.validate import package as validate_module

    def refuse(root, desc, table):
        if table == "actors":
            raise descriptor.PackageError("resource 'actors' leaves the package")
        return root / f"data/{table}.csv"

    monkeypatch.setattr(validate_module, "resource_path", refuse)
    problem = find(check(package), "resource-path")
    assert problem.column == "actors"
    assert "leaves the package" in problem.message


#: Rules the tests of this file make fire (each by a file broken in one way).
FILE_RULES = ["row-length", "csv-syntax", "delimiter", "byte-order-mark", "utf-8",
              "line-endings", "final-newline", "file-empty", "no-rows", "file-missing",
              "column-missing", "column-unknown", "column-duplicate", "column-order",
              "canonical-form", "file-too-large", "datapackage-missing",
              "datapackage-malformed", "datapackage-stale", "cell-too-large",
              "header-too-large", "resource-path"]
