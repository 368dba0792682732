"""The figure axis: linear or symlog, ticks chosen to fit."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from incidents.marks import num as _num
from incidents.plot._frame import _Measure, _prop, _px
from incidents.plot._style import INK_SOFT, _Type

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes


def _wants_log(values: list[float], log: bool | None) -> bool:
    """Log when figures span more than two orders of magnitude (zeros do not count)."""
    if log is not None:
        return bool(log)
    finite = [v for v in values if np.isfinite(v) and v > 0]
    return bool(finite) and max(finite) / max(min(finite), 1.0) > 100


def _nice_ceiling(value: float, log: bool) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    steps = (1, 2, 5, 10) if log else (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
    return next(s * exp for s in steps if s * exp >= value - 1e-9)


class _FigureAxis:
    """The x axis of counts: limits, scale and ticks that do not collide."""

    def __init__(self, ax: Axes, values: list[float], has_open: bool, log: bool | None,
                 label: str, t: _Type, measure: _Measure):
        finite = [v for v in values if np.isfinite(v)]
        top = max(finite) if finite else 1.0
        self.log = _wants_log(finite, log)
        # room to the right so an open-ended figure visibly runs on past the last floor
        headroom = (3.0 if self.log else 1.3) if has_open else (1.5 if self.log else 1.08)
        self.xmax = _nice_ceiling(max(top * headroom, 4.0), self.log)
        self.ax, self.t, self.m = ax, t, measure
        if self.log:
            ax.set_xscale("symlog", linthresh=1, linscale=0.4)
        ax.set_xlim(0, self.xmax)
        suffix = " (logarithmic scale)" if self.log else ""
        ax.set_xlabel(label + suffix, loc="right", fontsize=t.small, color=INK_SOFT,
                      labelpad=4)

    def candidates(self, width_px: float) -> list[float]:
        if self.log:
            top = math.ceil(math.log10(self.xmax))
            return [0.0] + [10.0**k for k in range(0, top + 1) if 10.0**k <= self.xmax]
        from matplotlib.ticker import MaxNLocator

        nbins = max(2, min(8, int(width_px // (_px(self.ax.figure, self.t.small) * 6))))
        ticks = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10], integer=True).tick_values(
            0, self.xmax)
        return [float(v) for v in ticks if 0 <= v <= self.xmax + 1e-9]

    def __call__(self, width_px: float) -> None:
        ticks = self.candidates(width_px)
        prop = _prop(self.t.small)
        gap = _px(self.ax.figure, self.t.small)
        labels = [_num(v) for v in ticks]
        scale = self._scale(width_px)
        centres = [scale(v) for v in ticks]
        widths = [self.m.width(lab, prop) for lab in labels]

        def clear(i: int, j: int) -> bool:
            return centres[j] - centres[i] >= (widths[i] + widths[j]) / 2 + gap

        if self.log:
            # decades are uneven near zero: drop the crowded ones (1 next to 0), keep the rest
            kept = [0]
            for i in range(1, len(ticks)):
                if clear(kept[-1], i):
                    kept.append(i)
        else:
            for step in range(1, len(ticks) + 1):
                kept = list(range(0, len(ticks), step))
                if all(clear(a, b) for a, b in pairwise(kept)):
                    break
        self.ax.set_xticks([ticks[i] for i in kept], [labels[i] for i in kept])

    def _scale(self, width_px: float):
        """Pixel position of a value along an Axes ``width_px`` wide."""
        if not self.log:
            return lambda v: v / self.xmax * width_px
        lin = 0.4 / math.log(10)  # symlog linscale expressed in natural-log units

        def f(v: float) -> float:
            return v * lin if v <= 1 else lin + math.log(v)

        return lambda v: f(v) / f(self.xmax) * width_px
