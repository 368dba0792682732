"""claimed_vs_disputed() and gap(): many incidents, each side's latest figure for one group."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents.marks import mark_of, num
from incidents.plot._alt import _latest_alt
from incidents.plot._axis import _FigureAxis, _wants_log
from incidents.plot._data import (
    _dispute_codes,
    _gap_exact,
    _latest_spec,
    _LatestSpec,
    _side_order,
)
from incidents.plot._frame import (
    _color,
    _Frame,
    _override,
    _own_axes,
    _prop,
    _set_alt,
    _side_handles,
    _style,
    _style_axes,
)
from incidents.plot._marks import _bar_width, _draw_mark, _empty_message, _settle_labels
from incidents.plot._rows import _Rows
from incidents.plot._style import _VICTIM_NOUNS, GRID, INK_SOFT, MEASURE_WORDS

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes

def claimed_vs_disputed(*, measure: str = "killed", victims: str = "civilians",
                        start: Any = None, end: Any = None, perpetrator: str | None = None,
                        order: str = "date", log: bool | None = None, ax: Axes | None = None,
                        root: Path | None = None, size: str = "web", title: str | None = None,
                        subtitle: str | None = None, source: str | None = None) -> Axes:
    """Chart, for every incident with such a figure, each side's latest figure.

    One row per incident; in it, one line per side with that side's latest claim (by
    ``claimed_on``, else the source's publication date) for one measure and one victim
    group, drawn with the honest marks of :mod:`incidents.marks`. Earlier figures
    belong to :func:`revisions`. Every incident that has a figure is shown.

    Parameters
    ----------
    measure : str, default "killed"
        What is counted.
    victims : str, default "civilians"
        The one victim group compared ('civilians', 'all', 'armed_forces' ...): counts of
        different groups never share an axis.
    start, end : date-like, optional
        Only incidents dated within these bounds (inclusive).
    perpetrator : str, optional
        Only incidents attributed to this actor_id or side code.
    log : bool, optional
        Force a symlog axis on or off; default: on when figures span more than two orders of
        magnitude.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``size``, made as tall as needed to show
        every incident. On a given Axes rows that do not fit are left out, and the note
        says how many.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    size : {"web", "square", "column", "two-column"}
        Width (and least height) of the new figure when ``ax`` is not given.
    title, subtitle, source : str, optional
        Replace the headline (default: a finding from the data), the subtitle (default: the
        exact date range drawn) or the source line (default: the original outlets).
    order : {"date", "gap"}
        Rows by date (oldest on top) or by the gap between the accused side and independent
        sources (largest on top).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its figure's ``alt_text`` describes what was drawn.

    Raises
    ------
    ValueError
        For an unknown measure, victims, perpetrator or order, or a bad date.
    """
    spec = _latest_spec(measure, victims, start, end, perpetrator, order, root, "all")
    spec = _override(spec, title, subtitle, source)
    with _style():
        own = ax is None
        ax = _own_axes(ax, size)
        return _draw_latest(ax, spec, log, own)


def gap(*, measure: str = "killed", victims: str = "civilians", start: Any = None,
        end: Any = None, perpetrator: str | None = None, log: bool | None = None,
        ax: Axes | None = None, root: Path | None = None, size: str = "web",
        title: str | None = None, subtitle: str | None = None,
        source: str | None = None) -> Axes:
    """Chart what the accused side says against the independent figure, per incident.

    A dumbbell per incident: the latest figure of the side the incident is attributed to
    and the latest independent figure for one measure and one victim group, joined by a
    line, incidents sorted by the gap between them (largest on top). A floor is a dot
    labelled "N+"; an incident with only one of the two figures is shown with that one and
    sorted last.

    Parameters
    ----------
    measure : str, default "killed"
        What is counted.
    victims : str, default "civilians"
        The one victim group compared ('civilians', 'all', 'armed_forces' ...): counts of
        different groups never share an axis.
    start, end : date-like, optional
        Only incidents dated within these bounds (inclusive).
    perpetrator : str, optional
        Only incidents attributed to this actor_id or side code.
    log : bool, optional
        Force a symlog axis on or off; default: on when figures span more than two orders of
        magnitude.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``size``, made as tall as needed to show
        every incident. On a given Axes rows that do not fit are left out, and the note
        says how many.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    size : {"web", "square", "column", "two-column"}
        Width (and least height) of the new figure when ``ax`` is not given.
    title, subtitle, source : str, optional
        Replace the headline (default: a finding from the data), the subtitle (default: the
        exact date range drawn) or the source line (default: the original outlets).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its figure's ``alt_text`` describes what was drawn.

    Raises
    ------
    ValueError
        For an unknown measure, victims, perpetrator or order, or a bad date.
    """
    spec = _latest_spec(measure, victims, start, end, perpetrator, "gap", root, "gap")
    spec = _override(spec, title, subtitle, source)
    with _style():
        own = ax is None
        ax = _own_axes(ax, size)
        return _draw_latest(ax, spec, log, own)


def _latest_notes(spec: _LatestSpec, rows: pd.DataFrame, latest: pd.DataFrame,
                  logged: bool) -> list[str]:
    notes = []
    kinds = {mark_of(r).kind for r in latest.itertuples()}
    if "floor" in kinds:
        notes.append("N+: a floor ('at least', 'dozens'); the count may be higher.")
    if "ceiling" in kinds:
        notes.append("≤N: a ceiling ('up to').")
    if "range" in kinds:
        notes.append("Bar: a range between its stated bounds.")
    notes.append("Each side's latest figure; earlier ones are in the revisions charts.")
    if logged:
        notes.append("Logarithmic scale; 0 sits at the left edge.")
    dropped = len(spec.rows) - len(rows)
    if dropped:
        notes.append(f"{dropped} of {len(spec.rows)} incidents left out for lack of room "
                     "(listed in the alt text).")
    if spec.other_only:
        k = len(spec.other_only)
        notes.append(f"{k} incident{'s' if k != 1 else ''} with figures only from other sides "
                     f"(neither accused nor independent) not shown: {', '.join(spec.other_only)}.")
    missing = spec.n_candidates - len(spec.rows) - len(spec.other_only)
    if missing:
        what = f"{MEASURE_WORDS[spec.measure]} ({_VICTIM_NOUNS.get(spec.victims) or 'any'})"
        notes.append(f"{missing} incident{'s' if missing != 1 else ''} with no figure for "
                     f"{what} not shown.")
    return notes


def _sub_lines(spec: _LatestSpec, inc_id: str) -> int:
    if spec.sides == "gap":
        return 1
    return int((spec.latest["incident_id"] == inc_id).sum())


_SUB = 0.8  # spacing of the sides' lines within an incident's row, in row units: a label each


def _heights(spec: _LatestSpec, rows: pd.DataFrame) -> list[float]:
    return [max(1.0, 0.2 + _SUB * _sub_lines(spec, i)) for i in rows.index]


def _handles(spec: _LatestSpec, latest: pd.DataFrame, rows: pd.DataFrame) -> list:
    from matplotlib.lines import Line2D

    if spec.sides == "gap":
        return _side_handles(_side_order(latest["side"]))
    handles = _side_handles(_side_order(latest["side"]))
    if rows["disputed"].any():
        handles.append((Line2D([], [], ls="none", marker="D", ms=7, mfc=INK_SOFT, mec="white"),
                        "Disputed: what is disputed"))
    return handles


def _value_tag(spec: _LatestSpec, row: pd.Series) -> str:
    if spec.sides == "gap":
        if np.isnan(row["gap"]):
            mine = spec.latest[spec.latest["incident_id"] == row.name]
            return ("no independent figure" if mine["accused"].all()
                    else "no figure from the side accused")
        if row["gap"] == 0:
            return "figures overlap"
        mine = spec.latest[spec.latest["incident_id"] == row.name]
        return f"gap {'' if _gap_exact(mine) else '≥'}{num(row['gap'])}"
    if not bool(row["disputed"]):
        return ""
    codes = _dispute_codes(row["dispute"])
    return "◆ " + (", ".join(codes) if codes else "disputed")


def _grow_to_fit(ax: Axes, frame: _Frame, spec: _LatestSpec, size: float) -> None:
    """Make the figure tall enough for every incident at label size ``size``."""
    fig = ax.figure
    region = frame.place()
    probe = _Rows(ax, frame, 1)
    need = probe.axis_px() + sum(_heights(spec, spec.rows)) * probe.line_px(size) * 1.05
    extra = need - region.height
    if extra > 0:
        w, h = fig.get_size_inches()
        fig.set_size_inches(w, h + extra / fig.dpi + 0.05)
        frame.box, frame.t = _frame_box_again(ax)


def _frame_box_again(ax: Axes):
    from incidents.plot._frame import _frame_box

    return _frame_box(ax)


def _draw_latest(ax: Axes, spec: _LatestSpec, log: bool | None, own: bool) -> Axes:
    rows, latest = spec.rows, spec.latest
    logged = _wants_log([v for v in [*latest["lo"], *latest["hi"]] if np.isfinite(v)], log)
    frame = _Frame(ax, spec.title, spec.subtitle, _latest_notes(spec, rows, latest, logged),
                   spec.source, _handles(spec, latest, rows))
    if own and len(rows):
        _grow_to_fit(ax, frame, spec, frame.t.small)
    region = frame.place()
    size, keep = _Rows.sized(ax, frame, len(rows), region, per_row=1.05,
                             heights=_heights(spec, rows))
    for _ in range(3):  # only on a caller's Axes: the note saying so may take a line
        if len(rows) <= keep:
            break
        rows = rows.iloc[:keep]
        latest = spec.latest[spec.latest["incident_id"].isin(rows.index)]
        frame.set(notes="  ".join(_latest_notes(spec, rows, latest, logged)))
        region = frame.place()
        keep = _Rows(ax, frame, 1).capacity(region, size, 1.05, _heights(spec, rows))
    grid = _Rows(ax, frame, len(rows), size, heights=_heights(spec, rows))
    _style_axes(ax, frame.t)
    if not len(rows):
        _empty_message(ax, spec.subtitle, frame.t)
        grid.fit(region)
        _set_alt(ax.figure, _latest_alt(spec, rows))
        return ax
    who = _VICTIM_NOUNS.get(spec.victims) or "victims not stated"
    what = f"{MEASURE_WORDS[spec.measure].replace('people ', '')} ({who})"
    xaxis = _FigureAxis(ax, [*latest["lo"], *latest["hi"]], True, logged,
                        what[0].upper() + what[1:], frame.t, frame.measure)
    tags = [_value_tag(spec, row) for _, row in rows.iterrows()]
    grid.value_share = frame.t.value_share + 0.04
    prop = _prop(min(frame.t.small, size))
    if spec.sides == "all" and frame.measure.width("◆ circumstances",
                                                    prop) > frame.box.width * grid.value_share:
        tags = [tag[:1] for tag in tags]  # too narrow to say what: the mark and the legend
    for i, (_, row) in enumerate(rows.iterrows()):
        grid.add_label(i, row["label_head"], "", f" — {row['label_tail']}")
        grid.add_value(i, tags[i])
    grid.fit(region, xaxis)
    for i in range(1, len(rows)):
        rule = ax.axhline(grid.y(i) - grid.heights[i] / 2, color=GRID, lw=0.6, zorder=1)
        rule.set_gid("row-rule")
    lw = _bar_width(grid.row_px(), ax.figure, share=0.25, top=grid.t.body * 0.6)
    label_size = min(frame.t.small, size)
    for i, inc_id in enumerate(rows.index):
        mine = latest[latest["incident_id"] == inc_id]
        if spec.sides == "gap":
            _dumbbell(ax, mine, grid.y(i), lw, label_size)
            continue
        rank = {side: j for j, side in enumerate(_side_order(mine["side"]))}
        mine = mine.sort_values("side", key=lambda s: s.map(rank))
        offsets = (np.arange(len(mine)) - (len(mine) - 1) / 2) * _SUB
        for dy, claim in zip(offsets, mine.itertuples(), strict=True):
            _draw_mark(ax, mark_of(claim), grid.y(i) + dy, _color(claim.side), lw * 2.1, lw,
                       label_size)
    ax.set_xlim(0, xaxis.xmax)
    _settle_labels(ax, xaxis, frame.measure.renderer)
    _set_alt(ax.figure, _latest_alt(spec, rows))
    return ax


def _dumbbell(ax: Axes, mine: pd.DataFrame, y: float, lw: float, label_size: float) -> None:
    """Accused and independent on one line, joined; the lower figure labelled on the left."""
    marks = [(mark_of(c), c.side) for c in mine.itertuples()]
    if len(marks) == 2:
        (a, _), (b, _) = sorted(marks, key=lambda ms: ms[0].value)
        (link,) = ax.plot([a.x1, b.x0], [y, y], color=GRID, lw=lw * 0.8, zorder=1,
                          solid_capstyle="butt")
        link.set_gid("gap-link")
    order = sorted(marks, key=lambda ms: ms[0].value)
    for j, (m, side) in enumerate(order):
        _draw_mark(ax, m, y, _color(side), lw * 2.1, lw, label_size,
                   label_left=len(order) == 2 and j == 0)
