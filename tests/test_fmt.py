"""Canonical form: fmt changes no value, is idempotent, and leaves the bundled data alone."""

from incidents.cli import main
from incidents.fmt import format_package
from tests.conftest import check, read_rows, write_rows


def test_bundled_data_is_canonical(package):
    before = {p.name: p.read_bytes() for p in (package / "data").glob("*.csv")}
    changed, errors = format_package(package)
    assert (changed, errors) == ([], [])
    assert before == {p.name: p.read_bytes() for p in (package / "data").glob("*.csv")}


def test_fmt_repairs_layout_without_changing_values(package):
    rows = read_rows(package, "actors")
    original = {tuple(r) for r in rows[1:]}
    header, body = rows[0], rows[1:]
    swapped = [[r[1], r[0], *r[2:]] for r in [header, *reversed(body)]]
    text = "\r\n".join(",".join('"' + c.replace('"', '""') + '"' for c in r) for r in swapped)
    (package / "data" / "actors.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert not check(package).ok
    changed, errors = format_package(package)
    assert errors == []
    assert [p.name for p in changed] == ["actors.csv"]
    after = read_rows(package, "actors")
    assert after[0] == header
    assert {tuple(r) for r in after[1:]} == original
    write_rows(package, "actors", after)  # rebuild the descriptor
    assert check(package).ok
    assert format_package(package) == ([], [])


def test_fmt_refuses_what_it_cannot_fix(package, capsys):
    rows = read_rows(package, "actors")
    rows[0][0] = "id"
    write_rows(package, "actors", rows)
    assert main(["fmt", str(package)]) == 2
    assert "cannot be formatted" in capsys.readouterr().err


def test_fmt_check_writes_nothing(package):
    rows = read_rows(package, "actors")
    rows[1], rows[2] = rows[2], rows[1]
    write_rows(package, "actors", rows)
    before = (package / "data" / "actors.csv").read_bytes()
    assert main(["fmt", str(package), "--check"]) == 1
    assert (package / "data" / "actors.csv").read_bytes() == before


def test_byte_rows_finds_the_rows_of_sliced_and_chunked_columns():
    import re

    import pyarrow as pa

    from incidents.fmt import byte_rows

    cells = ["plain", 'a "quote"', None, "comma, here", "", "é\nnext", "ok", "تم", "x\r"]
    column = pa.chunked_array([pa.array(cells[:4]), pa.array(cells[4:]).slice(1)])
    wanted = [c is not None and re.search('[",\r\n]', c) is not None
              for c in cells[:4] + cells[5:]]
    quoting = byte_rows(column, lambda b: (b == 34) | (b == 44) | (b == 13) | (b == 10))
    assert quoting.tolist() == wanted
