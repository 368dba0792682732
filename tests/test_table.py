"""incidents.table: one incident's claims as a sourced table, and its three outputs."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import incidents
from incidents.table import COLUMNS, to_datawrapper_csv, to_html, to_markdown

FIXTURE = Path(__file__).parent / "fixtures" / "plot_package"
REVISED = "SYR-2017-0105"


@pytest.fixture(scope="module")
def revised() -> pd.DataFrame:
    return incidents.table(REVISED, root=FIXTURE)


def test_table_has_one_row_per_claim_with_the_sourced_columns(revised):
    claims = pd.read_csv(FIXTURE / "data" / "claims.csv", dtype=str)
    assert len(revised) == int((claims["incident_id"] == REVISED).sum())
    assert tuple(revised.columns) == COLUMNS
    row = revised[revised["claim_id"] == f"{REVISED}-C01"].iloc[0]
    assert row["claimant"] == "Syrian Observatory for Human Rights"
    assert row["side"] == "independent"
    assert row["figure"] == "at least 18"
    assert str(row["date"]) == "2017-04-20"
    assert row["outlet"] == "Example Wire"
    assert row["url"] == "https://example.org/example-wire-20170410"
    assert row["quote"] == "Synthetic test quote: at least 18 people were killed."


def test_figures_are_worded_like_the_charts(revised):
    figures = dict(zip(revised["claim_id"], revised["figure"], strict=True))
    assert figures[f"{REVISED}-C08"] == "denies"
    assert figures[f"{REVISED}-C10"] == "“several”, no number"
    assert figures[f"{REVISED}-C11"] == "between 80 and 90"
    assert figures[f"{REVISED}-C06"] == "more than 50"


def test_rows_are_ordered_by_measure_group_and_date(revised):
    killed_all = revised[(revised["measure"] == "killed") & (revised["victims"] == "all")]
    dates = pd.to_datetime(killed_all["date"])
    assert list(dates) == sorted(dates)


def test_markdown_links_the_outlet_and_escapes_pipes():
    frame = incidents.table(REVISED, root=FIXTURE).head(1).copy()
    frame.loc[frame.index[0], "quote"] = "a | b"
    text = to_markdown(frame)
    lines = text.splitlines()
    assert lines[0].startswith("| Claimant | Side | Figure")
    assert "[Example Wire](https://example.org/example-wire-20170410)" in lines[2]
    assert "“a \\| b”" in lines[2]
    assert incidents.table.to_markdown is to_markdown


def test_html_escapes_every_value():
    frame = incidents.table(REVISED, root=FIXTURE).head(1).copy()
    frame.loc[frame.index[0], "claimant"] = "<script>x</script>"
    out = to_html(frame)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert '<a href="https://example.org/example-wire-20170410">' in out


def test_datawrapper_csv_reads_back_and_defuses_formulas():
    frame = incidents.table(REVISED, root=FIXTURE).head(2).copy()
    frame.loc[frame.index[0], "quote"] = "=HYPERLINK(1)"
    rows = list(csv.reader(io.StringIO(to_datawrapper_csv(frame))))
    assert rows[0] == ["Claimant", "Side", "Figure", "Measure", "Victims", "Date", "Outlet",
                       "Quote"]
    assert rows[1][-1] == "'=HYPERLINK(1)"
    assert rows[1][6].startswith("[Example Wire](https://")


def test_unknown_incident_is_a_value_error():
    with pytest.raises(ValueError, match="unknown incident_id"):
        incidents.table("SYR-1900-0001", root=FIXTURE)


def test_table_is_imported_lazily_and_without_matplotlib():
    code = ("import sys, incidents; incidents.load(); assert 'incidents.table' not in "
            "sys.modules; incidents.table('SYR-2017-0005'); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
