"""Newsroom charts of the casualty figures each party claims.

Three Axes-first helpers draw the dataset the way a graphics desk would publish it:

* :func:`claims` -- one incident, one row per claim, so a reader sees who says what;
* :func:`claimed_vs_disputed` -- many incidents, the span of figures each side gives;
* :func:`timeline` -- incidents over time, one lane per side held responsible.

Each takes an optional ``ax`` and returns the Axes, and a ``root`` data package directory
(default: the bundled data). :func:`describe` gives the plain-language alt text of the same
chart; each chart also leaves the description of exactly what it drew (rows left out for
lack of room included) on its figure as ``fig.alt_text``.

Every chart gets the same finish: a headline, a subtitle that says what is disputed, a legend
of the sides shown, notes on how to read the marks and a source line. Each side keeps one
colour in every chart (:data:`SIDE_COLORS`).

An ``ax`` alone in its figure gets the whole figure; one that shares its figure keeps to its
own cell. Either way the layout is measured, not left to a layout engine (a figure's engine is
switched off), so call the chart function last, after the figure has its final size.

Matplotlib is imported inside the functions only, so ``import incidents.plot`` stays cheap and
works where matplotlib is not installed (``pip install incidents[plot]``).

Examples
--------
>>> from incidents import plot
>>> ax = plot.claims("SYR-2019-0001")
>>> ax.figure.savefig("claims.png")
>>> print(plot.describe("claims", incident_id="SYR-2019-0001"))
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents._paths import bundled_root
from incidents._version import __version__
from incidents.load import load_table

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

__all__ = [
    "SIDE_COLORS",
    "SIDE_LABELS",
    "SIZES",
    "STYLE",
    "claimed_vs_disputed",
    "claims",
    "describe",
    "figure",
    "save",
    "timeline",
]

# --------------------------------------------------------------------------------------
# Fixed style
# --------------------------------------------------------------------------------------

#: Figure sizes in inches. ``web`` is 16:9 at 1280 x 720 pixels at 100 dpi; ``square`` suits
#: social media; ``column`` is one print column.
SIZES: dict[str, tuple[float, float]] = {
    "web": (12.8, 7.2),
    "square": (8.0, 8.0),
    "column": (3.5, 4.5),
}

#: One colour per ``side`` code, the same in every chart. The eight Okabe-Ito colours, which
#: stay distinct under the common colour-vision deficiencies, plus neutral grey for
#: ``independent`` and Paul Tol's wine for a tenth side (it differs from the others in
#: lightness, which survives every deficiency).
SIDE_COLORS: dict[str, str] = {
    "us_led_coalition": "#0072B2",  # blue
    "syrian_government": "#D55E00",  # vermillion
    "russia": "#CC79A7",  # reddish purple
    "iran": "#882255",  # wine (Tol)
    "sdf": "#F0E442",  # yellow
    "syrian_opposition": "#009E73",  # bluish green
    "islamic_state": "#000000",  # black
    "turkey": "#E69F00",  # orange
    "israel": "#56B4E9",  # sky blue
    "independent": "#8C8C8C",  # neutral grey
}

#: How each side is named in legends and lanes.
SIDE_LABELS: dict[str, str] = {
    "us_led_coalition": "US-led coalition",
    "syrian_government": "Syrian government",
    "russia": "Russia",
    "iran": "Iran",
    "sdf": "SDF",
    "syrian_opposition": "Syrian opposition",
    "islamic_state": "Islamic State",
    "turkey": "Turkey",
    "israel": "Israel",
    "independent": "Independent (monitors, media, UN)",
}

#: rcParams every chart is drawn and saved with: one shipped font, text kept as text in SVG
#: and PDF so the desk can edit and search it, no mathtext surprises from "$" in quotes.
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.hashsalt": "incidents",
    "text.parse_math": False,
    # unhinted glyphs measure the same at every dpi and in SVG/PDF, so a layout measured at
    # 100 dpi still fits when saved at 300
    "text.hinting": "no_hinting",
    "axes.unicode_minus": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "lines.solid_capstyle": "butt",
}

FONT = "DejaVu Sans"
INK = "#1a1a1a"
INK_SOFT = "#595959"
AXIS = "#8c8c8c"
GRID = "#e0e0e0"
BAND = "#ededed"
UNKNOWN_SIDE = "#c4c4c4"  # not a side: light, and drawn with a dark outline

MEASURE_WORDS = {
    "killed": "people killed",
    "injured": "people injured",
    "casualties": "casualties (killed and injured together)",
    "missing": "people missing",
    "captured": "people captured",
    "eliminated": "people 'eliminated' (killed, captured or wounded)",
    "destroyed": "objects destroyed",
    "damaged": "objects damaged",
    "displaced": "people displaced",
}
_VICTIM_NOUNS = {
    "civilians": "civilians",
    "children": "children",
    "armed_forces": "troops",
    "armed_group": "fighters",
    "combatants": "combatants",
    "all": "people",
    "unknown": "",
    "materiel": "objects",
}
_VICTIM_NOUN = {  # for a count of one
    "civilians": "civilian",
    "children": "child",
    "armed_forces": "soldier",
    "armed_group": "fighter",
    "combatants": "combatant",
    "all": "person",
    "unknown": "",
    "materiel": "object",
}
_DISPUTE_WORDS = {
    "figures": "the figures",
    "attribution": "who carried it out",
    "circumstances": "how or why it happened",
    "occurrence": "whether it happened at all",
}
_TYPE_WORDS = {
    "airstrike": "Airstrike",
    "missile_strike": "Missile strike",
    "shelling": "Shelling",
    "chemical_attack": "Chemical attack",
    "ground_assault": "Ground assault",
    "bombing": "Bombing",
    "shootdown": "Shootdown",
    "execution": "Execution",
    "other": "Incident",
}
_NO_FIGURE = {
    "denies": "denies",
    "disputes": "disputes",
    "asserts": "no figure",
    "concedes": "concedes, no figure",
    "revises": "revises, no figure",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_OPEN = {"at_least", "more_than"}
_UP_TO = {"up_to", "fewer_than"}
_CHARTS = ("claims", "claimed_vs_disputed", "timeline")


@dataclass(frozen=True)
class _Type:
    """Type sizes (points) and proportions for one figure size."""

    title: float
    subtitle: float
    body: float
    small: float
    pad: float  # outer margin, inches
    label_share: float  # widest row-label column, as a share of the frame width
    value_share: float  # widest value column, as a share of the frame width


_TYPE = {
    "web": _Type(20, 13, 11, 9.5, 0.28, 0.38, 0.2),
    "square": _Type(16, 11, 9.5, 8, 0.22, 0.42, 0.24),
    # print column: 6 pt is the smallest size a newspaper prints
    "column": _Type(9.5, 7, 6.5, 6, 0.1, 0.45, 0.27),
}


# --------------------------------------------------------------------------------------
# Data: plain pandas, no matplotlib (describe() and the charts share it)
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# Alt text
# --------------------------------------------------------------------------------------


def describe(kind: str, **kwargs: Any) -> str:
    """Describe a chart in plain language, for alt text.

    Parameters
    ----------
    kind : {"claims", "claimed_vs_disputed", "timeline"}
        Which chart.
    **kwargs
        The same arguments the chart function takes (``ax``, ``size`` and ``log`` are
        accepted and ignored).

    Returns
    -------
    str
        A few sentences: what the chart shows and which side claims what.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or the errors the chart function raises.
    """
    for ignored in ("ax", "size", "log"):
        kwargs.pop(ignored, None)
    if kind == "claims":
        return _describe_claims(**kwargs)
    if kind == "claimed_vs_disputed":
        return _describe_spans(**kwargs)
    if kind == "timeline":
        return _describe_timeline(**kwargs)
    raise ValueError(f"unknown chart kind {kind!r}; choose one of {', '.join(_CHARTS)}")


def _alt_side(side: Any) -> str:
    return "independent" if side == "independent" else _side_label(side)


def _describe_claims(incident_id: str, *, measure: str | None = None,
                     root: Path | None = None) -> str:
    return _claims_alt(_claims_spec(incident_id, measure, root))


def _claims_alt(spec: _ClaimsSpec, shown: pd.DataFrame | None = None) -> str:
    """Alt text of a claims chart; ``shown`` are the rows drawn when some were left out."""
    rows = spec.rows if shown is None else shown
    parts = [f"Chart of the claims about one incident. {spec.title}. {spec.subtitle}"]
    for row in rows.itertuples():
        side = _alt_side(row.side)
        who = f"{row.claimant_name} ({side})"
        said = f"reported by {row.publisher}, {_date_text(row.when)}"
        more = f", and {row.reports - 1} further report(s)" if row.reports > 1 else ""
        parts.append(f"{who}, {said}{more}: {row.value}.")
    if not len(spec.rows):
        parts.append("No claim is recorded.")
    if len(rows) < len(spec.rows):
        parts.append(f"{len(spec.rows) - len(rows)} more claim(s) are left out for lack of "
                     "room.")
    if spec.other_measures:
        other = ", ".join(f"{n} about {MEASURE_WORDS.get(m, m)}"
                          for m, n in spec.other_measures.items())
        parts.append(f"Not shown: {other}.")
    return " ".join(parts)


def _describe_spans(*, measure: str = "killed", victims: str | None = None, start: Any = None,
                    end: Any = None, perpetrator: str | None = None, order: str = "date",
                    root: Path | None = None) -> str:
    return _spans_alt(_span_spec(measure, victims, start, end, perpetrator, order, root))


def _spans_alt(spec: _SpanSpec, shown: pd.DataFrame | None = None) -> str:
    """Alt text of the overview; ``shown`` are the incidents drawn when some were left out."""
    rows = spec.rows if shown is None else shown
    n = len(rows)
    parts = [f"{spec.title}. {spec.subtitle}"]
    if not len(spec.rows):
        parts.append(f"No incident has a figure for {MEASURE_WORDS[spec.measure]}.")
        return " ".join(parts)
    k = int(rows["disputed"].sum())
    parts.append(f"{n} incident{'s' if n != 1 else ''}, {k} disputed.")
    if n < len(spec.rows):
        which = "most recent" if spec.order == "date" else "with the largest gaps"
        parts.append(f"Only the {n} {which} of {len(spec.rows)} incidents are drawn.")
    top = rows.sort_values("gap", ascending=False).head(3)
    top = top[top["gap"] > 0]
    for inc_id, row in top.iterrows():
        sides = spec.spans[spec.spans["incident_id"] == inc_id]
        said = "; ".join(f"{_alt_side(s.side)} {_span_words(s)}" for s in sides.itertuples())
        parts.append(f"{row['label_head']}, {row['label_tail']}: {said}.")
    missing = spec.n_candidates - n
    if missing:
        parts.append(f"{missing} incident(s) with no such figure are not shown.")
    return " ".join(parts)


def _span_words(span: Any) -> str:
    if span.open:
        return f"{_num(span.lo)} or more"
    if span.lo == span.hi:
        return _num(span.lo)
    return f"{_num(span.lo)} to {_num(span.hi)}"


def _describe_timeline(*, start: Any = None, end: Any = None, perpetrator: str | None = None,
                       root: Path | None = None) -> str:
    return _timeline_alt(_timeline_spec(start, end, perpetrator, root))


def _timeline_alt(spec: _TimelineSpec) -> str:
    parts = [f"{spec.title}. {spec.subtitle}"]
    inc = spec.incidents
    for lane in spec.lanes:
        mine = inc[inc["perpetrator_side"] == lane]
        parts.append(f"{_lane_label(lane)}: {len(mine)} ({int(mine['disputed'].sum())} "
                     "disputed).")
    return " ".join(parts)


# --------------------------------------------------------------------------------------
# Figures, text measurement and the newsroom frame
# --------------------------------------------------------------------------------------


def figure(size: str = "web") -> Figure:
    """Create an empty figure at one of the newsroom sizes.

    Parameters
    ----------
    size : {"web", "square", "column"}
        A key of :data:`SIZES`.

    Returns
    -------
    matplotlib.figure.Figure
        A 100-dpi figure with no layout engine: the chart functions place every element
        themselves, from measured text extents.
    """
    import matplotlib.pyplot as plt

    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    with _style():
        return plt.figure(figsize=SIZES[size], dpi=100, layout="none")


def save(fig: Figure, path: str | Path, *, dpi: int | None = None) -> Path:
    """Save a chart with text kept as text and no time stamps in the file.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or pathlib.Path
        Where to write; the suffix chooses the format.
    dpi : int, optional
        Resolution of raster formats (default: the figure's).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    # reproducible files: the same data gives the same bytes, so diffs show real changes
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}
    with _style():
        fig.savefig(path, dpi=dpi or fig.dpi, metadata=metadata.get(fmt), facecolor="white")
    return path


