"""Tables ready for Datawrapper's arrow, dumbbell and range charts, and their sources.

For each measure and victim group (``killed-civilians.csv`` ...): one row per incident, one
column per side holding that side's latest figure as a number, and beside it the figure as
worded (``"30+"`` for a floor, ``"≤12"`` for a ceiling, ``"10–15"`` for a range, ``"~40"`` for
an approximation). The number a chart plots for a floor is its floor, for a ceiling its
ceiling, for a range its lower bound: the worded column says which, so a chart's tooltip or
label can mark it. ``sources.csv`` lists each of those claims with its claimant, quote and a
Markdown link to its source, for a Datawrapper table beside the chart.

A side's latest figure is its claim stated last (``claimed_on``, then the source's
``published`` date, then the claim_id); claims with no figure (denials, words) count only when
the side gives no figure at all.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from incidents.claims import CEILINGS, FLOORS, interval
from incidents.export._csv import csv_bytes
from incidents.export._files import out_dir
from incidents.export._package import Package
from incidents.safeio import atomic_write

SUBDIR = "datawrapper"
SOURCES_FILE = "sources.csv"
WORDED = " (as worded)"


def _num(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:.0f}"


def figure(qualifier: str, low: float, best: float, high: float) -> tuple[float, str]:
    """The number a chart plots for one claim and the figure as worded.

    Parameters
    ----------
    qualifier : str
        The claim's qualifier code.
    low, best, high : float
        Its figures, NaN where empty.

    Returns
    -------
    tuple
        ``(number, label)``; ``number`` is NaN when the claim states no figure.
    """
    lo, hi, kind = interval(qualifier, low, best, high)
    if kind == "none":
        return math.nan, ""
    if kind == "floor":
        return lo, f"{_num(lo)}+"
    if kind == "ceiling":
        return hi, f"≤{_num(hi)}"
    if kind == "range":
        number = best if not math.isnan(best) else lo
        return number, f"{_num(lo)}–{_num(hi)}"
    return lo, (f"~{_num(lo)}" if qualifier == "about" else _num(lo))


def latest_claims(package: Package) -> pd.DataFrame:
    """Each side's latest claim per incident, measure and victim group, with its figure.

    Returns
    -------
    pandas.DataFrame
        Claims columns plus ``side``, ``claimant_name``, ``publisher``, ``url``, ``number`` and
        ``label``.
    """
    claims = package.tables["claims"]
    actors = package.tables["actors"].set_index("actor_id")
    sources = package.tables["sources"].set_index("source_id")
    rows = claims.assign(
        side=claims["claimant"].map(actors["side"].astype("string")),
        claimant_name=claims["claimant"].map(actors["name"]),
        publisher=claims["source_id"].map(sources["publisher"]),
        url=claims["source_id"].map(sources["url"]),
        published=claims["source_id"].map(sources["published"]),
    )
    rows = rows[rows["side"].notna()]
    figures = [figure(q, lo, be, hi) for q, lo, be, hi in zip(
        rows["qualifier"].astype(object),
        rows["low"].to_numpy(dtype=np.float64, na_value=np.nan),
        rows["best"].to_numpy(dtype=np.float64, na_value=np.nan),
        rows["high"].to_numpy(dtype=np.float64, na_value=np.nan), strict=True)]
    rows = rows.assign(number=[f[0] for f in figures], label=[f[1] for f in figures])
    no_figure = rows["label"] == ""
    words = rows["vague_term"].fillna(rows["stance"].astype("string"))
    rows.loc[no_figure, "label"] = words[no_figure]
    rows = rows.assign(has_figure=~no_figure)
    keys = ["incident_id", "measure", "victims", "side"]
    rows = rows.sort_values([*keys, "has_figure", "claimed_on", "published", "claim_id"],
                            na_position="first", kind="stable")
    latest = rows.groupby(keys, observed=True, sort=False).tail(1)
    return latest.drop(columns=["has_figure"]).reset_index(drop=True)


def chart_tables(package: Package) -> dict[str, pd.DataFrame]:
    """One wide table per ``measure-victims`` group that has a figure.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"killed-civilians"`` -> one row per incident: incident_id, date, location,
        perpetrator, then per side its number and its worded figure.
    """
    latest = latest_claims(package)
    flat = package.tables["flat"].set_index("incident_id")
    side_order = list(package.tables["actors"]["side"].cat.categories)
    out = {}
    groups = latest.groupby(["measure", "victims"], observed=True, sort=True)
    for (measure, victims), group in groups:
        if not group["number"].notna().any():
            continue
        sides = [s for s in side_order if s in set(group["side"])]
        ids = list(dict.fromkeys(group["incident_id"]))
        table = pd.DataFrame({"incident_id": ids})
        table["date"] = flat["date"].reindex(ids).to_numpy()
        table["location"] = flat["location"].reindex(ids).to_numpy()
        table["perpetrator"] = flat["perpetrator"].reindex(ids).to_numpy()
        by_side = group.set_index(["incident_id", "side"])
        for side in sides:
            index = pd.MultiIndex.from_arrays([ids, [side] * len(ids)])
            table[side] = by_side["number"].reindex(index).to_numpy()
            table[side + WORDED] = by_side["label"].reindex(index).to_numpy()
        table = table.astype({s: "Float64" for s in sides})
        out[f"{measure}-{victims}"] = table
    return out


def sources_table(package: Package) -> pd.DataFrame:
    """The claims behind the chart tables, each with its quote and a link to its source."""
    latest = latest_claims(package)
    flat = package.tables["flat"].set_index("incident_id")
    link = np.where(latest["url"].notna(),
                    "[" + latest["publisher"].astype(str) + "](" + latest["url"].astype(str) + ")",
                    latest["publisher"].astype(str))
    quote = latest["quote_en"].fillna(latest["quote"])
    return pd.DataFrame({
        "incident_id": latest["incident_id"],
        "date": flat["date"].reindex(latest["incident_id"]).to_numpy(),
        "location": flat["location"].reindex(latest["incident_id"]).to_numpy(),
        "measure": latest["measure"].astype(str),
        "victims": latest["victims"].astype(str),
        "side": latest["side"],
        "claimant": latest["claimant_name"],
        "figure": latest["label"],
        "floor": latest["qualifier"].astype(str).isin(FLOORS) & latest["number"].notna(),
        "ceiling": latest["qualifier"].astype(str).isin(CEILINGS) & latest["number"].notna(),
        "quote": quote,
        "claimed_on": latest["claimed_on"],
        "source": link,
    }).sort_values(["incident_id", "measure", "victims", "side"], kind="stable")


def write(package: Package, out: Path) -> list[Path]:
    """Write ``datawrapper/<measure>-<victims>.csv`` and ``datawrapper/sources.csv``.

    Parameters
    ----------
    package : Package
        The loaded tables.
    out : pathlib.Path
        Directory to write into (``datawrapper/`` is created when missing).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    folder = out_dir(Path(out) / SUBDIR)
    written = []
    for name, table in chart_tables(package).items():
        path = folder / f"{name}.csv"
        atomic_write(path, csv_bytes(table, [list(table.columns)]))
        written.append(path)
    table = sources_table(package)
    path = folder / SOURCES_FILE
    atomic_write(path, csv_bytes(table, [list(table.columns)]))
    written.append(path)
    return written
