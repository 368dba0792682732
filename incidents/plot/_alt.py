"""Plain-language descriptions of the charts (alt text)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from incidents.plot._data import (
    _claims_spec,
    _ClaimsSpec,
    _date_text,
    _lane_label,
    _num,
    _side_label,
    _span_spec,
    _SpanSpec,
    _timeline_spec,
    _TimelineSpec,
)
from incidents.plot._style import _CHARTS, MEASURE_WORDS

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    pass


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
