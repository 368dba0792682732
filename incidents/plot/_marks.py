"""The marks: ranges, open-ended bars, points."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from incidents.plot._style import FONT, INK_SOFT, _Type

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


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
