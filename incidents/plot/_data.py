"""What each chart shows, as plain pandas (no matplotlib): the alt text and the charts share it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents._paths import bundled_root
from incidents._version import __version__
from incidents.load import load_table
from incidents.plot._style import (
    _DISPUTE_WORDS,
    _MONTHS,
    _NO_FIGURE,
    _OPEN,
    _TYPE_WORDS,
    _UP_TO,
    _VICTIM_NOUN,
    _VICTIM_NOUNS,
    MEASURE_WORDS,
    SIDE_COLORS,
    SIDE_LABELS,
)

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    pass


@dataclass(frozen=True)
class _Tables:
    incidents: pd.DataFrame  # indexed by incident_id
    claims: pd.DataFrame  # enriched: side, names, publisher, when, lo, hi, kind
    actors: pd.DataFrame  # indexed by actor_id


def _stamp(root: Path | None) -> tuple[str, tuple[int, ...]]:
    """Key for the table cache: the package directory and its files' modification times."""
    base = Path(root) if root is not None else bundled_root()
    files = [base / "datapackage.json", *sorted((base / "data").glob("*.csv"))]
    return str(base.resolve()), tuple(f.stat().st_mtime_ns for f in files if f.exists())


def _tables(root: Path | None) -> _Tables:
    key = _stamp(root)
    return _tables_cached(key, Path(key[0]))


@lru_cache(maxsize=4)
def _tables_cached(key: tuple, root: Path) -> _Tables:
    # A gallery draws one chart per incident; reading and joining the tables once saves
    # most of its time. The key changes whenever a file does.
    incidents = load_table("incidents", root)
    incidents.index = pd.Index(incidents["incident_id"].astype(object).to_numpy())
    actors = load_table("actors", root)
    actors.index = pd.Index(actors["actor_id"].astype(object).to_numpy())
    sources = load_table("sources", root).set_index("source_id")
    claims = _enrich(load_table("claims", root), actors, sources)
    return _Tables(incidents, claims, actors)


