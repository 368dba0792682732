"""What each chart shows, as plain pandas (no matplotlib): the alt text and the charts share it."""

from __future__ import annotations

import dataclasses
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
from incidents.claims import interval
from incidents.load import load_table
from incidents.marks import mark_of
from incidents.plot._style import (
    _DISPUTE_WORDS,
    _MONTHS,
    _NO_FIGURE,
    _TYPE_WORDS,
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
    outlets: dict  # source_id -> original outlet


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
    outlets = claims.drop_duplicates("source_id").set_index("source_id")["outlet"].to_dict()
    return _Tables(incidents, claims, actors, outlets)


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
        "quote_original": claims["quote"].astype(object),
    })
    for col in ("low", "best", "high"):
        out[col] = claims[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out["side"] = claims["claimant"].map(actors["side"].astype(object)).astype(object)
    out["side"] = out["side"].fillna("unknown")
    out["claimant_name"] = claims["claimant"].map(actors["name"]).fillna(claims["claimant"])
    out["publisher"] = claims["source_id"].map(sources["publisher"]).fillna(claims["source_id"])
    out["outlet"], out["url"] = _outlets(claims["source_id"], sources)
    published = claims["source_id"].map(sources["published"])
    out["claimed_on"] = claims["claimed_on"]
    out["when"] = claims["claimed_on"].fillna(published)
    marks = [mark_of(r) for r in out.itertuples()]
    out["kind"] = [m.kind for m in marks]
    out["lo"] = [m.x0 for m in marks]
    out["hi"] = [m.x1 for m in marks]
    out["bestv"] = [m.best for m in marks]
    out["label"] = [m.label for m in marks]
    out["words"] = [m.words for m in marks]
    return out.reset_index(drop=True)


def _outlets(source_ids: pd.Series, sources: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Who first published each claim's words, and where.

    ``original_publisher`` and ``original_url`` when the package has them filled, else the
    source's own publisher and url.
    """
    publisher = source_ids.map(sources["publisher"]).fillna(source_ids).astype(object)
    url = source_ids.map(sources["url"]).astype(object) if "url" in sources else publisher * 0
    if "original_publisher" in sources.columns:
        orig = source_ids.map(sources["original_publisher"]).astype(object)
        filled = orig.notna() & orig.astype(str).str.strip().ne("")
        publisher = publisher.where(~filled, orig)
        if "original_url" in sources.columns:
            orig_url = source_ids.map(sources["original_url"]).astype(object)
            has_url = orig_url.notna() & orig_url.astype(str).str.strip().ne("")
            url = url.where(~has_url, orig_url)
    return publisher, url


def _value_text(row: Any) -> str:
    """What a claim says, for the value column: the figure as worded, and any stance.

    Never a float: every number goes through :func:`incidents.marks.num`.
    """
    if row.kind == "text":
        word = _NO_FIGURE.get(row.stance, row.stance)
        if row.words == "no figure":
            return word
        return f"{word}: {row.words}" if row.stance in ("denies", "disputes") else (
            f"{row.words}, {word}" if word != "no figure" else row.words)
    one = row.kind == "point" and row.lo == 1 and row.qualifier == "exact"
    noun = (_VICTIM_NOUN if one else _VICTIM_NOUNS).get(row.victims, "")
    text = f"{row.words} {noun}".strip()
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
    if cut > limit // 2:
        return place[:cut]
    space = place.rfind(" ", 0, limit - 1)
    return (place[:space] if space > limit // 2 else place[: limit - 1]).rstrip() + "…"


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
    return _side_label(lane) if lane in SIDE_COLORS and lane != "unknown" else (
        "Unknown perpetrator")


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
    rows: pd.DataFrame  # figure rows grouped by victims, then text rows; columns below
    n_figure_rows: int
    other_measures: dict[str, int]
    sources: set
    title: str
    subtitle: str
    source: str | None = None  # an override of the source line
    left_out: str = ""  # what the caller's choice of claims left out, for the note
    outlet_of: dict | None = None  # source_id -> original outlet, for the source line

    def source_line(self, rows: pd.DataFrame) -> str:
        """The source line for ``rows``: the override, else their original outlets."""
        if self.source is not None:
            return self.source
        return _source_line(_rank_outlets(_sources_of(rows), self.outlet_of or {}))


def _merge_reports(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per distinct claim; further reports of the same claim only add a count.

    The same statement is often carried by several outlets; repeating it row after row
    would crowd the chart without adding information. The row kept is the earliest report.
    """
    if rows.empty:
        return rows.assign(reports=pd.Series(dtype="int64"), source_set=pd.Series(dtype=object))
    rows = rows.sort_values(["when", "claim_id"], na_position="last")
    # one integer per distinct claim: grouping by a single code array is far cheaper than
    # grouping by nine Series
    group = pd.Series(rows[keys].astype(str).groupby(keys, sort=False, dropna=False).ngroup()
                      .to_numpy(), index=rows.index)
    first = rows[~group.duplicated()].copy()
    sizes = group.value_counts()
    first["reports"] = group.loc[first.index].map(sizes).astype("int64")
    behind = rows["source_id"].groupby(group).agg(frozenset)
    first["source_set"] = group.loc[first.index].map(behind)
    return first


def _victim_order(rows: pd.DataFrame) -> list[str]:
    """Victim groups by how many figures each has (ties: the codebook's order)."""
    order = list(_VICTIM_NOUNS)
    counts = rows["victims"].value_counts()
    return sorted(counts.index, key=lambda v: (-counts[v], order.index(v) if v in order else 99))


def _order_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Group figure rows by victim group, then by side (fixed order), then by date."""
    if rows.empty:
        return rows.assign(group=pd.Series(dtype=object))
    groups = {v: i for i, v in enumerate(_victim_order(rows))}
    fixed = {s: i for i, s in enumerate(SIDE_COLORS)}
    rows = rows.assign(group=rows["victims"],
                       _g=rows["victims"].map(groups),
                       _s=rows["side"].map(lambda s: fixed.get(s, len(fixed))))
    return rows.sort_values(["_g", "_s", "claimant_name", "when", "claim_id"],
                            na_position="first").drop(columns=["_g", "_s"])


def _latest_rank(rows: pd.DataFrame) -> pd.Series:
    """0 for each claimant's latest figure per victim group, 1 for the one before, ...

    A date is what makes a figure 'latest', so an undated figure is never rank 0 when the
    claimant has a dated one; but it may well be later than every dated one (a figure quoted
    without its date in a later report), so it ranks 1, ahead of the claimant's earlier
    dated figures.
    """
    if rows.empty:
        return pd.Series(dtype="int64")
    order = rows.sort_values(["when", "claim_id"], ascending=[False, False],
                             na_position="last")
    keys = [order["claimant"], order["victims"].astype(str)]
    rank = order.groupby(keys).cumcount()
    dated_rank = order["when"].notna().groupby(keys).cumsum() - 1  # rank among dated ones
    has_dated = order["when"].notna().groupby(keys).transform("any")
    undated = order["when"].isna()
    rank = rank.where(~undated | ~has_dated, 1)
    rank = rank.where(undated | (dated_rank == 0), dated_rank + 1)
    return rank.reindex(rows.index)


def _claims_spec(incident_id: str, measure: str | None, root: Path | None,
                 claimants: Any = None, latest_only: bool = False,
                 title: str | None = None, subtitle: str | None = None,
                 source: str | None = None) -> _ClaimsSpec:
    t = _tables(root)
    inc = _incident(t, incident_id)
    mine = t.claims[t.claims["incident_id"] == incident_id]
    if measure is not None and measure not in MEASURE_WORDS:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURE_WORDS)}")
    left_out = []
    if claimants is not None:
        wanted = {claimants} if isinstance(claimants, str) else set(claimants)
        unknown = wanted - set(t.actors.index)
        if unknown:
            raise ValueError(f"unknown claimant(s) {', '.join(sorted(unknown))}: give actor_ids")
        dropped = mine[~mine["claimant"].isin(wanted)]
        if len(dropped):
            left_out.append(f"{len(dropped)} claim{'s' if len(dropped) != 1 else ''} by "
                            "other claimants left out by choice.")
        mine = mine[mine["claimant"].isin(wanted)]
    measure = measure if measure is not None else _pick_measure(mine)
    plotted = mine["kind"].ne("text") & mine["measure"].eq(measure)
    # text rows: claims without a figure and every denial or dispute, of this measure or of
    # none at all ('denies any casualties')
    texts = mine[~plotted & mine["kind"].eq("text")
                 & (mine["measure"].eq(measure) | mine["stance"].isin(["denies", "disputes"])
                    | mine[["low", "best", "high"]].isna().all(axis=1))]
    other = mine[~plotted & mine["kind"].ne("text")]
    keys = ["claimant", "measure", "victims", "qualifier", "low", "best", "high", "stance",
            "vague_term"]
    figures = _merge_reports(mine[plotted], keys)
    if latest_only and len(figures):
        rank = _latest_rank(figures)
        n = int((rank > 0).sum())
        if n:
            left_out.append(f"{n} earlier figure{'s' if n != 1 else ''} left out by choice.")
        figures = figures[rank == 0]
    figure_rows = _order_rows(figures)
    text_rows = _merge_reports(texts, ["claimant", "stance"])
    text_rows = text_rows.sort_values(["when", "claim_id"], na_position="last").assign(
        group=None)
    rows = pd.concat([figure_rows.assign(text_row=False), text_rows.assign(text_row=True)],
                     ignore_index=True)
    rows["reports"] = rows["reports"].astype("int64")
    rows["rank"] = _latest_rank(rows).fillna(0).astype("int64").to_numpy()
    rows["value"] = [_value_text(r) for r in rows.itertuples()]
    sources = _sources_of(rows)
    perp = _perpetrator_name(t, str(inc["perpetrator"]))
    what = MEASURE_WORDS.get(measure, "") if measure else ""
    groups = _victim_order(figure_rows) if len(figure_rows) else []
    per = (f" Figures for {what}, grouped by who was {_PAST.get(measure, 'counted')}, as each "
           "party states them." if len(groups) > 1 else
           f" Figures for {what}" + (f" ({_VICTIM_NOUNS[groups[0]]})" if groups
                                     and _VICTIM_NOUNS.get(groups[0]) else "")
           + ", as each party states them.") if measure else " No party gives a figure."
    default_sub = f"{_incident_title(inc)}. Attributed to {perp}. {_dispute_words(inc)}{per}"
    return _ClaimsSpec(
        incident=inc, measure=measure, rows=rows, n_figure_rows=len(figure_rows),
        other_measures=other["measure"].value_counts().to_dict(), sources=sources,
        title=title if title is not None else _claims_finding(t, inc, rows, measure),
        subtitle=subtitle if subtitle is not None else default_sub,
        source=source, left_out=" ".join(left_out), outlet_of=_outlet_map(t),
    )


_PAST = {"killed": "killed", "injured": "injured", "missing": "missing",
         "captured": "captured", "casualties": "hurt", "displaced": "displaced"}


def _claims_finding(t: _Tables, inc: pd.Series, rows: pd.DataFrame, measure: str | None) -> str:
    """A headline that states what the claims show: who denies, what the others count.

    Built from each claimant's latest figure in the main victim group only, so the numbers
    it quotes are the ones the chart shows first.
    """
    accused = t.actors["side"].astype(object).get(str(inc["perpetrator"]))
    place = _short_place(str(inc["location"]).split(",")[0], 40)
    figures = rows[~rows["text_row"]]
    if figures.empty or measure is None:
        deny = rows[rows["stance"].isin(["denies", "disputes"])]
        if len(deny):
            return f"{place}: {_side_label(deny['side'].iloc[0])} {deny['stance'].iloc[0]}; " \
                   "no party gives a figure"
        return f"{place}: no party gives a figure"
    group = _victim_order(figures)[0]
    main = figures[(figures["victims"] == group) & (figures["rank"] == 0)]
    single = _marks_words(main) == "1"
    noun = (_VICTIM_NOUN if single else _VICTIM_NOUNS).get(group) or (
        "person" if single else "people")
    verb = _PAST.get(measure, measure)
    parts = []
    own = rows[(rows["side"] == accused)]
    if accused and len(own):
        denial = own[own["stance"].isin(["denies", "disputes"])]
        own_fig = main[main["side"] == accused]
        name = _side_label(accused)
        if len(own_fig):
            parts.append(f"{name} says {_marks_words(own_fig)}")
        elif len(denial):
            stance = "denies" if denial["stance"].eq("denies").any() else "disputes"
            parts.append(f"{name} {stance}")
    indep = main[main["side"] == "independent"]
    others = main[~main["side"].isin([accused, "independent"])]
    if len(indep):
        parts.append(f"independent sources count {_marks_words(indep)} {noun} {verb}")
    elif len(others):
        side = _side_label(others["side"].iloc[0])
        parts.append(f"{side} says {_marks_words(others)} {noun} {verb}")
    elif not parts:
        parts.append(f"{_marks_words(main)} {noun} {verb}")
    return f"{place}: {'; '.join(parts)}"


def _marks_words(rows: pd.DataFrame) -> str:
    from incidents.marks import span_words

    return span_words(mark_of(r) for r in rows.itertuples())


def _sources_of(rows: pd.DataFrame) -> set:
    """The distinct sources behind merged rows (each row may stand for several reports)."""
    if not len(rows):
        return set()
    return set().union(*[s for s in rows["source_set"] if isinstance(s, frozenset)])


def _source_line(outlets: Any, limit: int = 8) -> str:
    """'Sources: SOHR, UN Commission of Inquiry, SANA and 4 more, via incidents 0.2'.

    ``outlets`` are the original publishers of what is drawn, most used first.
    """
    names = [str(o) for o in dict.fromkeys(outlets) if isinstance(o, str) and o.strip()]
    version = ".".join(__version__.split(".")[:2])
    if not names:
        return f"Source: incidents {version}"
    shown = names[:limit]
    more = len(names) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more else "")
    return f"Source{'s' if len(names) > 1 else ''}: {listed}, via incidents {version}"


def _outlet_map(t: _Tables) -> dict:
    return t.outlets


def _rank_outlets(source_ids: Any, outlet_of: dict) -> list[str]:
    """Original outlets of ``source_ids``, most used first (ties: alphabetical)."""
    outlets = pd.Series([outlet_of.get(s, s) for s in source_ids], dtype=object).dropna()
    if outlets.empty:
        return []
    counts = outlets.value_counts()
    return sorted(counts.index, key=lambda o: (-counts[o], str(o).lower()))


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
class _LatestSpec:
    """Many incidents, one measure and one victim group: each side's latest figure."""

    rows: pd.DataFrame  # one per incident drawn: label, date, disputed, gap, accused
    latest: pd.DataFrame  # one per incident and side: the side's latest claim, its mark
    measure: str
    victims: str
    n_candidates: int  # incidents selected before dropping those without such a figure
    sources: set
    title: str
    subtitle: str
    source: str
    order: str
    sides: str  # "all" (the overview) or "gap" (accused against independent)
    other_only: list = dataclasses.field(default_factory=list)  # gap: only third sides


def _latest_per_side(c: pd.DataFrame) -> pd.DataFrame:
    """Each side's latest drawn claim per incident (by ``claimed_on``, else the source's date).

    Undated claims rank below dated ones; among equals the later claim_id wins, so the
    choice is stable.
    """
    if c.empty:
        return c
    c = c.sort_values(["incident_id", "side", "when", "claim_id"], na_position="first")
    return c.groupby(["incident_id", "side"], sort=False).tail(1).reset_index(drop=True)


def _latest_spec(measure: str, victims: str, start: Any, end: Any, perpetrator: str | None,
                 order: str, root: Path | None, sides: str = "all",
                 title: str | None = None, subtitle: str | None = None,
                 source: str | None = None) -> _LatestSpec:
    if measure not in MEASURE_WORDS:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURE_WORDS)}")
    if order not in ("date", "gap"):
        raise ValueError(f"order must be 'date' or 'gap', not {order!r}")
    if victims not in _VICTIM_NOUNS:
        raise ValueError(f"unknown victims {victims!r}; choose one of {', '.join(_VICTIM_NOUNS)}")
    t = _tables(root)
    inc = _select_incidents(t, start, end, perpetrator)
    c = t.claims[t.claims["incident_id"].isin(inc.index) & t.claims["kind"].ne("text")
                 & t.claims["measure"].eq(measure) & t.claims["victims"].eq(victims)]
    # an incident whose perpetrator is unknown (coded with no side, or with a monitor's) has
    # no accused side to set against the independent figure
    sides_of = inc["perpetrator_side"].astype(object)
    accused = sides_of.where(~sides_of.isin(["independent", "unknown"]), "")
    other_only: list[str] = []
    if sides == "gap":
        own = c["side"].eq(c["incident_id"].map(accused))
        before = set(c["incident_id"])
        c = c[own | c["side"].eq("independent")]
        other_only = sorted(before - set(c["incident_id"]))
    latest = _latest_per_side(c)
    latest = latest.assign(accused=latest["side"].eq(latest["incident_id"].map(accused)))
    rows = inc.loc[inc.index.isin(latest["incident_id"])].copy()
    rows["gap"] = [_gap(latest[latest["incident_id"] == i]) for i in rows.index]
    rows["label_head"] = [_short_place(p, 40) for p in rows["location"]]
    rows["label_tail"] = [_incident_date(r) for _, r in rows.iterrows()]
    if order == "gap":
        rows = rows.sort_values(["gap", "date"], ascending=[False, True], kind="stable",
                                na_position="last")
    what = MEASURE_WORDS[measure].replace("people ", "")
    noun = _VICTIM_NOUNS.get(victims) or "people (victims not stated)"
    period = ""
    if len(rows):
        first, last = rows["date"].min(), rows["date"].max()
        period = f"{_date_text(first)} to {_date_text(last)}"
    n = len(rows)
    if sides == "gap":
        default_title = _gap_finding(rows, latest, noun, what)
        sub = (f"{n} incident{'s' if n != 1 else ''} from {period}: the latest figure for "
               f"{noun} {what} from the side accused and from independent sources, sorted by "
               "the gap between them." if n else f"No incident has a figure for {noun} {what}.")
    else:
        default_title = _overview_finding(rows, latest, noun, what)
        sorted_by = "by date" if order == "date" else "by the gap between the sides"
        sub = (f"{n} incident{'s' if n != 1 else ''} from {period}: each side's latest figure "
               f"for {noun} {what}, sorted {sorted_by}." if n
               else f"No incident has a figure for {noun} {what}.")
    sources = set(latest["source_id"])
    return _LatestSpec(
        rows=rows, latest=latest, measure=measure, victims=victims, n_candidates=len(inc),
        sources=sources, title=title if title is not None else default_title,
        subtitle=subtitle if subtitle is not None else sub,
        source=source if source is not None else _source_line(
            _rank_outlets(latest["source_id"], _outlet_map(t))),
        order=order, sides=sides,
        other_only=[_short_place(inc.at[i, "location"], 40) for i in other_only])


