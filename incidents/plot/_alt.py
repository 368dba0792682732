"""Plain-language descriptions of the charts (alt text): the point first, then the rows.

Each description opens with one or two sentences (under 300 characters) that say what the
chart shows, so a screen reader gives the finding before any detail; the rows follow. The
figures are worded by :mod:`incidents.marks`, the same module that draws them, and no
sentence refers to what the chart looks like.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from incidents.marks import mark_of
from incidents.plot._data import (
    _claims_spec,
    _ClaimsSpec,
    _date_text,
    _lane_label,
    _latest_spec,
    _LatestSpec,
    _side_label,
    _timeline_spec,
    _TimelineSpec,
)
from incidents.plot._style import _CHARTS, _VICTIM_NOUNS, MEASURE_WORDS

#: The opening of every alt text stays under this many characters.
POINT_LIMIT = 300


def describe(kind: str, **kwargs: Any) -> str:
    """Describe a chart in plain language, for alt text.

    Parameters
    ----------
    kind : {"claims", "claimed_vs_disputed", "gap", "revisions", "timeline"}
        Which chart.
    **kwargs
        The same arguments the chart function takes (``ax``, ``size`` and ``log`` are
        accepted and ignored).

    Returns
    -------
    str
        The point in one or two sentences, then what each row says.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or the errors the chart function raises.
    """
    for ignored in ("ax", "size", "log", "max_rows"):
        kwargs.pop(ignored, None)
    if kind == "claims":
        incident_id = kwargs.pop("incident_id")
        return _claims_alt(_claims_spec(incident_id, kwargs.pop("measure", None),
                                        kwargs.pop("root", None), **kwargs))
    if kind in ("claimed_vs_disputed", "gap"):
        return _latest_alt(_latest_spec(
            kwargs.get("measure", "killed"), kwargs.get("victims", "civilians"),
            kwargs.get("start"), kwargs.get("end"), kwargs.get("perpetrator"),
            "gap" if kind == "gap" else kwargs.get("order", "date"), kwargs.get("root"),
            "gap" if kind == "gap" else "all", kwargs.get("title"), kwargs.get("subtitle")))
    if kind == "revisions":
        from incidents.plot._revisions_chart import _revisions_alt, _revisions_spec

        incident_id = kwargs.pop("incident_id")
        return _revisions_alt(_revisions_spec(incident_id, **kwargs))
    if kind == "timeline":
        return _timeline_alt(_timeline_spec(kwargs.get("start"), kwargs.get("end"),
                                            kwargs.get("perpetrator"), kwargs.get("root")))
    raise ValueError(f"unknown chart kind {kind!r}; choose one of {', '.join(_CHARTS)}")


def _point(*sentences: str) -> str:
    """The opening: the sentences that fit in :data:`POINT_LIMIT` characters, whole."""
    out = ""
    for sentence in sentences:
        s = sentence.strip()
        if not s:
            continue
        s = s if s.endswith((".", "?", "!")) else s + "."
        trial = f"{out} {s}".strip()
        if len(trial) >= POINT_LIMIT:
            break
        out = trial
    if not out:  # a single over-long sentence: cut at a word
        first = next(s for s in sentences if s.strip()).strip()
        out = first[: POINT_LIMIT - 2].rsplit(" ", 1)[0] + "…"
    return out


def _alt_side(side: Any) -> str:
    return "independent" if side == "independent" else _side_label(side)


def _claims_alt(spec: _ClaimsSpec, shown: pd.DataFrame | None = None) -> str:
    """Alt text of a claims chart; ``shown`` are the rows drawn when some were left out."""
    rows = spec.rows if shown is None else shown
    n = len(spec.rows)
    point = _point(spec.title, f"{n} claim{'s' if n != 1 else ''} from "
                   f"{rows['claimant'].nunique()} claimant"
                   f"{'s' if rows['claimant'].nunique() != 1 else ''}"
                   + (f" about {MEASURE_WORDS[spec.measure]}" if spec.measure else ""))
    parts = [point]
    group = None
    for row in rows.itertuples():
        head = "Without a figure" if row.text_row else (
            (_VICTIM_NOUNS.get(row.group) or "victims not stated").capitalize())
        if head != group:
            group = head
            parts.append(f"{head}:")
        more = f" (and {row.reports - 1} further report{'s' if row.reports > 2 else ''})" \
            if row.reports > 1 else ""
        parts.append(f"{row.claimant_name} ({_alt_side(row.side)}), {row.outlet}, "
                     f"{_date_text(row.when)}{more}: {row.value}.")
    if not n:
        parts.append("No claim is recorded.")
    hidden = spec.rows.loc[~spec.rows.index.isin(rows.index)]
    if len(hidden):
        who = ", ".join(dict.fromkeys(hidden["claimant_name"].astype(str)))
        k = len(hidden)
        parts.append(f"{k} more row{'s' if k != 1 else ''} left out for lack of room, by "
                     f"{who}.")
    if spec.left_out:
        parts.append(spec.left_out)
    if spec.other_measures:
        other = ", ".join(f"{k} about {MEASURE_WORDS.get(m, m)}"
                          for m, k in spec.other_measures.items())
        parts.append(f"Not shown: {other}.")
    return _join(parts)


def _join(parts: list[str]) -> str:
    """The point on its own line, then the details."""
    return parts[0] + ("\n" + " ".join(parts[1:]) if len(parts) > 1 else "")


def _latest_alt(spec: _LatestSpec, shown: pd.DataFrame | None = None) -> str:
    """Alt text of the overview or the gap chart; ``shown`` are the incidents drawn."""
    rows = spec.rows if shown is None else shown
    parts = [_point(spec.title, spec.subtitle)]
    for inc_id, row in rows.iterrows():
        mine = spec.latest[spec.latest["incident_id"] == inc_id]
        said = "; ".join(f"{_alt_side(c.side)}{' (accused)' if c.accused else ''} "
                         f"{mark_of(c).words}" for c in mine.itertuples())
        parts.append(f"{row['label_head']}, {row['label_tail']}: {said}.")
    hidden = spec.rows.loc[~spec.rows.index.isin(rows.index)]
    if len(hidden):
        parts.append(f"{len(hidden)} more incident{'s' if len(hidden) != 1 else ''} left out "
                     f"for lack of room: {', '.join(hidden['label_head'])}.")
    if spec.other_only:
        parts.append(f"Not included, with figures only from sides neither accused nor "
                     f"independent: {', '.join(spec.other_only)}.")
    missing = spec.n_candidates - len(spec.rows) - len(spec.other_only)
    if missing:
        parts.append(f"{missing} incident{'s' if missing != 1 else ''} with no such figure "
                     "are not included.")
    return _join(parts)


def _timeline_alt(spec: _TimelineSpec) -> str:
    parts = [_point(spec.title, spec.subtitle)]
    inc = spec.incidents
    for lane in spec.lanes:
        mine = inc[inc["perpetrator_side"] == lane]
        parts.append(f"{_lane_label(lane)}: {len(mine)} ({int(mine['disputed'].sum())} "
                     "disputed).")
    return _join(parts)


