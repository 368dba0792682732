"""Exports: each format opened by its own tools gives back what the package holds."""

import csv
import json
import math
import re
import sqlite3
import subprocess
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import read_rows, write_rows

import incidents
from incidents import summary
from incidents._paths import bundled_root
from incidents.claims import FLOORS, interval
from incidents.cli import main
from incidents.datapackage import write_descriptor
from incidents.descriptor import read_descriptor
from incidents.exporters import FORMATS, export, read_package
from incidents.exporters import datawrapper as dw
from incidents.exporters.hxl import hashtag
from incidents.vocab import TABLES

LINKS = [
    ["incident_id", "dataset", "external_id", "url", "grade", "note"],
    ["SYR-2019-0001", "airwars", "CS1210", "https://airwars.org/civilian-casualties/cs1210/",
     "fair", ""],
    ["SYR-2017-0001", "ucdp_ged", "123456", "https://ucdp.uu.se/event/123456", "",
     "id read on the UCDP page"],
]


def with_links(pkg):
    """Fill the package copy's links table and regenerate its descriptor."""
    (pkg / "data" / "links.csv").write_text(
        "\n".join(",".join(row) for row in LINKS) + "\n", encoding="utf-8")
    write_descriptor(pkg)
    return pkg


def csv_rows(table, root=None):
    root = root or bundled_root()
    with open(root / "data" / f"{table}.csv", newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    written = export("all", out=out)
    return out, written


# ---------------------------------------------------------------- parquet


@pytest.mark.parametrize("table", [*TABLES, "flat"])
def test_parquet_reads_back_as_load(exported, table):
    out, _ = exported
    frame = incidents.exporters.read_parquet(out / f"{table}.parquet")
    pd.testing.assert_frame_equal(frame, incidents.load(table))
    # plain pandas gets the same frame; only Parquet dates arrive as datetime.date
    plain = pd.read_parquet(out / f"{table}.parquet")
    loaded = incidents.load(table)
    for col in loaded.columns:
        if pd.api.types.is_datetime64_dtype(loaded[col]):
            plain[col] = pd.to_datetime(plain[col]).astype("datetime64[ns]")
    pd.testing.assert_frame_equal(plain, loaded)


def test_parquet_types_and_descriptions(exported):
    out, _ = exported
    schema = pq.read_schema(out / "claims.parquet")
    fields = {f["name"]: f for f in read_descriptor()["resources"][1]["schema"]["fields"]}
    assert schema.field("claimed_on").type == pa.date32()
    assert schema.field("low").type == pa.int64()
    measure = schema.field("measure").type
    assert pa.types.is_dictionary(measure) and measure.ordered
    for name, field in fields.items():
        assert schema.field(name).metadata[b"description"].decode() == field["description"]
    assert schema.metadata[b"incidents:table"] == b"claims"
    assert pq.read_schema(out / "incidents.parquet").field("date").type == pa.date32()


def test_parquet_and_sqlite_carry_a_links_table(package, tmp_path):
    with_links(package)
    written = export(["parquet", "sqlite"], out=tmp_path / "out", root=package)
    assert tmp_path / "out" / "links.parquet" in written
    links = pd.read_parquet(tmp_path / "out" / "links.parquet")
    assert list(links["external_id"]) == ["CS1210", "123456"]
    con = sqlite3.connect(tmp_path / "out" / "incidents.sqlite")
    assert con.execute("SELECT count(*) FROM links").fetchone() == (2,)
    fks = con.execute("PRAGMA foreign_key_list(links)").fetchall()
    assert ("incidents", "incident_id", "incident_id") in [(fk[2], fk[3], fk[4]) for fk in fks]


# ---------------------------------------------------------------- sqlite


def test_sqlite_has_every_table_with_keys(exported):
    out, _ = exported
    con = sqlite3.connect(out / "incidents.sqlite")
    for table in TABLES:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == csv_rows(table)
    assert con.execute("SELECT count(*) FROM flat").fetchone()[0] == csv_rows("incidents")
    pk = [row[1] for row in con.execute("PRAGMA table_info(claims)") if row[5]]
    assert pk == ["claim_id"]
    fks = {(fk[3], fk[2]) for fk in con.execute("PRAGMA foreign_key_list(claims)")}
    assert fks == {("incident_id", "incidents"), ("source_id", "sources"),
                   ("claimant", "actors"), ("measure", "claims_measure_codes"),
                   ("victims", "claims_victims_codes"), ("qualifier", "claims_qualifier_codes"),
                   ("stance", "claims_stance_codes")}
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    index_columns = {con.execute(f"PRAGMA index_info('{name}')").fetchone()[2]
                     for (name,) in con.execute(
                         "SELECT name FROM sqlite_master WHERE type='index' "
                         "AND tbl_name='claims' AND name NOT LIKE 'sqlite_%'")}
    assert index_columns == {"incident_id", "source_id", "claimant"}


def test_sqlite_refuses_a_code_outside_the_list(exported):
    out, _ = exported
    con = sqlite3.connect(out / "incidents.sqlite")
    con.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE claims SET measure = 'dead' WHERE rowid = 1")
    definition = con.execute("SELECT definition FROM claims_measure_codes "
                             "WHERE code = 'killed'").fetchone()
    assert definition == ("People killed.",)


def test_sqlite_conflict_view_agrees_with_claims_intervals(exported):
    out, _ = exported
    con = sqlite3.connect(out / "incidents.sqlite")
    con.row_factory = sqlite3.Row
    claims = incidents.load("claims").set_index("claim_id")
    sides = incidents.load("actors").set_index("actor_id")["side"]

    def bounds(claim_id):
        row = claims.loc[claim_id]
        nums = [np.nan if pd.isna(row[k]) else float(row[k]) for k in ("low", "best", "high")]
        return interval(row["qualifier"], *nums)

    rows = con.execute("SELECT * FROM figure_conflicts").fetchall()
    assert rows
    for row in rows:
        high, low = row["claim_high"], row["claim_low"]
        assert sides[claims.loc[high, "claimant"]] != sides[claims.loc[low, "claimant"]]
        assert bounds(high)[0] > bounds(low)[1]
    conflicting = {r[0] for r in con.execute("SELECT incident_id FROM conflicting_incidents")}
    disputed = set(incidents.load().query("disputed")["incident_id"])
    assert conflicting and conflicting <= disputed
    # the view is the validator's rule, which the summary counts: one meaning, three uses
    assert sorted(conflicting) == summary.conflicting(claims.reset_index(),
                                                      incidents.load("actors"))


# ---------------------------------------------------------------- xlsx


def test_xlsx_sheets_codebook_frozen_headers(exported):
    openpyxl = pytest.importorskip("openpyxl")
    out, _ = exported
    book = openpyxl.load_workbook(out / "incidents.xlsx")
    assert book.sheetnames == [*TABLES, "flat", "codebook"]
    for name in book.sheetnames:
        assert book[name].freeze_panes == "A2"
    for table in TABLES:
        assert book[table].max_row - 1 == csv_rows(table)
    codebook = list(book["codebook"].iter_rows(values_only=True))
    assert codebook[0][:2] == ("table", "field")
    assert ("claims", "measure", "string", True, "What is counted.", "killed",
            "People killed.") in codebook
    assert book["incidents"]["B2"].value.date() == incidents.load("incidents")["date"][0].date()


def test_xlsx_never_stores_a_formula(package, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    rows = read_rows(package, "incidents")
    note = rows[0].index("note")
    rows[1][note] = '=HYPERLINK("http://example.org","click")'
    rows[2][note] = "+1"
    write_rows(package, "incidents", rows)
    export("xlsx", out=tmp_path / "out", root=package)
    book = openpyxl.load_workbook(tmp_path / "out" / "incidents.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in book["incidents"][f"{chr(65 + note)}"]]
    assert '=HYPERLINK("http://example.org","click")' in values and "+1" in values


# ---------------------------------------------------------------- geojson


def test_geojson_features_are_the_incidents_with_coordinates(exported):
    out, _ = exported
    collection = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    table = incidents.load("incidents").set_index("incident_id")
    located = table[table["latitude"].notna()]
    assert [f["id"] for f in collection["features"]] == list(located.index)
    for feature in collection["features"]:
        row = located.loc[feature["id"]]
        assert feature["geometry"] == {"type": "Point",
                                       "coordinates": [row["longitude"], row["latitude"]]}
        props = feature["properties"]
        assert props["location_precision"] == row["location_precision"]
        assert props["date"] == row["date"].strftime("%Y-%m-%d")
        assert "perpetrator" in props and "killed_low" in props


# ---------------------------------------------------------------- hxl

HXL_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$")


def test_hxl_files_carry_a_hashtag_row(exported):
    out, _ = exported
    for name in [*TABLES, "flat"]:
        with open(out / "hxl" / f"{name}.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, tags = rows[0], rows[1]
        assert len(header) == len(tags)
        assert all(HXL_TAG.match(tag) for tag in tags), tags
        assert len(rows) - 2 == len(incidents.load(name))
    with open(out / "hxl" / "flat.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    flat_tags = dict(zip(header, [hashtag("flat", c) for c in header], strict=True))
    assert flat_tags["killed_low"] == "#affected+killed+min"
    assert flat_tags["killed_high"] == "#affected+killed+max"
    assert flat_tags["latitude"] == "#geo+lat" and flat_tags["date"] == "#date+start"
    assert hashtag("sources", "url") == "#meta+source+url"
    assert hashtag("actors", "name") == "#org+name"
    assert hashtag("sources", "some_new_column") == "#meta+some_new_column"


def test_hxl_reader_opens_the_files(exported):
    hxl = pytest.importorskip("hxl")
    out, _ = exported
    data = hxl.data(str(out / "hxl" / "flat.csv"), hxl.InputOptions(allow_local=True))
    rows = list(data)
    flat = incidents.load()
    assert len(rows) == len(flat)
    first = flat.iloc[0]
    assert rows[0].get("#event+id") == first["incident_id"]
    assert rows[0].get("#affected+killed+min") == str(first["killed_low"])


# ---------------------------------------------------------------- datawrapper


@pytest.mark.parametrize(("claim", "expected"), [
    (("exact", 62, 62, 62), (62, "62")),
    (("at_least", 30, np.nan, np.nan), (30, "30+")),
    (("vague", 24, np.nan, np.nan), (24, "24+")),
    (("up_to", np.nan, np.nan, 12), (12, "≤12")),
    (("range", 10, np.nan, 15), (10, "10–15")),
    (("about", np.nan, 40, np.nan), (40, "~40")),
    (("exact", 1500, 1500, 1500), (1500, "1500")),
])
def test_datawrapper_figure_marks_floors_and_ceilings(claim, expected):
    assert dw.figure(*claim) == expected


def test_datawrapper_figure_without_a_number():
    number, label = dw.figure("unquantified", np.nan, np.nan, np.nan)
    assert math.isnan(number) and label == ""


def test_datawrapper_figures_for_whole_columns_agree_with_one_claim():
    claims = incidents.load("claims")
    numbers, labels = dw.figures(claims)
    for row, number, label in zip(claims.itertuples(), numbers, labels, strict=True):
        nums = [np.nan if pd.isna(v) else float(v) for v in (row.low, row.best, row.high)]
        one = dw.figure(row.qualifier, *nums)
        assert (label, math.isnan(number)) == (one[1], math.isnan(one[0])), row.claim_id
        if not math.isnan(number):
            assert number == one[0], row.claim_id


def test_datawrapper_takes_each_sides_latest_figure():
    package = read_package()
    latest = dw.latest_claims(package)
    keys = ["incident_id", "measure", "victims", "side"]
    assert not latest.duplicated(keys).any()
    claims = package.tables["claims"]
    side = claims["claimant"].map(package.tables["actors"].set_index("actor_id")["side"])
    claims = claims.assign(side=side.astype("string"))
    for row in latest.itertuples():
        same = claims[(claims["incident_id"] == row.incident_id)
                      & (claims["measure"] == row.measure) & (claims["victims"] == row.victims)
                      & (claims["side"] == row.side)]
        if pd.notna(row.claimed_on) and not math.isnan(row.number):
            later = same[same["claimed_on"] > row.claimed_on]
            assert later[["low", "best", "high"]].isna().all(axis=None), row.claim_id
        if row.qualifier in FLOORS and not math.isnan(row.number):
            assert row.label.endswith("+")


def test_datawrapper_files(exported):
    out, _ = exported
    folder = out / "datawrapper"
    killed = pd.read_csv(folder / "killed-civilians.csv")
    assert killed["incident_id"].is_unique
    sides = [c for c in killed.columns if c + dw.WORDED in killed.columns]
    assert sides and set(sides) <= set(incidents.load("actors")["side"].cat.categories)
    for side in sides:
        assert pd.api.types.is_numeric_dtype(killed[side])
    sources = pd.read_csv(folder / "sources.csv")
    assert {"quote", "source", "figure", "claimant"} <= set(sources.columns)
    assert sources["source"].str.match(r"^\[.+\]\(https?://").any()


# ---------------------------------------------------------------- API and command line


def test_export_all_writes_every_format(exported):
    out, written = exported
    assert set(FORMATS) == {"parquet", "sqlite", "xlsx", "geojson", "hxl", "datawrapper"}
    names = {p.name for p in written}
    assert {"claims.parquet", "flat.parquet", "incidents.sqlite", "incidents.xlsx",
            "incidents.geojson", "sources.csv", "killed-civilians.csv"} <= names
    assert all(p.is_file() for p in written)
    assert not list(out.rglob("*.tmp"))


def test_cli_export(tmp_path, capsys):
    assert main(["export", "--to", "geojson", "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "incidents.geojson").is_file()
    assert "wrote" in capsys.readouterr().out


def test_cli_export_refuses_bad_format_and_out(tmp_path, capsys):
    assert main(["export", "--to", "csv", "--out", str(tmp_path)]) == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", "--to", "geojson", "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert "not a directory" in err and "Traceback" not in err


def test_export_does_not_write_through_a_link(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (tmp_path / "elsewhere.geojson").write_text("keep")
    (out / "incidents.geojson").symlink_to(tmp_path / "elsewhere.geojson")
    assert main(["export", "--to", "geojson", "--out", str(out)]) == 2
    assert (tmp_path / "elsewhere.geojson").read_text() == "keep"


def test_unknown_format_from_python():
    with pytest.raises(ValueError, match="unknown export format"):
        export("csv", out="never")


def test_import_incidents_does_not_import_the_exporters():
    code = ("import sys, incidents; incidents.load(); "
            "print(any(m.startswith('incidents.exporters') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_sqlite_failure_is_a_clear_error_and_leaves_no_file(tmp_path, monkeypatch):
    from incidents.exporters import sqlite as sqlite_export
    from incidents.safeio import WriteError

    def broken(package, path):
        sqlite3.connect(path).execute("CREATE TABLE x (a)")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite_export, "build", broken)
    with pytest.raises(WriteError, match="disk is full"):
        export("sqlite", out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_xlsx_refuses_a_table_longer_than_a_sheet(monkeypatch, tmp_path):
    pytest.importorskip("openpyxl")
    from incidents.exporters import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 10)
    with pytest.raises(ValueError, match="at most 9 rows"):
        xlsx.write(read_package(), tmp_path)
    assert not (tmp_path / "incidents.xlsx").exists()
