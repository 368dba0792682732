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