def _gap(latest: pd.DataFrame) -> float:
    """How far apart the accused side's and the independent figure are, at the least.

    The distance between the two intervals the wordings allow (:func:`incidents.claims.
    interval`): 0 when they overlap ('up to 64' against 4), the floor minus the other's top
    when one is a floor. NaN without both figures.
    """
    acc = latest[latest["accused"]]
    ind = latest[latest["side"] == "independent"]
    if acc.empty or ind.empty:
        return math.nan
    a, b = acc.iloc[0], ind.iloc[0]
    a_lo, a_hi, _ = interval(a["qualifier"], a["low"], a["best"], a["high"])
    b_lo, b_hi, _ = interval(b["qualifier"], b["low"], b["best"], b["high"])
    return float(max(0.0, b_lo - a_hi, a_lo - b_hi))


def _gap_exact(latest: pd.DataFrame) -> bool:
    """True when both figures are single numbers, so the gap is exact, not a least."""
    both = latest[latest["accused"] | (latest["side"] == "independent")]
    return len(both) == 2 and bool((both["kind"] == "point").all())


def _overview_finding(rows: pd.DataFrame, latest: pd.DataFrame, noun: str, what: str) -> str:
    if rows.empty:
        return f"No incident has a figure for {noun} {what}"
    gaps = rows["gap"].dropna()
    wide = int((gaps > 0).sum())
    if len(gaps):
        return (f"Independent counts of {noun} {what} differ from the accused side's in {wide} "
                f"of the {len(gaps)} incidents where both give a figure")
    return f"{len(rows)} incidents with a figure for {noun} {what}; none from both sides"


