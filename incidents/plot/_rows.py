"""Rows of a chart: labels on the left, values on the right, layout from measured text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from incidents.plot._frame import _Frame, _px
from incidents.plot._style import INK, INK_SOFT

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes
    from matplotlib.transforms import Bbox


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
            color=style.pop("color", INK), linespacing=1.05,
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
            fontsize=min(self.t.small, self.label_size), color=color,
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