def _style():
    import matplotlib

    return matplotlib.rc_context(STYLE)


def _renderer(fig: Figure):
    canvas = fig.canvas
    if hasattr(canvas, "get_renderer"):
        return canvas.get_renderer()
    return fig._get_renderer()  # backends without get_renderer (e.g. macosx)


def _prop(size: float, weight: str = "normal", style: str = "normal"):
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=FONT, size=size, weight=weight, style=style)


class _Measure:
    """Text widths in display pixels, from the figure's renderer (so at its dpi)."""

    def __init__(self, fig: Figure):
        self.renderer = _renderer(fig)

    def width(self, text: str, prop) -> float:
        if not text:
            return 0.0
        w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w * 1.03  # slack for renderers that hint glyphs (a few % wider at some dpi)

    def shorten(self, text: str, width: float, prop) -> str:
        """Cut ``text`` to fit ``width``, at a word boundary where one is near, with '…'."""
        if self.width(text, prop) <= width:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + "…", prop) <= width:
                lo = mid
            else:
                hi = mid - 1
        cut = text[:lo]
        space = cut.rfind(" ")
        if space > lo * 0.6:
            cut = cut[:space]
        return cut.rstrip(" ,;:–—-") + "…" if cut.strip() else "…"

    def wrap(self, text: str, width: float, prop, max_lines: int | None = None) -> list[str]:
        """Greedy word wrap to ``width``; past ``max_lines`` the last line ends in '…'."""
        lines: list[str] = []
        for paragraph in str(text).split("\n"):
            current = ""
            for word in (w for w in paragraph.split(" ") if w):  # keeps no-break spaces
                trial = f"{current} {word}" if current else word
                if current and self.width(trial, prop) > width:
                    lines.append(current)
                    current = word
                else:
                    current = trial
            lines.append(current)
        lines = [self.shorten(line, width, prop) for line in lines]
        if max_lines is not None and len(lines) > max_lines:
            rest = " ".join(lines[max_lines - 1:])
            lines = [*lines[: max_lines - 1], self.shorten(rest + " …", width, prop)]
        return lines

    def fit_label(self, head: str, mid: str, end: str, width: float, prop,
                  max_lines: int) -> str:
        """Fit 'head — mid, end' in ``max_lines``; ``end`` (a date) is never cut.

        One line if it fits; else the head on its own line(s) and 'mid, end' below; with a
        single line, head and mid are shortened side by side. A reader checking a claim
        needs who said it, where and when, so each part keeps some of its words.
        """
        sep = "\u00a0— " if head and mid else ""  # the dash stays with the claimant
        full = f"{head}{sep}{mid}{end}"
        if self.width(full, prop) <= width or max_lines < 1:
            return full
        if max_lines >= 2 and head:
            head_lines = self.wrap(f"{head}{sep}".strip(), width, prop, max_lines - 1)
            tail_line = self._squeeze(mid, end, width, prop)
            if head_lines[-1].endswith("…") and sep:
                head_lines[-1] = self.shorten(head_lines[-1][:-1].rstrip(" —\u00a0") + "…\u00a0—",
                                              width, prop)
            return "\n".join([*head_lines, tail_line])
        if not head:
            return self._squeeze(mid, end, width, prop)
        room = width - self.width(f"{sep}{end}", prop)
        head_w, mid_w = self.width(head, prop), self.width(mid, prop)
        if head_w + mid_w <= room:  # pragma: no cover - caught by the first test
            return full
        # share the room: neither part takes more than its natural width
        head_room = max(room * 0.5, room - mid_w)
        head_cut = self.shorten(head, head_room, prop)
        mid_cut = self.shorten(mid, room - self.width(head_cut, prop), prop)
        return f"{head_cut}{sep}{mid_cut}{end}" if mid_cut != "…" else f"{head_cut}{end}"

    def _squeeze(self, mid: str, end: str, width: float, prop) -> str:
        if not mid:
            return end.strip(" —,")
        return self.shorten(mid, width - self.width(end, prop), prop) + end


