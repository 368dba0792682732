"""claimed_vs_disputed(): many incidents, the span of figures each side gives."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents.plot._alt import _spans_alt
from incidents.plot._axis import _FigureAxis, _wants_log
from incidents.plot._data import _dispute_codes, _side_order, _source_line, _span_spec, _SpanSpec
from incidents.plot._frame import (
    _color,
    _Frame,
    _own_axes,
    _prop,
    _side_handles,
    _style,
    _style_axes,
)
from incidents.plot._marks import _bar_width, _empty_message, _open_bar, _point, _range_bar
from incidents.plot._rows import _Rows
from incidents.plot._style import GRID, INK_SOFT, MEASURE_WORDS

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes


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
