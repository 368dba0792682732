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
import pyarrow as pa
import pyarrow.compute as pc

from incidents.claims import CEILINGS, FLOORS, interval, intervals
from incidents.exporters._csv import csv_bytes
from incidents.exporters._files import out_dir
from incidents.exporters._package import Package
from incidents.safeio import atomic_write

SUBDIR = "datawrapper"
SOURCES_FILE = "sources.csv"
WORDED = " (as worded)"


def _num(value: float) -> str:
    return f"{value:.0f}"  # no thousands separator: Datawrapper reads "1500" as a number


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


def figures(claims: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """:func:`figure` for every row of a claims frame at once.

    Returns
    -------
    tuple
        The numbers (NaN where no figure is stated) and the labels (empty there).
    """
    qualifier = claims["qualifier"].astype(object).to_numpy()
    low, best, high = (claims[c].to_numpy(dtype=np.float64, na_value=np.nan)
                       for c in ("low", "best", "high"))
    lo, hi = intervals(qualifier, low, best, high)
    stated = ~np.isnan(lo)
    floor = stated & np.isin(qualifier, list(FLOORS))
    ceiling = stated & np.isin(qualifier, list(CEILINGS))
    ranged = stated & ~floor & ~ceiling & (lo != hi)
    number = np.where(ceiling, hi, np.where(ranged & ~np.isnan(best), best, lo))

    def text(values: np.ndarray) -> pa.Array:
        finite = np.isfinite(values)
        ints = pa.array(np.where(finite, values, 0).astype(np.int64), mask=~finite)
        return pc.cast(ints, pa.string())

    lo_text, hi_text = text(lo), text(hi)
    about = pa.array(np.where(qualifier == "about", "~", ""), pa.string())
    point = pc.binary_join_element_wise(about, lo_text, "")
    labels = pc.if_else(pa.array(floor), pc.binary_join_element_wise(lo_text, "+", ""),
             pc.if_else(pa.array(ceiling), pc.binary_join_element_wise("≤", hi_text, ""),
             pc.if_else(pa.array(ranged), pc.binary_join_element_wise(lo_text, hi_text, "–"),
                        point)))
    labels = pc.fill_null(labels, "")
    return number, pd.Series(labels.to_numpy(zero_copy_only=False), index=claims.index,
                             dtype=object)


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
    side = claims["claimant"].map(actors["side"].astype("string"))
    rows = claims.assign(side=side, published=claims["source_id"].map(sources["published"]))
    rows = rows[rows["side"].notna()]
    number, label = figures(rows)
    rows = rows.assign(number=number, has_figure=~np.isnan(number))
    keys = ["incident_id", "measure", "victims", "side"]
    rows = rows.sort_values([*keys, "has_figure", "claimed_on", "published", "claim_id"],
                            na_position="first", kind="stable")
    latest = rows.groupby(keys, observed=True, sort=False).tail(1)
    label = label.reindex(latest.index)
    words = latest["vague_term"].astype(object).fillna(latest["stance"].astype(object))
    latest = latest.assign(
        label=label.where(label != "", words),
        claimant_name=latest["claimant"].map(actors["name"]),
        publisher=latest["source_id"].map(sources["publisher"]),
        url=latest["source_id"].map(sources["url"]),
    )
    return latest.drop(columns=["has_figure"]).reset_index(drop=True)


def chart_tables(package: Package, latest: pd.DataFrame | None = None
                 ) -> dict[str, pd.DataFrame]:
    """One wide table per ``measure-victims`` group that has a figure.

    Parameters
    ----------
    package : Package
        The loaded tables.
    latest : pandas.DataFrame, optional
        :func:`latest_claims` of the package, when already computed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"killed-civilians"`` -> one row per incident: incident_id, date, location,
        perpetrator, then per side its number and its worded figure.
    """
    latest = latest_claims(package) if latest is None else latest
    flat = package.tables["flat"].set_index("incident_id")
    side_order = list(package.tables["actors"]["side"].cat.categories)
    out = {}
    for (measure, victims), group in latest.groupby(["measure", "victims"], observed=True,
                                                    sort=True):
        if not group["number"].notna().any():
            continue
        wide = group.pivot(index="incident_id", columns="side", values=["number", "label"])
        present = set(group["side"])
        ids = wide.index
        columns = {
            "incident_id": ids,
            "date": flat["date"].reindex(ids).to_numpy(),
            "location": flat["location"].reindex(ids).to_numpy(),
            "perpetrator": flat["perpetrator"].reindex(ids).to_numpy(),
        }
        for side in (s for s in side_order if s in present):
            columns[side] = pd.array(wide[("number", side)].to_numpy(dtype=np.float64),
                                     dtype="Float64")
            columns[side + WORDED] = wide[("label", side)].to_numpy()
        out[f"{measure}-{victims}"] = pd.DataFrame(columns)
    return out


def sources_table(package: Package, latest: pd.DataFrame | None = None) -> pd.DataFrame:
    """The claims behind the chart tables, each with its quote and a link to its source."""
    latest = latest_claims(package) if latest is None else latest
    flat = package.tables["flat"].set_index("incident_id")
    link = np.where(latest["url"].notna(),
                    "[" + latest["publisher"].astype(str) + "](" + latest["url"].astype(str) + ")",
                    latest["publisher"].astype(str))
    quote = latest["quote_en"].fillna(latest["quote"])
    stated = latest["number"].notna()
    qualifier = latest["qualifier"].astype(str)
    return pd.DataFrame({
        "incident_id": latest["incident_id"],
        "date": flat["date"].reindex(latest["incident_id"]).to_numpy(),
        "location": flat["location"].reindex(latest["incident_id"]).to_numpy(),
        "measure": latest["measure"].astype(str),
        "victims": latest["victims"].astype(str),
        "side": latest["side"],
        "claimant": latest["claimant_name"],
        "figure": latest["label"],
        "floor": qualifier.isin(FLOORS) & stated,
        "ceiling": qualifier.isin(CEILINGS) & stated,
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
    latest = latest_claims(package)
    for name, table in chart_tables(package, latest).items():
        path = folder / f"{name}.csv"
        atomic_write(path, csv_bytes(table, [list(table.columns)]))
        written.append(path)
    table = sources_table(package, latest)
    path = folder / SOURCES_FILE
    atomic_write(path, csv_bytes(table, [list(table.columns)]))
    written.append(path)
    return written
