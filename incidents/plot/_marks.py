"""Drawing the marks :mod:`incidents.marks` defines: dots, chevrons, range bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from incidents.marks import CHEVRON_PT, Mark
from incidents.plot._style import INK, INK_SOFT, _Type

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _chevron_marker(up: bool = False):
    from matplotlib.path import Path as MplPath

    # an open '>' to the right of the marker's origin (or '^' above it): its length is fixed
    # in points, so a floor's mark says 'and more' without drawing a magnitude past the
    # stated number
    points = [(0.45, 0.5), (1.0, 0.0), (0.45, -0.5)]
    if up:
        points = [(y, x) for x, y in points]
    return MplPath(points, [MplPath.MOVETO, MplPath.LINETO, MplPath.LINETO])


def _draw_mark(ax: Axes, m: Mark, y: float, color: str, size: float, lw: float,
               label_size: float, label: bool = True, label_left: bool = False) -> None:
    """Draw one claim's mark (see :mod:`incidents.marks`) at row ``y``, labelled."""
    if m.kind == "range":
        _range_bar(ax, m.x0, m.x1, y, color, lw)
        if not np.isnan(m.best):
            _point(ax, m.best, y, color, size * 0.9)
    elif m.kind == "floor":
        _point(ax, m.x0, y, color, size, gid="floor")
        (chev,) = ax.plot([m.x0], [y], ls="none", marker=_chevron_marker(), ms=CHEVRON_PT * 2,
                          mfc="none", mec=color, mew=max(1.2, lw * 0.35), zorder=3,
                          clip_on=False)
        chev.set_gid("floor-chevron")
    elif m.kind == "ceiling":
        _point(ax, m.x0, y, color, size, hollow=True, gid="ceiling")
    elif m.kind == "point":
        _point(ax, m.x0, y, color, size, gid="point")
    else:
        return
    if label:
        if label_left:
            at, dx, ha = m.x0, -(size * 0.5 + 3), "right"
        else:
            at, ha = m.x1, "left"
            dx = CHEVRON_PT + 2 if m.kind == "floor" else size * 0.5 + 3
        text = ax.annotate(m.label, xy=(at, y), xytext=(dx, 0), textcoords="offset points",
                           ha=ha, va="center", fontsize=label_size, color=INK,
                           annotation_clip=False, parse_math=False)
        text.set_gid("mark-label")


def _range_bar(ax: Axes, lo: float, hi: float, y: float, color: str, lw: float,
               gid: str = "range") -> None:
    (bar,) = ax.plot([lo, hi], [y, y], color=color, lw=lw, solid_capstyle="butt", zorder=2,
                     marker="|", ms=lw * 2.2, mew=max(1.2, lw * 0.35))
    bar.set_gid(gid)


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
            fontsize=t.body, color=INK_SOFT, parse_math=False)


def _settle_labels(ax: Axes, xaxis, renderer) -> None:
    """Keep every mark label inside the plot: widen the axis, flip labels off the left edge.

    The axis grows (to a round number) until the rightmost label ends inside the Axes, so no
    label runs into the value column; a label set to the left of its dot that would cross the
    axis at zero goes to the dot's right instead. Only the axis grows: marks never move past
    the numbers the claims state.
    """
    labels = [t for t in ax.texts if t.get_gid() == "mark-label"]
    if not labels or xaxis is None:
        return
    from incidents.plot._axis import _nice_ceiling

    for _ in range(6):
        box = ax.get_window_extent(renderer)
        over = max(t.get_window_extent(renderer).x1 for t in labels) - box.x1
        if over <= 0:
            break
        grow = box.width / max(box.width - over - 4, box.width * 0.3)
        xaxis.xmax = _nice_ceiling(xaxis.xmax * (grow ** (3 if xaxis.log else 1)) * 1.01,
                                   xaxis.log)
        ax.set_xlim(0, xaxis.xmax)
        xaxis(box.width)
    box = ax.get_window_extent(renderer)
    for text in labels:
        if text.get_ha() == "right" and text.get_window_extent(renderer).x0 < box.x0:
            dx, dy = text.xyann
            text.xyann = (-dx, dy)
            text.set_ha("left")
            _merge_if_crowded(text, labels, renderer)


def _merge_if_crowded(moved, labels, renderer) -> None:
    """A flipped label that now collides with its row's other label joins it, in x order."""
    box = moved.get_window_extent(renderer)
    for other in labels:
        if other is moved or not other.get_visible() or other.xy[1] != moved.xy[1]:
            continue
        if box.overlaps(other.get_window_extent(renderer)):
            other.set_text(f"{moved.get_text()} · {other.get_text()}")
            moved.set_visible(False)
            moved.set_gid("mark-label-merged")
            return