def _type_for(width_in: float) -> _Type:
    if width_in >= 10:
        return _TYPE["web"]
    if width_in >= 6:
        return _TYPE["square"]
    return _TYPE["column"]


def _px(fig: Figure, points: float) -> float:
    return points * fig.dpi / 72


def _frame_box(ax: Axes) -> tuple[Bbox, _Type]:
    """The area the chart may use, in display pixels, and the type sizes for it.

    A figure holding only this Axes is used whole (less a margin); an Axes that shares its
    figure keeps to its own cell.
    """
    from matplotlib.transforms import Bbox

    fig = ax.figure
    engine = fig.get_layout_engine()
    if len(fig.axes) > 1 and engine is not None and hasattr(engine, "execute"):
        # settle the cell once, then stop the engine from moving the framed Axes later
        engine.execute(fig)
        fig.set_layout_engine("none")
    elif engine is not None:
        fig.set_layout_engine("none")
    if len(fig.axes) == 1:
        w, h = fig.get_size_inches()
        t = _type_for(w)
        pad = t.pad * fig.dpi
        return Bbox.from_extents(pad, pad, w * fig.dpi - pad, h * fig.dpi - pad), t
    box = fig.transFigure.transform_bbox(ax.get_position())
    return box, _type_for(box.width / fig.dpi)


class _Frame:
    """Headline, subtitle, legend, notes and source line around one Axes.

    All of them are figure texts placed from measured extents: the headline and subtitle
    wrap to the frame width, the legend takes as many columns as fit, and what is left in
    the middle is the region the Axes (with its labels) must fit in.
    """

    def __init__(self, ax: Axes, title: str, subtitle: str, notes: list[str],
                 n_sources: int, handles: list[tuple[Any, str]]):
        self.ax, self.fig = ax, ax.figure
        self.box, self.t = _frame_box(ax)
        self.measure = _Measure(self.fig)
        self.raw = {"title": title, "subtitle": subtitle, "notes": "  ".join(notes)}
        self.raw["source"] = _source_line(n_sources)
        self.handles = handles
        t = self.t
        fig = self.fig
        common = {"ha": "left", "color": INK_SOFT, "fontfamily": FONT, "parse_math": False}
        self.texts = {
            "title": fig.text(0, 0, "", va="top", fontsize=t.title, fontweight="bold",
                              **{**common, "color": INK}),
            "subtitle": fig.text(0, 0, "", va="top", fontsize=t.subtitle, **common),
            "notes": fig.text(0, 0, "", va="bottom", fontsize=t.small, **common),
            "source": fig.text(0, 0, "", va="bottom", fontsize=t.small, **common),
        }
        for name, text in self.texts.items():
            text.set_gid(name)
        self.legend = None

    def set(self, **raw: str) -> None:
        self.raw.update(raw)

    def place(self) -> Bbox:
        """Lay out the frame; return the region left for the Axes, in display pixels."""
        from matplotlib.transforms import Bbox

        fig, box, r = self.fig, self.box, self.measure.renderer
        gap = _px(fig, self.t.body) * 0.7
        to_fig = fig.transFigure.inverted()
        y = box.y1
        for name in ("title", "subtitle"):
            y = self._put(name, box.x0, y, to_fig, r) - gap * (0.35 if name == "title" else 0.8)
        if self.handles:
            y = self._put_legend(box, y, to_fig, r) - gap * 0.6
        bottom = box.y0
        for name in ("source", "notes"):
            bottom = self._put(name, box.x0, bottom, to_fig, r, up=True) + gap * 0.3
        return Bbox.from_extents(box.x0, bottom + gap * 0.7, box.x1, y - gap * 0.3)

    def _put(self, name: str, x: float, y: float, to_fig, r, up: bool = False) -> float:
        text, raw = self.texts[name], self.raw[name]
        if not raw:
            text.set_text("")
            return y
        text.set_text("\n".join(self.measure.wrap(raw, self.box.width,
                                                  text.get_fontproperties())))
        text.set_position(to_fig.transform((x, y)))
        height = text.get_window_extent(r).height
        return y + height if up else y - height

    def _put_legend(self, box: Bbox, y: float, to_fig, r) -> float:
        anchor = to_fig.transform((box.x0, y))
        for ncols in range(len(self.handles), 0, -1):
            if self.legend is not None:
                self.legend.remove()
            handles, labels = _row_major(self.handles, ncols)
            self.legend = self.fig.legend(
                handles, labels, loc="upper left", bbox_to_anchor=tuple(anchor),
                bbox_transform=self.fig.transFigure, ncols=ncols, frameon=False,
                borderaxespad=0, borderpad=0, handlelength=1.1, handleheight=0.9,
                handletextpad=0.45, columnspacing=1.3, labelspacing=0.35,
                prop=_prop(self.t.body), labelcolor=INK,
            )
            extent = self.legend.get_window_extent(r)
            if extent.width <= box.width or ncols == 1:
                break
        self.legend.set_gid("legend")
        return y - extent.height


def _row_major(items: list[tuple[Any, str]], ncols: int) -> tuple[list, list]:
    """Reorder legend entries so a legend, which fills column by column, reads by rows."""
    n = len(items)
    nrows = -(-n // ncols)
    order = [r * ncols + c for c in range(ncols) for r in range(nrows) if r * ncols + c < n]
    return [items[i][0] for i in order], [items[i][1] for i in order]


def _side_handles(sides: list[str]) -> list[tuple[Any, str]]:
    from matplotlib.patches import Patch

    return [(Patch(facecolor=_color(s), edgecolor="none" if s in SIDE_COLORS else INK_SOFT,
                   linewidth=0.5), _side_label(s)) for s in sides]


def _color(side: Any) -> str:
    return SIDE_COLORS.get(side, UNKNOWN_SIDE) if isinstance(side, str) else UNKNOWN_SIDE


def _text_color(side: Any) -> tuple[float, float, float]:
    """The side's colour darkened until text in it reads on white (contrast 4.5:1)."""
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(_color(side)))
    for _ in range(20):
        linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        luminance = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
        if 1.05 / (luminance + 0.05) >= 4.5:
            break
        rgb = rgb * 0.85
    return tuple(float(v) for v in rgb)