def _gap_finding(rows: pd.DataFrame, latest: pd.DataFrame, noun: str, what: str) -> str:
    if rows.empty:
        return f"No incident has a figure for {noun} {what}"
    both = rows.dropna(subset=["gap"])
    if both.empty:
        return f"No incident has both an accused and an independent figure for {noun} {what}"
    top = both.iloc[0]
    mine = latest[latest["incident_id"] == top.name]
    acc = mark_of(mine[mine["accused"]].iloc[0])
    ind = mark_of(mine[mine["side"] == "independent"].iloc[0])
    return (f"Largest gap: {top['label_head']}, where the accused side says {acc.label} and "
            f"independent sources {ind.label} {noun} {what}")


#: Sides whose names read with "the" in a sentence ("attributed to the US-led coalition").
_TAKES_THE = frozenset({"us_led_coalition", "syrian_government", "syrian_opposition", "sdf",
                        "islamic_state"})


@dataclass
class _TimelineSpec:
    incidents: pd.DataFrame
    lanes: list[str]
    sources: set
    title: str
    subtitle: str
    source: str


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
                    f"side each is attributed to; {k} of them disputed.")
        busiest = inc["perpetrator_side"].value_counts()
        top = busiest.index[0]
        lane = _lane_label(top)
        lane = f"the {lane}" if top in _TAKES_THE else lane
        title = (f"{k} of {n} incidents are disputed; {int(busiest.iloc[0])} are attributed "
                 f"to {lane}")
    else:
        subtitle, title = "No incident matches.", "No incident matches"
    return _TimelineSpec(incidents=inc, lanes=lanes, sources=set(claims["source_id"]),
                         title=title, subtitle=subtitle,
                         source=_source_line(_rank_outlets(claims["source_id"], _outlet_map(t))))