def _enrich(claims: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "claim_id": claims["claim_id"].astype(object),
        "incident_id": claims["incident_id"].astype(object),
        "source_id": claims["source_id"].astype(object),
        "claimant": claims["claimant"].astype(object),
        "measure": claims["measure"].astype(object),
        "victims": claims["victims"].astype(object),
        "qualifier": claims["qualifier"].astype(object),
        "stance": claims["stance"].astype(object),
        "vague_term": claims["vague_term"].astype(object),
        "quote": claims["quote_en"].fillna(claims["quote"]).astype(object),
    })
    for col in ("low", "best", "high"):
        out[col] = claims[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out["side"] = claims["claimant"].map(actors["side"].astype(object)).astype(object)
    out["claimant_name"] = claims["claimant"].map(actors["name"]).fillna(claims["claimant"])
    out["publisher"] = claims["source_id"].map(sources["publisher"]).fillna(claims["source_id"])
    published = claims["source_id"].map(sources["published"])
    out["when"] = claims["claimed_on"].fillna(published)
    spans = [_interval(*row) for row in zip(out["qualifier"], out["low"], out["best"],
                                            out["high"], strict=True)]
    out["lo"] = [s[0] for s in spans]
    out["hi"] = [s[1] for s in spans]
    out["kind"] = [s[2] for s in spans]
    return out.reset_index(drop=True)


def _interval(qualifier: str, low: float, best: float, high: float) -> tuple[float, float, str]:
    """The counts a claim allows, as (lo, hi, kind); hi is inf for open-ended claims.

    ``kind`` is how the claim is drawn: ``point``, ``range``, ``open`` (no upper bound),
    ``upto`` (from zero to a ceiling) or ``none`` (no figure).
    """
    stated = [v for v in (low, best, high) if not math.isnan(v)]
    if not stated:
        return math.nan, math.nan, "none"
    if qualifier in _OPEN or qualifier == "vague":
        # 'dozens' gives only a floor; drawing it as a point would invent a number
        return (low if not math.isnan(low) else min(stated)), math.inf, "open"
    if qualifier in _UP_TO:
        return 0.0, (high if not math.isnan(high) else max(stated)), "upto"
    lo, hi = min(stated), max(stated)
    return lo, hi, ("point" if lo == hi else "range")


def _num(value: float) -> str:
    return f"{round(value):,}"


def _amount(row: Any) -> str:
    """The figure in words, as the claimant worded it: 'at least 24', '“dozens” (24+)'."""
    q, kind = row.qualifier, row.kind
    if kind == "none":
        return f"“{row.vague_term}”" if isinstance(row.vague_term, str) else ""
    if q == "about":
        return f"about {_num(row.lo)}"
    if q == "at_least":
        return f"at least {_num(row.lo)}"
    if q == "more_than":
        return f"more than {_num(row.lo)}"
    if q == "up_to":
        return f"up to {_num(row.hi)}"
    if q == "fewer_than":
        return f"fewer than {_num(row.hi)}"
    if q == "vague":
        return f"“{row.vague_term}” ({_num(row.lo)}+)"
    if kind == "range":
        text = f"{_num(row.lo)}–{_num(row.hi)}"
        return text + (f" (best {_num(row.best)})" if not math.isnan(row.best) else "")
    return _num(row.lo)


def _value_text(row: Any) -> str:
    """What a claim says, for the value column: amount, who, and any stance but 'asserts'."""
    if row.kind == "none":
        word = _NO_FIGURE.get(row.stance, row.stance)
        amount = _amount(row)
        return f"{amount}, {word}" if amount else word
    one = row.kind == "point" and row.lo == 1 and row.qualifier == "exact"
    noun = (_VICTIM_NOUN if one else _VICTIM_NOUNS).get(row.victims, "")
    text = f"{_amount(row)} {noun}".strip()
    return text if row.stance == "asserts" else f"{text} · {row.stance}"


def _date_text(when: Any) -> str:
    if when is None or pd.isna(when):
        return "undated"
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def _incident_date(inc: pd.Series) -> str:
    start, end, precision = inc["date"], inc["date_end"], inc["date_precision"]
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    if precision == "week":
        return f"week of {_date_text(start)}"
    if pd.notna(end) and end != start:
        if (end.year, end.month) == (start.year, start.month):
            return f"{start.day}–{_date_text(end)}"
        if end.year == start.year:
            return f"{start.day} {_MONTHS[start.month - 1]} – {_date_text(end)}"
        return f"{_date_text(start)} – {_date_text(end)}"
    return _date_text(start)


def _short_place(location: str, limit: int = 48) -> str:
    """The place without alternative spellings in brackets, cut at a clause boundary."""
    place = re.sub(r"\s*\([^)]*\)", "", str(location)).split(";")[0].strip(" ,:")
    if len(place) <= limit:
        return place
    cut = place.rfind(",", 0, limit)
    return place[:cut] if cut > limit // 2 else place[: limit - 1].rstrip() + "…"


def _incident_title(inc: pd.Series) -> str:
    kind = _TYPE_WORDS.get(str(inc["incident_type"]), "Incident")
    return f"{kind}: {_short_place(inc['location'])}, {_incident_date(inc)}"


def _dispute_codes(value: Any) -> list[str]:
    """The dispute codes of an incident in the codebook's order, however they were entered."""
    codes = [c for c in str(value or "").split(";") if c] if pd.notna(value) else []
    order = list(_DISPUTE_WORDS)
    return sorted(set(codes), key=lambda c: order.index(c) if c in order else len(order))


def _dispute_words(inc: pd.Series) -> str:
    if not bool(inc["disputed"]):
        return "Not disputed."
    codes = _dispute_codes(inc["dispute"])
    words = [_DISPUTE_WORDS.get(c, c) for c in codes] or ["the account"]
    if len(words) > 1:
        words = [", ".join(words[:-1]) + " and " + words[-1]]
    return f"Disputed: {words[0]}."


def _side_label(side: Any) -> str:
    return SIDE_LABELS.get(side, "Unknown") if isinstance(side, str) else "Unknown"


def _lane_label(lane: str) -> str:
    """A timeline lane: a side, or the incidents nobody is known to have carried out."""
    return _side_label(lane) if lane in SIDE_COLORS else "Unknown perpetrator"


def _side_order(sides: Any) -> list[str]:
    """Distinct sides in the fixed order of SIDE_COLORS, so legends read the same everywhere."""
    present = {s for s in sides if isinstance(s, str)}
    known = [s for s in SIDE_COLORS if s in present]
    return known + sorted(present - set(known))


def _incident(t: _Tables, incident_id: str) -> pd.Series:
    if incident_id not in t.incidents.index:
        raise ValueError(f"unknown incident_id {incident_id!r}: the data package has no such "
                         "incident")
    return t.incidents.loc[incident_id]


def _perpetrator_name(t: _Tables, actor_id: str) -> str:
    if actor_id in t.actors.index:
        return str(t.actors.at[actor_id, "name"])
    return actor_id


def _pick_measure(rows: pd.DataFrame) -> str | None:
    """The measure most claims give a figure for; ties go to the codebook's order."""
    figures = rows[rows["kind"] != "none"]
    if figures.empty:
        return None
    counts = figures["measure"].value_counts()
    order = list(MEASURE_WORDS)
    best = counts[counts == counts.max()].index
    return min(best, key=lambda m: order.index(m) if m in order else len(order))


@dataclass
class _ClaimsSpec:
    incident: pd.Series
    measure: str | None
    rows: pd.DataFrame  # figure rows, then text rows; columns below
    n_figure_rows: int
    other_measures: dict[str, int]
    sources: set
    title: str
    subtitle: str


def _merge_reports(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per distinct claim; further reports of the same claim only add a count.

    The same statement is often carried by several outlets; repeating it row after row
    would crowd the chart without adding information.
    """
    rows = rows.sort_values(["when", "claim_id"], na_position="last")
    key_frame = rows[keys].astype(str)
    grouped = rows.groupby([key_frame[k] for k in keys], sort=False, dropna=False)
    first = grouped.head(1).copy()
    first["reports"] = grouped["claim_id"].transform("size").loc[first.index]
    group = grouped.ngroup()
    behind = rows.groupby(group)["source_id"].agg(frozenset)
    first["source_set"] = group.loc[first.index].map(behind)
    return first


def _order_by_side(rows: pd.DataFrame) -> pd.DataFrame:
    """Group rows by side (the side that spoke first comes first), then by date."""
    if rows.empty:
        return rows
    sides = rows["side"].fillna("unknown")
    firsts = rows.groupby(sides)["when"].min()
    fixed = list(SIDE_COLORS)

    def key(side: str) -> tuple:
        first = firsts[side]
        return (pd.isna(first), first if pd.notna(first) else pd.Timestamp.max,
                fixed.index(side) if side in fixed else len(fixed))

    rank = {side: i for i, side in enumerate(sorted(firsts.index, key=key))}
    rows = rows.assign(_rank=sides.map(rank))
    return rows.sort_values(["_rank", "when", "claim_id"], na_position="last").drop(
        columns="_rank")


def _claims_spec(incident_id: str, measure: str | None, root: Path | None) -> _ClaimsSpec:
    t = _tables(root)
    inc = _incident(t, incident_id)
    mine = t.claims[t.claims["incident_id"] == incident_id]
    if measure is not None and measure not in MEASURE_WORDS:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURE_WORDS)}")
    measure = measure if measure is not None else _pick_measure(mine)
    plotted = mine["kind"].ne("none") & mine["measure"].eq(measure)
    contest = mine["stance"].isin(["denies", "disputes"])
    texts = mine[~plotted & (mine["kind"].eq("none") | contest)]
    other = mine[~plotted & mine["kind"].ne("none") & ~contest]
    keys = ["claimant", "measure", "victims", "qualifier", "low", "best", "high", "stance",
            "vague_term"]
    figure_rows = _order_by_side(_merge_reports(mine[plotted], keys))
    text_rows = _merge_reports(texts, ["claimant", "stance"]).sort_values(
        ["when", "claim_id"], na_position="last") if len(texts) else texts.assign(
        reports=[], source_set=[])
    rows = pd.concat([figure_rows.assign(text_row=False), text_rows.assign(text_row=True)],
                     ignore_index=True)
    rows["value"] = [_value_text(r) for r in rows.itertuples()]
    sources = _sources_of(rows)
    perp = _perpetrator_name(t, str(inc["perpetrator"]))
    what = MEASURE_WORDS.get(measure, "") if measure else ""
    figures = (f"Figures for {what}, as each party states them." if measure
               else "No party gives a figure.")
    subtitle = f"Attributed to {perp}. {_dispute_words(inc)} {figures}"
    return _ClaimsSpec(
        incident=inc, measure=measure, rows=rows, n_figure_rows=len(figure_rows),
        other_measures=other["measure"].value_counts().to_dict(), sources=sources,
        title=_incident_title(inc), subtitle=subtitle,
    )


def _sources_of(rows: pd.DataFrame) -> set:
    """The distinct sources behind merged rows (each row may stand for several reports)."""
    return set().union(*rows["source_set"]) if len(rows) else set()


def _source_line(n: int) -> str:
    return f"Source: incidents dataset v{__version__}, {n} source{'' if n == 1 else 's'}"


def _parse_day(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name}={value!r} is not a date") from exc


def _select_incidents(t: _Tables, start: Any, end: Any, perpetrator: str | None) -> pd.DataFrame:
    """Incidents in [start, end] attributed to ``perpetrator`` (an actor_id or a side code)."""
    inc = t.incidents.copy()
    inc["perpetrator_side"] = inc["perpetrator"].map(t.actors["side"].astype(object))
    lo, hi = _parse_day(start, "start"), _parse_day(end, "end")
    if lo is not None:
        inc = inc[inc["date"] >= lo]
    if hi is not None:
        inc = inc[inc["date"] <= hi]
    if perpetrator is not None:
        if perpetrator in SIDE_COLORS:
            inc = inc[inc["perpetrator_side"] == perpetrator]
        elif perpetrator in t.actors.index:
            inc = inc[inc["perpetrator"] == perpetrator]
        else:
            raise ValueError(f"unknown perpetrator {perpetrator!r}: give an actor_id or one of "
                             f"the side codes ({', '.join(SIDE_COLORS)})")
    return inc.sort_values(["date", "incident_id"])


@dataclass
class _SpanSpec:
    rows: pd.DataFrame  # one per incident: label, date, disputed, gap, spans
    spans: pd.DataFrame  # one per incident and side: lo, hi, open
    claims: pd.DataFrame  # the claims behind the spans
    measure: str
    n_candidates: int  # incidents selected before dropping those without figures
    sources: set
    title: str
    subtitle: str
    order: str


def _span_spec(measure: str, victims: str | None, start: Any, end: Any,
               perpetrator: str | None, order: str, root: Path | None) -> _SpanSpec:
    if measure not in MEASURE_WORDS:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURE_WORDS)}")
    if order not in ("date", "gap"):
        raise ValueError(f"order must be 'date' or 'gap', not {order!r}")
    if victims is not None and victims not in _VICTIM_NOUNS:
        raise ValueError(f"unknown victims {victims!r}; choose one of {', '.join(_VICTIM_NOUNS)}")
    t = _tables(root)
    inc = _select_incidents(t, start, end, perpetrator)
    c = t.claims[t.claims["incident_id"].isin(inc.index) & t.claims["kind"].ne("none")
                 & t.claims["measure"].eq(measure)]
    # Like the flat view: counts of children alone are a subset, not a rival figure.
    c = c[c["victims"].eq(victims)] if victims is not None else c[c["victims"].ne("children")]
    c = c.assign(side=c["side"].fillna("unknown"))
    spans = c.groupby(["incident_id", "side"], sort=False).agg(
        lo=("lo", "min"), hi=("hi", "max")).reset_index()
    spans["open"] = np.isinf(spans["hi"])
    rows = inc.loc[inc.index.isin(spans["incident_id"])].copy()
    rows["gap"] = [_gap(spans[spans["incident_id"] == i]) for i in rows.index]
    rows["label_head"] = [_short_place(p) for p in rows["location"]]
    rows["label_tail"] = [_incident_date(r) for _, r in rows.iterrows()]
    if order == "gap":
        rows = rows.sort_values(["gap", "date"], ascending=[False, True], kind="stable")
    what = MEASURE_WORDS[measure]
    who = f" ({_VICTIM_NOUNS.get(victims) or victims})" if victims else ""
    period = ""
    if len(rows):
        first, last = rows["date"].min(), rows["date"].max()
        period = f", {first.year}" if first.year == last.year else f", {first.year}–{last.year}"
    sort_words = "by date" if order == "date" else "by the gap between the sides, largest first"
    subtitle = (f"The range of figures each side gives for {what}{who} in each incident"
                f"{period}, sorted {sort_words}.")
    return _SpanSpec(rows=rows, spans=spans, claims=c, measure=measure, n_candidates=len(inc),
                     sources=set(c["source_id"]), title=f"What each side says: {what}{who}",
                     subtitle=subtitle, order=order)


def _gap(spans: pd.DataFrame) -> float:
    """How far apart two sides' figures are: the largest floor minus the smallest ceiling."""
    best = 0.0
    for a in spans.itertuples():
        for b in spans.itertuples():
            if a.side != b.side and np.isfinite(b.hi):
                best = max(best, a.lo - b.hi)
    return best


@dataclass
class _TimelineSpec:
    incidents: pd.DataFrame
    lanes: list[str]
    sources: set
    title: str
    subtitle: str


def _timeline_spec(start: Any, end: Any, perpetrator: str | None,
                   root: Path | None) -> _TimelineSpec:
    t = _tables(root)
    inc = _select_incidents(t, start, end, perpetrator)
    # an unknown perpetrator is coded with the independent side; it is no side's doing
    types = inc["perpetrator"].map(t.actors["actor_type"].astype(object))
    unknown = types.eq("unknown") | inc["perpetrator_side"].isna()
    inc = inc.assign(perpetrator_side=inc["perpetrator_side"].where(~unknown, "unknown"))
    lanes = _side_order(inc["perpetrator_side"])
    claims = t.claims[t.claims["incident_id"].isin(inc.index)]
    n, k = len(inc), int(inc["disputed"].sum())
    if n:
        first, last = inc["date"].min(), inc["date"].max()
        period = (f"in {first.year}" if first.year == last.year
                  else f"from {first.year} to {last.year}")
        subtitle = (f"{n} incident{'s' if n != 1 else ''} {period}, placed by date and by the "
                    f"side each is attributed to. {k} of them disputed (filled diamonds).")
    else:
        subtitle = "No incident matches."
    return _TimelineSpec(incidents=inc, lanes=lanes, sources=set(claims["source_id"]),
                         title="Incidents over time, by the side held responsible",
                         subtitle=subtitle)
