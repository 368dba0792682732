"""The loaders: typed, complete, no heavy imports, no network."""

import subprocess
import sys

import pandas as pd
import pytest

import incidents
from incidents import schema
from incidents.load import DataError, load_table
from tests.conftest import read_rows, set_cell


def test_flat_view_is_typed():
    flat = incidents.load()
    assert flat["date"].dtype.kind == "M"
    for col in ("killed_low", "killed_high", "injured_low", "injured_high", "claims"):
        assert str(flat[col].dtype) == "Int64"
    assert flat["disputed"].dtype == bool
    assert isinstance(flat["incident_type"].dtype, pd.CategoricalDtype)
    assert flat["incident_type"].dtype.ordered
    assert list(flat.columns) == list(incidents.codebook("flat")["field"])


def test_flat_view_has_one_row_per_incident():
    flat = incidents.load()
    assert flat["incident_id"].is_unique
    assert len(flat) == len(incidents.load("incidents"))
    assert (flat["claims"] >= 1).all()


def test_flat_ranges_span_every_claim():
    claims = incidents.load("claims")
    flat = incidents.load().set_index("incident_id")
    killed = claims[(claims["measure"] == "killed") & (claims["victims"] != "children")]
    for incident_id, group in killed.groupby("incident_id", observed=True):
        figures = pd.concat([group["low"], group["best"], group["high"]]).dropna()
        if figures.empty:
            continue
        assert flat.loc[incident_id, "killed_low"] == figures.min()
        assert flat.loc[incident_id, "killed_high"] == figures.max()


@pytest.mark.parametrize("table", ["incidents", "claims", "sources", "actors"])
def test_tidy_tables_pass_their_pandera_model(table):
    frame = incidents.load(table)
    schema.MODELS[table].validate(frame, lazy=True)
    assert list(frame.columns) == list(schema.MODELS[table].to_schema().columns)


@pytest.mark.parametrize("table", ["incidents", "claims", "sources", "actors"])
def test_no_row_is_lost(table):
    from incidents._paths import bundled_root

    rows = read_rows(bundled_root(), table)
    assert len(incidents.load(table)) == len(rows) - 1


def test_unknown_table():
    with pytest.raises(ValueError, match="unknown table"):
        incidents.load("events")


def test_some_columns_load_as_in_the_whole_table():
    whole = load_table("claims")
    part = load_table("claims", columns=["qualifier", "incident_id", "best"])
    assert list(part.columns) == ["incident_id", "best", "qualifier"]  # the schema's order
    pd.testing.assert_frame_equal(part, whole[list(part.columns)])


def test_unknown_column():
    with pytest.raises(ValueError, match="'victim'"):
        load_table("claims", columns=["victim"])


def test_codebook_lists_codes():
    book = incidents.codebook("claims").set_index("field")
    assert "about" in book.loc["qualifier", "codes"]
    assert book.loc["quote", "required"]
    assert book["description"].str.len().min() > 5


def test_out_of_code_value_is_refused_not_dropped(package):
    set_cell(package, "claims", 0, "measure", "dead")
    with pytest.raises(DataError, match="measure"):
        incidents.load("claims", root=package)


def test_load_path_imports_nothing_heavy():
    code = ("import sys, incidents; incidents.load(); "
            "print([m for m in ('pandera', 'matplotlib', 'frictionless') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_load_opens_no_socket():
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise RuntimeError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import incidents\n"
        "for t in ('flat', 'incidents', 'claims', 'sources', 'actors'): incidents.load(t)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_top_level_validate_returns_a_report(package):
    report = incidents.validate()
    assert report.ok, report.to_text()
    set_cell(package, "claims", 0, "low", "-1")
    broken = incidents.validate(package)
    assert not broken.ok
    assert any(p.rule == "minimum" for p in broken.errors)


def test_conflicting_incidents_are_disputed():
    from incidents.summary import conflicting

    conflicts = conflicting(incidents.load("claims"), incidents.load("actors"))
    flat = incidents.load().set_index("incident_id")
    assert conflicts, "the bundled data has incidents whose sides' figures conflict"
    assert flat.loc[conflicts, "disputed"].all()
