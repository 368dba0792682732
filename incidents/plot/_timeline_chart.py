"""timeline(): incidents over time, one lane per side held responsible."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents.plot._alt import _timeline_alt
from incidents.plot._data import _lane_label, _timeline_spec, _TimelineSpec
from incidents.plot._frame import (
    _color,
    _Frame,
    _Measure,
    _override,
    _own_axes,
    _prop,
    _px,
    _set_alt,
    _side_handles,
    _style,
    _style_axes,
    _text_color,
    _type_for,
)
from incidents.plot._marks import _empty_message
from incidents.plot._rows import _Rows
from incidents.plot._style import INK_SOFT, SIDE_COLORS, _Type

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def timeline(*, start: Any = None, end: Any = None, perpetrator: str | None = None,
             ax: Axes | None = None, root: Path | None = None, size: str = "web",
             title: str | None = None, subtitle: str | None = None,
             source: str | None = None) -> Axes:
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
    size : {"web", "square", "column", "two-column"}
        Size of the new figure when ``ax`` is not given.
    title, subtitle, source : str, optional
        Replace the headline (default: a finding from the data), the subtitle or the source
        line; each is wrapped to the frame's width.

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
    spec = _override(spec, title, subtitle, source)
    with _style():
        ax = _own_axes(ax, size)
        ax = _draw_timeline(ax, spec)
    _set_alt(ax.figure, _timeline_alt(spec))
    return ax


def _timeline_handles(spec: _TimelineSpec, size: float) -> list[tuple[Any, str]]:
    from matplotlib.lines import Line2D

    # the lane of incidents nobody is known to have carried out is named as in the chart
    handles = [(h, _lane_label(lane)) for (h, _), lane in
               zip(_side_handles(spec.lanes), spec.lanes, strict=True)]
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
                           labelpad=4)


def _draw_timeline(ax: Axes, spec: _TimelineSpec) -> Axes:
    import matplotlib.dates as mdates

    inc = spec.incidents
    frame = _Frame(ax, spec.title, spec.subtitle,
                   ["Line: an incident that lasted more than a day."]
                   if inc["date_end"].notna().any() else [],
                   spec.source, _timeline_handles(spec, _type_for(
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
        edge = INK_SOFT if lane == "unknown" or lane not in SIDE_COLORS else None
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