def _own_axes(ax: Axes | None, size: str) -> Axes:
    if ax is not None:
        return ax
    fig = figure(size)
    return fig.add_axes((0.1, 0.1, 0.8, 0.8))


def _style_axes(ax: Axes, t: _Type) -> None:
    ax.set_facecolor("white")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(AXIS)
    ax.spines["bottom"].set_linewidth(0.8)
    ax.tick_params(axis="x", labelsize=t.small, labelcolor=INK_SOFT, color=AXIS, length=3,
                   width=0.8, direction="out", pad=2, labelfontfamily=FONT)
    ax.tick_params(axis="y", left=False, labelleft=False, right=False, labelright=False)
    ax.set_yticks([])
    ax.grid(axis="x", color=GRID, linewidth=0.8, linestyle="-")
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)


# --------------------------------------------------------------------------------------
# Rows: labels on the left, values on the right, layout from measured text
# --------------------------------------------------------------------------------------


class _Rows:
    """A chart of horizontal rows: wrapped labels left, a value column right, fitted layout.

    Row ``i`` is ``heights[i]`` units tall (default 1) and its marks sit at ``y(i)``; the
    first row is on top. Every label is wrapped to its own row's height, so labels never
    collide. ``stacked`` rows (for narrow charts) put the label on a line of its own above
    the marks, across the full width, instead of in a column on the left.
    """

    def __init__(self, ax: Axes, frame: _Frame, n: int, label_size: float | None = None,
                 heights: list[float] | None = None, stacked: bool = False):
        self.ax, self.frame, self.stacked = ax, frame, stacked
        self.t, self.m, self.fig = frame.t, frame.measure, ax.figure
        self.label_size = label_size or self.t.body
        self.value_share = self.t.value_share  # widest value column, share of frame width
        unit = 2.0 if stacked else 1.0
        self.heights = [float(h) for h in heights] if heights else [unit] * max(n, 1)
        edges = np.concatenate([[0.0], np.cumsum(self.heights)])
        self.centres = (edges[:-1] + edges[1:]) / 2
        self.total = float(edges[-1])
        self.labels: list[tuple[Any, int, str, str, str]] = []  # (artist, row, head, mid, end)
        self.values: list[Any] = []
        ax.set_ylim(self.total, 0)

    def y(self, i: int) -> float:
        """Where row ``i``'s marks go (the lower half of a stacked row)."""
        return float(self.centres[i]) + (0.45 if self.stacked else 0.0)

    def label_y(self, i: int) -> float:
        return float(self.centres[i]) - (0.5 if self.stacked else 0.0)

    def line_px(self, size: float) -> float:
        return _px(self.fig, size) * 1.2

    def axis_px(self) -> float:
        """Height the x axis takes below the rows: tick labels and the axis label."""
        return self.line_px(self.t.small) * 2.6

    def capacity(self, region: Bbox, size: float, per_row: float = 1.25,
                 heights: list[float] | None = None) -> int:
        """How many rows (of ``heights``, in order) fit in ``region`` with ``size`` labels."""
        units = (region.height - self.axis_px()) / (self.line_px(size) * per_row)
        if heights is None:
            return max(1, int(units))
        return max(1, int(np.searchsorted(np.cumsum(heights), units + 1e-9, side="right")))

    @staticmethod
    def sized(ax: Axes, frame: _Frame, n: int, region: Bbox, per_row: float = 1.25,
              heights: list[float] | None = None) -> tuple[float, int]:
        """The label size that fits ``n`` rows, and how many rows fit at that size.

        Dense charts step down to the small type size before any row is dropped.
        """
        probe = _Rows(ax, frame, n)
        for size in (frame.t.body, frame.t.small):
            keep = probe.capacity(region, size, per_row, heights)
            if keep >= n:
                break
        return size, keep

    def add_label(self, i: int, head: str, mid: str, end: str = "", **style: Any) -> None:
        if self.stacked:  # inside the plot, above the marks; white ground hides gridlines
            style.setdefault("bbox", {"facecolor": "white", "edgecolor": "none", "pad": 0.6})
        text = self.ax.annotate(
            "", xy=(0, self.label_y(i)), xycoords=("axes fraction", "data"),
            xytext=(1 if self.stacked else -8, 0), textcoords="offset points",
            ha="left" if self.stacked else "right", va="center", fontsize=self.label_size,
            color=style.pop("color", INK), fontfamily=FONT, linespacing=1.05,
            annotation_clip=False, parse_math=False, **style,
        )
        text.set_gid("row-label")
        self.labels.append((text, i, head, mid, end))

    def add_value(self, i: int, value: str, color: Any = INK_SOFT) -> None:
        if self.stacked:  # the caller puts the value in the label line
            return
        text = self.ax.annotate(
            value, xy=(1, self.y(i)), xycoords=("axes fraction", "data"), xytext=(10, 0),
            textcoords="offset points", ha="left", va="center",
            fontsize=min(self.t.small, self.label_size), color=color, fontfamily=FONT,
            annotation_clip=False, parse_math=False,
        )
        text.set_gid("row-value")
        self.values.append(text)

    def _wrap_labels(self, unit_px: float) -> None:
        share = 0.97 if self.stacked else self.t.label_share
        width = self.frame.box.width * share
        line = _px(self.fig, self.label_size) * 1.05 * 1.17  # linespacing 1.05, ascent+descent
        for text, i, head, mid, end in self.labels:
            lines = max(1, min(3, int(self.heights[i] * unit_px * 0.94 // line)))
            lines = 1 if self.stacked else lines
            text.set_text(self.m.fit_label(head, mid, end, width, text.get_fontproperties(),
                                           lines))
        limit = self.frame.box.width * self.value_share
        for text in self.values:
            text.set_text(self.m.shorten(text.get_text(), limit, text.get_fontproperties()))

    def fit(self, region: Bbox, xaxis: Any = None) -> None:
        """Wrap the labels to the row heights, then fit the Axes and its labels in ``region``.

        ``xaxis`` is called with the Axes width in pixels to set the ticks, which need the
        width to know how many labels fit.
        """
        self._wrap_labels((region.height - self.axis_px()) / self.total)
        for _ in range(3):
            if xaxis is not None:
                xaxis(region.width * (1 - self.t.label_share - self.value_share))
            pos = _fit_axes(self.ax, region, self.m.renderer)
            if xaxis is not None:
                xaxis(pos.width)
                pos = _fit_axes(self.ax, region, self.m.renderer)
            unit_px = pos.height / self.total
            if all(t.get_window_extent(self.m.renderer).height <= self.heights[i] * unit_px * 1.02
                   for t, i, *_ in self.labels):
                break
            self._wrap_labels(unit_px)

    def row_px(self) -> float:
        """Pixels per height unit (one standard row)."""
        return self.ax.get_window_extent(self.m.renderer).height / self.total

    def plot_width_px(self) -> float:
        return self.ax.get_window_extent(self.m.renderer).width


def _fit_axes(ax: Axes, region: Bbox, renderer) -> Bbox:
    """Place ``ax`` so that it and everything drawn around it fill ``region`` exactly."""
    from matplotlib.transforms import Bbox

    fig = ax.figure
    pos = region.frozen()
    for _ in range(6):
        ax.set_position(fig.transFigure.inverted().transform_bbox(pos))
        tight = ax.get_tightbbox(renderer)
        new = Bbox.from_extents(
            pos.x0 + (region.x0 - tight.x0), pos.y0 + (region.y0 - tight.y0),
            pos.x1 + (region.x1 - tight.x1), pos.y1 + (region.y1 - tight.y1),
        )
        # never collapse: keep at least a fifth of the region for the marks
        new = Bbox.from_extents(new.x0, new.y0, max(new.x1, new.x0 + region.width * 0.2),
                                max(new.y1, new.y0 + region.height * 0.2))
        if np.allclose(new.extents, pos.extents, atol=0.5):
            break
        pos = new
    ax.set_position(fig.transFigure.inverted().transform_bbox(pos))
    return pos


# --------------------------------------------------------------------------------------
# The figure axis: linear or symlog, ticks chosen to fit
# --------------------------------------------------------------------------------------


def _wants_log(values: list[float], log: bool | None) -> bool:
    """Log when figures span more than two orders of magnitude (zeros do not count)."""
    if log is not None:
        return bool(log)
    finite = [v for v in values if np.isfinite(v) and v > 0]
    return bool(finite) and max(finite) / max(min(finite), 1.0) > 100


def _nice_ceiling(value: float, log: bool) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    steps = (1, 2, 5, 10) if log else (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
    return next(s * exp for s in steps if s * exp >= value - 1e-9)


class _FigureAxis:
    """The x axis of counts: limits, scale and ticks that do not collide."""

    def __init__(self, ax: Axes, values: list[float], has_open: bool, log: bool | None,
                 label: str, t: _Type, measure: _Measure):
        finite = [v for v in values if np.isfinite(v)]
        top = max(finite) if finite else 1.0
        self.log = _wants_log(finite, log)
        # room to the right so an open-ended figure visibly runs on past the last floor
        headroom = (3.0 if self.log else 1.3) if has_open else (1.5 if self.log else 1.08)
        self.xmax = _nice_ceiling(max(top * headroom, 4.0), self.log)
        self.ax, self.t, self.m = ax, t, measure
        if self.log:
            ax.set_xscale("symlog", linthresh=1, linscale=0.4)
        ax.set_xlim(0, self.xmax)
        suffix = " (logarithmic scale)" if self.log else ""
        ax.set_xlabel(label + suffix, loc="right", fontsize=t.small, color=INK_SOFT,
                      fontfamily=FONT, labelpad=4)

    def candidates(self, width_px: float) -> list[float]:
        if self.log:
            top = math.ceil(math.log10(self.xmax))
            return [0.0] + [10.0**k for k in range(0, top + 1) if 10.0**k <= self.xmax]
        from matplotlib.ticker import MaxNLocator

        nbins = max(2, min(8, int(width_px // (_px(self.ax.figure, self.t.small) * 6))))
        ticks = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10], integer=True).tick_values(
            0, self.xmax)
        return [float(v) for v in ticks if 0 <= v <= self.xmax + 1e-9]

    def __call__(self, width_px: float) -> None:
        ticks = self.candidates(width_px)
        prop = _prop(self.t.small)
        gap = _px(self.ax.figure, self.t.small)
        labels = [_num(v) for v in ticks]
        scale = self._scale(width_px)
        centres = [scale(v) for v in ticks]
        widths = [self.m.width(lab, prop) for lab in labels]

        def clear(i: int, j: int) -> bool:
            return centres[j] - centres[i] >= (widths[i] + widths[j]) / 2 + gap

        if self.log:
            # decades are uneven near zero: drop the crowded ones (1 next to 0), keep the rest
            kept = [0]
            for i in range(1, len(ticks)):
                if clear(kept[-1], i):
                    kept.append(i)
        else:
            for step in range(1, len(ticks) + 1):
                kept = list(range(0, len(ticks), step))
                if all(clear(a, b) for a, b in pairwise(kept)):
                    break
        self.ax.set_xticks([ticks[i] for i in kept], [labels[i] for i in kept])

    def _scale(self, width_px: float):
        """Pixel position of a value along an Axes ``width_px`` wide."""
        if not self.log:
            return lambda v: v / self.xmax * width_px
        lin = 0.4 / math.log(10)  # symlog linscale expressed in natural-log units

        def f(v: float) -> float:
            return v * lin if v <= 1 else lin + math.log(v)

        return lambda v: f(v) / f(self.xmax) * width_px


# --------------------------------------------------------------------------------------
# Marks
# --------------------------------------------------------------------------------------


def _arrow_marker():
    from matplotlib.path import Path as MplPath

    # a triangle whose tip is the marker's origin, so the tip lands exactly on the Axes edge
    return MplPath([(-1.0, -0.55), (0.0, 0.0), (-1.0, 0.55), (-1.0, -0.55)],
                   [MplPath.MOVETO, MplPath.LINETO, MplPath.LINETO, MplPath.CLOSEPOLY])


def _open_bar(ax: Axes, lo: float, y: float, xmax: float, color: str, lw: float) -> None:
    """An open-ended figure: a bar from its floor running off the right edge, arrow-tipped."""
    # thinner than a range bar: the floor (a firm tick) is the information, the length is not
    (bar,) = ax.plot([lo, xmax], [y, y], color=color, lw=lw * 0.55, solid_capstyle="butt",
                     marker="|", markevery=[0], ms=lw * 2.2, mew=max(1.5, lw * 0.45),
                     zorder=2, clip_on=False)
    bar.set_gid("open-ended")
    (head,) = ax.plot([xmax], [y], ls="none", marker=_arrow_marker(), ms=lw * 2.4,
                      color=color, mec=color, mew=0.5, zorder=3, clip_on=False)
    head.set_gid("open-ended-arrow")


def _range_bar(ax: Axes, lo: float, hi: float, y: float, color: str, lw: float,
               gid: str = "range") -> None:
    (bar,) = ax.plot([lo, hi], [y, y], color=color, lw=lw, solid_capstyle="butt", zorder=2,
                     marker="|", ms=lw * 2.2, mew=max(1.2, lw * 0.35))
    bar.set_gid(gid)


def _upto_bar(ax: Axes, hi: float, y: float, color: str, lw: float) -> None:
    """'Up to N': anything from zero to a ceiling, so a thin line and a firm cap at N."""
    (bar,) = ax.plot([0, hi], [y, y], color=color, lw=max(1.0, lw * 0.4), zorder=2,
                     solid_capstyle="butt")
    bar.set_gid("up-to")
    (cap,) = ax.plot([hi], [y], ls="none", marker="|", ms=lw * 2.4, mew=max(1.5, lw * 0.45),
                     color=color, zorder=3)
    cap.set_gid("up-to-cap")


def _point(ax: Axes, x: float, y: float, color: str, size: float, hollow: bool = False,
           gid: str = "point") -> None:
    face = "white" if hollow else color
    edge = color if hollow else "white"
    (dot,) = ax.plot([x], [y], ls="none", marker="o", ms=size, mfc=face, mec=edge,
                     mew=max(1.0, size * 0.18), zorder=4, clip_on=False)
    dot.set_gid(gid)


def _bar_width(row_px: float, fig: Figure, share: float = 0.3, top: float = 9.0) -> float:
    """Bar thickness in points: a share of the row height, within readable limits."""
    return float(np.clip(row_px * share * 72 / fig.dpi, min(1.5, top), top))


def _empty_message(ax: Axes, message: str, t: _Type) -> None:
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.grid(False)
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
            fontsize=t.body, color=INK_SOFT, fontfamily=FONT, parse_math=False)


# --------------------------------------------------------------------------------------
# claims(): one incident
# --------------------------------------------------------------------------------------


def claims(incident_id: str, *, measure: str | None = None, log: bool | None = None,
           ax: Axes | None = None, root: Path | None = None, size: str = "web") -> Axes:
    """Chart every claim about one incident, one row per claim, coloured by side.

    A single figure is a dot (hollow for 'about'), a range a bar, an open-ended figure
    ('at least', 'more than', 'dozens') a bar from its floor running off to the right
    with an arrow, and 'up to' a thin line from zero to a capped ceiling. Claims with no
    figure (denials, disputes, 'casualties' without a number) are listed as text rows
    with their quote. The same claim carried by several outlets is one row.

    Parameters
    ----------
    incident_id : str
        The incident.
    measure : str, optional
        Which measure to plot ('killed', 'injured' ...); default: the one most claims give
        a figure for.
    log : bool, optional
        Force a logarithmic (symlog) axis on or off; default: on when the figures span more
        than two orders of magnitude.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``size``.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    size : {"web", "square", "column"}
        Size of the new figure when ``ax`` is not given.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its figure's ``alt_text`` describes what was drawn.

    Raises
    ------
    ValueError
        For an unknown incident or measure.
    """
    spec = _claims_spec(incident_id, measure, root)
    with _style():
        ax = _own_axes(ax, size)
        return _draw_claims(ax, spec, log)


def _claims_notes(spec: _ClaimsSpec, rows: pd.DataFrame, hidden: int, log: bool) -> list[str]:
    kinds = set(rows.loc[~rows["text_row"], "kind"])
    hollow = bool((rows["qualifier"] == "about").any())
    keys = []
    if "point" in kinds:
        keys.append("Dot: one figure" + (" (hollow: 'about')" if hollow else "") + ".")
    if "range" in kinds:
        keys.append("Bar: a range.")
    if "open" in kinds:
        keys.append("Arrow: a floor with no ceiling ('at least', 'more than', 'dozens').")
    if "upto" in kinds:
        keys.append("Thin line from zero: 'up to'.")
    if log:
        keys.append("Logarithmic scale.")
    if (rows["reports"] > 1).any():
        keys.append("(+n): further reports of the same claim.")
    if hidden:
        keys.append(f"{hidden} more claim{'s' if hidden != 1 else ''} not shown for lack of "
                    "room.")
    if spec.other_measures:
        other = ", ".join(f"{n} on {MEASURE_WORDS.get(m, m).split(' (')[0]}"
                          for m, n in spec.other_measures.items())
        keys.append(f"Not shown: claims of other figures ({other}).")
    return keys


def _trim_claim_rows(rows: pd.DataFrame, keep: int) -> pd.DataFrame:
    """Drop rows until ``keep`` remain, least telling first, order kept.

    Text rows that only say 'no figure' go first; then the latest figures of whichever side
    has the most rows (every side keeps at least one); denials and disputes go last.
    """
    rows = rows.copy()
    plain = rows.index[rows["text_row"] & ~rows["stance"].isin(["denies", "disputes"])]
    drop = list(plain[::-1][: max(0, len(rows) - keep)])
    rows = rows.drop(index=drop)
    while len(rows) > keep:
        figures = rows[~rows["text_row"]]
        counts = figures["side"].fillna("unknown").value_counts()
        if figures.empty or counts.max() <= 1:
            rows = rows.iloc[:keep]
            break
        side = counts.index[0]
        rows = rows.drop(index=figures.index[figures["side"].fillna("unknown") == side][-1])
    return rows


def _draw_claims(ax: Axes, spec: _ClaimsSpec, log: bool | None) -> Axes:
    rows = spec.rows
    logged = _wants_log([v for v in [*rows["lo"], *rows["hi"]] if np.isfinite(v)], log)
    frame = _Frame(ax, spec.title, spec.subtitle, _claims_notes(spec, rows, 0, logged),
                   len(spec.sources), _side_handles(_side_order(rows["side"])))
    region = frame.place()
    # a print column has no room for a label column: labels go on their own line
    stacked = frame.box.width / ax.figure.dpi < 5
    unit = [2.0] * len(rows) if stacked else None
    size, keep = _Rows.sized(ax, frame, len(rows), region, heights=unit)
    for _ in range(3):  # the note saying rows were left out may itself take a line
        if len(rows) <= keep:
            break
        rows = _trim_claim_rows(rows, keep)
        frame.handles = _side_handles(_side_order(rows["side"]))
        frame.set(notes="  ".join(_claims_notes(spec, rows, len(spec.rows) - len(rows),
                                                logged)),
                  source=_source_line(len(_sources_of(rows))))
        region = frame.place()
        keep = _Rows(ax, frame, 1).capacity(region, size, heights=unit)
    grid = _Rows(ax, frame, len(rows), size, stacked=stacked)
    _style_axes(ax, frame.t)
    n_fig = int((~rows["text_row"]).sum())
    xaxis = None
    if n_fig:
        xaxis = _FigureAxis(ax, [*rows["lo"], *rows["hi"]], bool((rows["kind"] == "open").any()),
                            log, MEASURE_WORDS.get(spec.measure, "").capitalize(), frame.t,
                            frame.measure)
    else:
        _empty_message(ax, "", frame.t)
    for i, row in enumerate(rows.itertuples()):
        more = f" (+{row.reports - 1})" if row.reports > 1 else ""
        same = str(row.claimant_name) == str(row.publisher)
        said = f": {row.value}" if stacked else ""
        grid.add_label(i, "" if same else str(row.claimant_name), str(row.publisher),
                       f", {_date_text(row.when)}{more}{said}")
        grid.add_value(i, row.value, color=_text_color(row.side) if row.text_row else INK)
    grid.fit(region, xaxis)
    if n_fig and n_fig < len(rows):
        ax.axhline(sum(grid.heights[:n_fig]), color=GRID, lw=0.8, zorder=1)
    xmax = xaxis.xmax if xaxis else 1.0
    lw = _bar_width(grid.row_px(), ax.figure, top=frame.t.body * 0.75)
    for i, row in enumerate(rows.itertuples()):
        color, y = _color(row.side), grid.y(i)
        if row.text_row:
            _quote_row(ax, grid, y, row)
        elif row.kind == "open":
            _open_bar(ax, row.lo, y, xmax, color, lw)
        elif row.kind == "upto":
            _upto_bar(ax, row.hi, y, color, lw)
        elif row.kind == "range":
            _range_bar(ax, row.lo, row.hi, y, color, lw)
            if not math.isnan(row.best):
                _point(ax, row.best, y, color, lw * 1.7)
        else:
            _point(ax, row.lo, y, color, lw * 1.9, hollow=row.qualifier == "about")
    ax.set_xlim(0, xmax)
    ax.figure.alt_text = _claims_alt(spec, rows)
    return ax


def _quote_row(ax: Axes, grid: _Rows, y: float, row: Any) -> None:
    """The claimant's own words, cut to the plot width, in the side's (readable) colour."""
    quote = str(row.quote).strip().strip("“”\"' ")
    prop = _prop(grid.t.small, style="italic")
    width = grid.plot_width_px() - _px(ax.figure, grid.t.small)
    text = grid.m.shorten(f"“{quote}”", width, prop)
    if not text.endswith("”"):
        text = text + "”"
    artist = ax.annotate(text, xy=(0, y), xycoords=("axes fraction", "data"), xytext=(4, 0),
                         textcoords="offset points", ha="left", va="center",
                         fontproperties=prop, color=_text_color(row.side),
                         annotation_clip=False, parse_math=False)
    artist.set_gid("quote")
    if artist.get_window_extent(grid.m.renderer).width > width:  # the closing mark pushed it
        artist.set_text(grid.m.shorten(text[:-2], width - grid.m.width("”", prop), prop) + "”")


# --------------------------------------------------------------------------------------
# claimed_vs_disputed(): many incidents
# --------------------------------------------------------------------------------------


def claimed_vs_disputed(*, measure: str = "killed", victims: str | None = None,
                        start: Any = None, end: Any = None, perpetrator: str | None = None,
                        order: str = "date", log: bool | None = None, ax: Axes | None = None,
                        root: Path | None = None, size: str = "web") -> Axes:
    """Chart, for many incidents, the span of figures each side claims.

    One row per incident; in it, one bar per side from the smallest to the largest figure
    that side's claims give (a dot when they agree on one number; open-ended claims run off
    to the right). Sides sit on separate lines within the row, so the gap between them is
    the first thing the eye sees. Incidents marked as disputed are shaded.

    Parameters
    ----------
    measure : str, default "killed"
        What is counted.
    victims : str, optional
        Only claims about these victims ('civilians' ...); default: all but counts of
        children alone, which are a subset rather than a rival figure.
    start, end : date-like, optional
        Only incidents dated within these bounds (inclusive).
    perpetrator : str, optional
        Only incidents attributed to this actor_id or side code.
    order : {"date", "gap"}
        Rows by date (oldest on top) or by the gap between sides (largest on top).
    log : bool, optional
        Force a symlog axis on or off; default: on when figures span more than two orders of
        magnitude.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``size``.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    size : {"web", "square", "column"}
        Size of the new figure when ``ax`` is not given.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its figure's ``alt_text`` describes what was drawn.

    Raises
    ------
    ValueError
        For an unknown measure, victims, perpetrator or order, or a bad date.
    """
    spec = _span_spec(measure, victims, start, end, perpetrator, order, root)
    with _style():
        ax = _own_axes(ax, size)
        return _draw_spans(ax, spec, log)


def _span_notes(spec: _SpanSpec, rows: pd.DataFrame, logged: bool) -> list[str]:
    notes = []
    spans = spec.spans[spec.spans["incident_id"].isin(rows.index)]
    if spans["open"].any():
        notes.append("Arrow: the side gives a floor with no ceiling ('at least', 'dozens').")
    notes.append("Bar: from a side's lowest to its highest figure; dot: one figure.")
    if logged:
        notes.append("Logarithmic scale.")
    dropped = len(spec.rows) - len(rows)
    if dropped:
        which = "most recent" if spec.order == "date" else "largest gaps"
        notes.append(f"{len(rows)} of {len(spec.rows)} incidents shown ({which}).")
    missing = spec.n_candidates - len(spec.rows)
    if missing:
        notes.append(f"{missing} incident{'s' if missing != 1 else ''} with no figure for "
                     f"{MEASURE_WORDS[spec.measure]} not shown.")
    return notes


_SUB = 0.36  # spacing of the sides' lines within an incident's row, in row units


def _span_heights(rows: pd.DataFrame, spans: pd.DataFrame) -> list[float]:
    """Row heights: one unit, or more where many sides each need a line of their own."""
    per_row = spans.groupby("incident_id").size()
    return [max(1.0, 0.32 + _SUB * int(per_row.get(i, 1))) for i in rows.index]


def _span_handles(spans: pd.DataFrame, rows: pd.DataFrame) -> list[tuple[Any, str]]:
    from matplotlib.lines import Line2D

    handles = _side_handles(_side_order(spans["side"]))
    if rows["disputed"].any():
        handles.append((Line2D([], [], ls="none", marker="D", ms=7, mfc=INK_SOFT, mec="white"),
                        "Disputed: what is disputed"))
    return handles


def _dispute_tag(row: pd.Series) -> str:
    if not bool(row["disputed"]):
        return ""
    codes = _dispute_codes(row["dispute"])
    return "◆ " + (", ".join(codes) if codes else "disputed")


def _draw_spans(ax: Axes, spec: _SpanSpec, log: bool | None) -> Axes:
    rows, spans = spec.rows, spec.spans
    logged = _wants_log([v for v in [*spans["lo"], *spans["hi"]] if np.isfinite(v)], log)
    frame = _Frame(ax, spec.title, spec.subtitle, _span_notes(spec, rows, logged),
                   len(spec.sources), _span_handles(spans, rows))
    region = frame.place()
    # with more incidents than room, keep the most telling: the latest, or the largest gaps
    pick = (lambda r: r.iloc[::-1]) if spec.order == "date" else (lambda r: r)
    size, keep = _Rows.sized(ax, frame, len(rows), region, per_row=1.05,
                             heights=_span_heights(pick(rows), spans))
    for _ in range(3):  # the note saying rows were left out may itself take a line
        if len(rows) <= keep:
            break
        rows = rows.iloc[-keep:] if spec.order == "date" else rows.iloc[:keep]
        spans = spec.spans[spec.spans["incident_id"].isin(rows.index)]
        sources = spec.claims.loc[spec.claims["incident_id"].isin(rows.index), "source_id"]
        frame.set(notes="  ".join(_span_notes(spec, rows, logged)),
                  source=_source_line(sources.nunique()))
        frame.handles = _span_handles(spans, rows)
        region = frame.place()
        keep = _Rows(ax, frame, 1).capacity(region, size, 1.05, _span_heights(pick(rows), spans))
    grid = _Rows(ax, frame, len(rows), size, heights=_span_heights(rows, spans))
    _style_axes(ax, frame.t)
    if not len(rows):
        _empty_message(ax, f"No incident has a figure for {MEASURE_WORDS[spec.measure]}.",
                       frame.t)
        grid.fit(region)
        ax.figure.alt_text = _spans_alt(spec, rows)
        return ax
    xaxis = _FigureAxis(ax, [*spans["lo"], *spans["hi"]], bool(spans["open"].any()), log,
                        MEASURE_WORDS[spec.measure].capitalize(), frame.t, frame.measure)
    tags = [_dispute_tag(row) for _, row in rows.iterrows()]
    grid.value_share = frame.t.value_share + 0.06  # room to say what is disputed
    limit = frame.box.width * grid.value_share
    prop = _prop(min(frame.t.small, size))
    if frame.measure.width("◆ circumstances", prop) > limit:
        # too narrow to say what is disputed: the mark alone, explained by the legend
        tags = [tag[:1] for tag in tags]
        frame.handles[-1] = (frame.handles[-1][0], "Disputed")
        region = frame.place()
    for i, (_, row) in enumerate(rows.iterrows()):
        grid.add_label(i, row["label_head"], "", f" — {row['label_tail']}")
        grid.add_value(i, tags[i])
    grid.fit(region, xaxis)
    # rows hold several lines each: rules between incidents keep each side with its row
    for i in range(1, len(rows)):
        rule = ax.axhline(grid.y(i) - grid.heights[i] / 2, color=GRID, lw=0.6, zorder=1)
        rule.set_gid("row-rule")
    _span_marks(ax, grid, rows, spans, xaxis.xmax)
    ax.set_xlim(0, xaxis.xmax)
    ax.figure.alt_text = _spans_alt(spec, rows)
    return ax


def _span_marks(ax: Axes, grid: _Rows, rows: pd.DataFrame, spans: pd.DataFrame,
                xmax: float) -> None:
    """Each side's span on its own line within the incident's row, same thickness everywhere."""
    lw = _bar_width(grid.row_px(), ax.figure, share=min(0.3, _SUB * 0.6),
                    top=grid.t.body * 0.75)
    for i, inc_id in enumerate(rows.index):
        mine = spans[spans["incident_id"] == inc_id]
        rank = {side: j for j, side in enumerate(_side_order(mine["side"]))}
        mine = mine.sort_values("side", key=lambda s: s.map(rank))
        offsets = (np.arange(len(mine)) - (len(mine) - 1) / 2) * _SUB
        for dy, span in zip(offsets, mine.itertuples(), strict=True):
            color, y = _color(span.side), grid.y(i) + dy
            if span.open:
                _open_bar(ax, span.lo, y, xmax, color, lw)
            elif span.lo == span.hi:
                _point(ax, span.lo, y, color, lw * 2.3)
            else:
                _range_bar(ax, span.lo, span.hi, y, color, lw)


# --------------------------------------------------------------------------------------
# timeline(): incidents over time
# --------------------------------------------------------------------------------------


def timeline(*, start: Any = None, end: Any = None, perpetrator: str | None = None,
             ax: Axes | None = None, root: Path | None = None, size: str = "web") -> Axes:
    """Chart incidents over time, one lane per side held responsible.

    Disputed incidents are filled diamonds, undisputed ones hollow circles; an incident that
    spans days has a line to its last day. Markers that would sit on top of each other are
    stacked within their lane.

    Parameters
    ----------
    start, end : date-like, optional
        Only incidents dated within these bounds (inclusive).
    perpetrator : str, optional
        Only incidents attributed to this actor_id or side code.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``size``.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    size : {"web", "square", "column"}
        Size of the new figure when ``ax`` is not given.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its figure's ``alt_text`` describes what was drawn.

    Raises
    ------
    ValueError
        For an unknown perpetrator or a bad date.
    """
    spec = _timeline_spec(start, end, perpetrator, root)
    with _style():
        ax = _own_axes(ax, size)
        ax = _draw_timeline(ax, spec)
    ax.figure.alt_text = _timeline_alt(spec)
    return ax


def _timeline_handles(spec: _TimelineSpec, size: float) -> list[tuple[Any, str]]:
    from matplotlib.lines import Line2D

    handles = _side_handles(spec.lanes)
    inc = spec.incidents
    if inc["disputed"].any():
        handles.append((Line2D([], [], ls="none", marker="D", ms=size * 0.7, mfc=INK_SOFT,
                               mec="white"), "Disputed"))
    if (~inc["disputed"]).any():
        handles.append((Line2D([], [], ls="none", marker="o", ms=size * 0.7, mfc="white",
                               mec=INK_SOFT, mew=1.2), "Not disputed"))
    return handles


class _DateAxis:
    """Date ticks that fit the width, with the year folded into the axis label when shared."""

    def __init__(self, ax: Axes, first: pd.Timestamp, last: pd.Timestamp, t: _Type,
                 measure: _Measure):
        import matplotlib.dates as mdates

        span = max((last - first).days, 1)
        pad = pd.Timedelta(days=max(span * 0.04, 20))
        self.lo, self.hi = mdates.date2num(first - pad), mdates.date2num(last + pad)
        self.ax, self.t, self.m = ax, t, measure
        ax.set_xlim(self.lo, self.hi)

    def __call__(self, width_px: float) -> None:
        import matplotlib.dates as mdates

        prop = _prop(self.t.small)
        gap = _px(self.ax.figure, self.t.small) * 1.2
        for maxticks in range(10, 1, -1):
            locator = mdates.AutoDateLocator(minticks=2, maxticks=maxticks)
            locs = [v for v in locator.tick_values(mdates.num2date(self.lo),
                                                   mdates.num2date(self.hi))
                    if self.lo <= v <= self.hi]
            formatter = mdates.ConciseDateFormatter(locator, show_offset=True)
            labels = formatter.format_ticks(locs)
            offset = formatter.get_offset()
            xs = [(v - self.lo) / (self.hi - self.lo) * width_px for v in locs]
            widths = [self.m.width(s, prop) for s in labels]
            if all(xs[j + 1] - xs[j] >= (widths[j] + widths[j + 1]) / 2 + gap
                   for j in range(len(locs) - 1)):
                break
        self.ax.set_xticks(locs, labels)
        label = f"Date of incident ({offset})" if offset else "Date of incident"
        self.ax.set_xlabel(label, loc="right", fontsize=self.t.small, color=INK_SOFT,
                           fontfamily=FONT, labelpad=4)


def _draw_timeline(ax: Axes, spec: _TimelineSpec) -> Axes:
    import matplotlib.dates as mdates

    inc = spec.incidents
    frame = _Frame(ax, spec.title, spec.subtitle,
                   ["Line: an incident that lasted more than a day."]
                   if inc["date_end"].notna().any() else [],
                   len(spec.sources), _timeline_handles(spec, _type_for(
                       ax.figure.get_size_inches()[0]).body))
    region = frame.place()
    grid = _Rows(ax, frame, len(spec.lanes))
    _style_axes(ax, frame.t)
    if inc.empty:
        _empty_message(ax, "No incident matches.", frame.t)
        grid.fit(region)
        return ax
    dates = inc["date"]
    last = inc["date_end"].fillna(dates).max()
    xaxis = _DateAxis(ax, dates.min(), last, frame.t, frame.measure)
    for y, lane in enumerate(spec.lanes):
        mine = inc[inc["perpetrator_side"] == lane]
        grid.add_label(y, "", _lane_label(lane), color=_text_color(lane))
        k = int(mine["disputed"].sum())
        grid.add_value(y, f"{len(mine)} ({k} disputed)")
    grid.fit(region, xaxis)
    row_px = grid.row_px()
    size = float(np.clip(row_px * 0.28 * 72 / ax.figure.dpi, 3, frame.t.body))
    px_per_day = grid.plot_width_px() / (xaxis.hi - xaxis.lo)
    for y, lane in enumerate(spec.lanes):
        mine = inc[inc["perpetrator_side"] == lane].sort_values(["date", "incident_id"])
        xs = mdates.date2num(mine["date"])
        min_dx = _px(ax.figure, size) * 1.1 / px_per_day
        ys = grid.y(y) + _stack(xs, min_dx, row_px, size, ax.figure)
        # markers at the very ends of the time range may poke past the Axes edge: let them
        color = _color(lane)
        # the light grey of 'unknown' needs an outline to hold its own on white
        edge = INK_SOFT if lane not in SIDE_COLORS else None
        for x, yy, row in zip(xs, ys, mine.itertuples(), strict=True):
            if pd.notna(row.date_end) and row.date_end > row.date:
                (span,) = ax.plot([x, mdates.date2num(row.date_end)], [yy, yy], color=color,
                                  lw=max(1.0, size * 0.25), zorder=2)
                span.set_gid("duration")
            if row.disputed:
                (m,) = ax.plot([x], [yy], ls="none", marker="D", ms=size, mfc=color,
                               mec=edge or "white", mew=0.8, zorder=3, clip_on=False)
                m.set_gid("disputed")
            else:
                (m,) = ax.plot([x], [yy], ls="none", marker="o", ms=size, mfc="white",
                               mec=edge or color, mew=max(1.0, size * 0.18), zorder=3,
                               clip_on=False)
                m.set_gid("undisputed")
    ax.set_xlim(xaxis.lo, xaxis.hi)
    return ax


def _stack(xs: np.ndarray, min_dx: float, row_px: float, size: float, fig: Figure) -> np.ndarray:
    """Vertical offsets (in rows) that keep markers closer than ``min_dx`` from covering.

    Markers go up, down, further up ... around the lane's centre line, within its band.
    """
    step = _px(fig, size) * 1.05 / row_px
    limit = max(0.0, 0.5 - _px(fig, size) * 0.6 / row_px)  # stay inside the lane
    offsets = np.zeros(len(xs))
    cluster_start = None
    k = 0
    for i, x in enumerate(xs):
        if cluster_start is None or x - xs[cluster_start] > min_dx:
            cluster_start, k = i, 0
        else:
            k += 1
        level = (k + 1) // 2 * (1 if k % 2 else -1)
        offsets[i] = float(np.clip(level * step, -limit, limit))
    return offsets
