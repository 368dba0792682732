"""Property-based tests: random damage never crashes the validator and is always reported;
valid data survives load -> write -> load unchanged."""

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import incidents
from incidents._paths import bundled_root
from incidents.descriptor import read_descriptor, resource
from incidents.fmt import write_table
from tests.conftest import check, copy_package, read_rows, write_rows

TABLES = ["incidents", "claims", "sources", "actors"]
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def fields(table):
    return resource(read_descriptor(), table)["schema"]["fields"]


def mutate(table, row, column, value):
    """A copy of the bundled package with one cell replaced; returns (dir, line)."""
    pkg = copy_package(Path(tempfile.mkdtemp()) / "pkg")
    rows = read_rows(pkg, table)
    row = row % (len(rows) - 1)
    rows[row + 1][column % len(rows[0])] = value
    write_rows(pkg, table, rows)
    return pkg, row + 2


@SETTINGS
@given(table=st.sampled_from(TABLES), row=st.integers(0, 10_000),
       column=st.integers(0, 40), value=st.text(max_size=60))
def test_any_cell_damage_never_crashes(table, row, column, value):
    pkg, _ = mutate(table, row, column, value)
    report = check(pkg)
    assert isinstance(report.ok, bool)
    report.to_text(), report.to_json(), report.to_github()


@SETTINGS
@given(table=st.sampled_from(TABLES), cut=st.integers(0, 5000),
       junk=st.binary(max_size=40))
def test_any_byte_damage_never_crashes(table, cut, junk):
    pkg = copy_package(Path(tempfile.mkdtemp()) / "pkg")
    path = pkg / "data" / f"{table}.csv"
    data = path.read_bytes()
    cut = cut % (len(data) + 1)
    path.write_bytes(data[:cut] + junk + data[cut:])
    report = check(pkg)
    assert isinstance(report.ok, bool)
    if junk and junk not in (b"\n",):
        # the bytes changed, so at least the descriptor no longer matches them
        assert not report.ok


def _enum_columns():
    return [(t, i, f) for t in TABLES for i, f in enumerate(fields(t))
            if "enum" in f.get("constraints", {})]


@SETTINGS
@given(pick=st.sampled_from(_enum_columns()), row=st.integers(0, 10_000),
       value=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=20))
def test_every_out_of_code_value_is_reported(pick, row, value):
    table, index, field = pick
    if value in field["constraints"]["enum"]:
        return
    pkg, line = mutate(table, row, index, value)
    hits = [p for p in check(pkg).errors if p.rule == "enum" and p.line == line]
    assert hits and hits[0].value == value and hits[0].column == field["name"]


def _integer_columns():
    return [(t, i, f) for t in TABLES for i, f in enumerate(fields(t))
            if f["type"] == "integer"]


@SETTINGS
@given(pick=st.sampled_from(_integer_columns()), row=st.integers(0, 10_000),
       value=st.one_of(st.integers(max_value=-1).map(str),
                       st.floats(allow_nan=False).map(repr).filter(lambda s: "." in s),
                       st.text(alphabet="abcxyz ,.-", min_size=1, max_size=8)))
def test_every_non_count_is_reported(pick, row, value):
    table, index, field = pick
    pkg, line = mutate(table, row, index, value)
    hits = [p for p in check(pkg).errors
            if p.line == line and p.column == field["name"] and p.rule in ("type", "minimum")]
    assert hits, value


def _free_text_columns():
    return [(t, i, f) for t in TABLES for i, f in enumerate(fields(t))
            if f["type"] == "string" and not {"enum", "pattern"} & set(f.get("constraints", {}))]


@SETTINGS
@given(pick=st.sampled_from(_free_text_columns()), row=st.integers(0, 10_000),
       prefix=st.sampled_from(["=", "+", "-", "@", "\x00", "\x07", "\x1b", "\t"]),
       rest=st.text(alphabet="abc 123", max_size=10))
def test_every_formula_or_control_opening_is_reported(pick, row, prefix, rest):
    table, index, field = pick
    pkg, line = mutate(table, row, index, prefix + rest)
    hits = [p for p in check(pkg).errors if p.line == line and p.column == field["name"]
            and p.rule in ("no-formula-prefix", "no-control-characters")]
    assert hits


def test_load_write_load_round_trip(tmp_path):
    """Value for value, type for type, and byte for byte with the bundled files."""
    (tmp_path / "data").mkdir()
    (tmp_path / "datapackage.json").write_bytes((bundled_root() / "datapackage.json")
                                                .read_bytes())
    for table in TABLES:
        write_table(incidents.load(table), table, tmp_path / "data" / f"{table}.csv")
    for table in TABLES:
        before, after = incidents.load(table), incidents.load(table, root=tmp_path)
        pd.testing.assert_frame_equal(before, after, check_exact=True)
        assert (tmp_path / "data" / f"{table}.csv").read_bytes() == (
            bundled_root() / "data" / f"{table}.csv").read_bytes()
