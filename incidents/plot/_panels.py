"""panels(): several charts in one figure, with one headline, legend and source line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.plot._frame import (
    _Frame,
    _px,
    _style,
    _type_for,
    figure,
)

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.figure import Figure

_KINDS = ("claims", "claimed_vs_disputed", "gap", "revisions", "timeline")
#: What each kind of panel shows, to head the panel whose finding became the headline.
_PANEL_HEADINGS = {
    "claims": "Every claim, by victim group",
    "claimed_vs_disputed": "Each side's latest figure, per incident",
    "gap": "The accused side against the independent figure",
    "revisions": "Each claimant's figure over time",
    "timeline": "Incidents over time, by the side held responsible",
}


def panels(charts: list[tuple[str, dict[str, Any]]], *, size: str = "web",
           ncols: int | None = None, title: str | None = None, subtitle: str | None = None,
           source: str | None = None, root: Path | None = None) -> Figure:
    """Draw several charts side by side under one headline, legend and source line.

    Each panel keeps a small heading (its own finding) and its notes; the figure gets one
    headline (default: the first panel's finding), one subtitle, one legend of every side
    shown and one source line crediting every panel's outlets. Its ``alt_text`` leads with
    the headline and then describes each panel in turn.

    Parameters
    ----------
    charts : list of (str, dict)
        ``(kind, arguments)`` per panel, ``kind`` one of "claims", "claimed_vs_disputed",
        "gap", "revisions", "timeline" and the arguments those functions take (``ax``,
        ``size`` and ``root`` are set here).
    size : {"web", "square", "column", "two-column"}
        The figure size.
    ncols : int, optional
        Panels per row (default: all in one row; one per row in a print column).
    title, subtitle, source : str, optional
        The figure's headline, subtitle and source line.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For no charts, an unknown kind, or the errors of the chart functions.
    """
    import matplotlib.pyplot as plt

    if not charts:
        raise ValueError("panels needs at least one chart")
    for kind, _ in charts:
        if kind not in _KINDS:
            raise ValueError(f"unknown chart kind {kind!r}; choose one of {', '.join(_KINDS)}")
    extra = (0.0, 0.0)
    for _ in range(3):  # once more if the legend or the source line needs more room
        fig, registry, titles, over = _draw(charts, size, ncols, title, subtitle, source,
                                            root, extra)
        if over[0] <= 0.5 and over[1] <= 0.5:
            break
        extra = (extra[0] + max(over[0], 0.0), extra[1] + max(over[1], 0.0))
        plt.close(fig)
    point = (title or titles[0]).rstrip(".") + "."
    fig.alt_text = point + "\n" + "\n\n".join(
        f"Panel {i + 1}: {alt}" for i, alt in enumerate(registry["alts"]))
    return fig


def _draw(charts: list, size: str, ncols: int | None, title: str | None,
          subtitle: str | None, source: str | None, root: Path | None,
          extra: tuple[float, float]) -> tuple:
    """One attempt: the panels in their cells, then the figure's frame around them.

    Returns the figure, the panels' registry, their headings and how many pixels the
    figure's header and footer overran the room kept for them.
    """
    from matplotlib.transforms import Bbox

    from incidents import plot

    fig = figure(size)
    registry: dict[str, Any] = {"frames": {}, "alts": []}
    fig._incidents_panels = registry
    n = len(charts)
    # a print column is too narrow for two charts abreast: stack them
    default = 1 if fig.get_size_inches()[0] < 6 else n
    ncols = max(1, min(ncols or default, n))
    nrows = -(-n // ncols)
    w, h = fig.get_size_inches()
    t = _type_for(w)
    pad = t.pad * fig.dpi
    line = _px(fig, t.title) * 1.25
    # room kept for the figure's own headline, subtitle and legend (top) and source (bottom)
    top = (pad + line * 2 + (_px(fig, t.subtitle) * 1.3 * 2 if subtitle else 0)
           + _px(fig, t.body) * 1.5 * 2 + extra[0])
    bottom = pad + _px(fig, t.small) * 1.3 * 2 + extra[1]
    inner = Bbox.from_extents(pad, bottom, w * fig.dpi - pad, h * fig.dpi - top)
    gutter = _px(fig, t.body) * 2
    cell_w = (inner.width - gutter * (ncols - 1)) / ncols
    cell_h = (inner.height - gutter * (nrows - 1)) / nrows
    axes = []
    for i in range(n):
        r, c = divmod(i, ncols)
        x0 = inner.x0 + c * (cell_w + gutter)
        y1 = inner.y1 - r * (cell_h + gutter)
        box = Bbox.from_extents(x0, y1 - cell_h, x0 + cell_w, y1)
        axes.append(fig.add_axes(fig.transFigure.inverted().transform_bbox(box)))
    with _style():
        for ax, (kind, args) in zip(axes, charts, strict=True):
            getattr(plot, kind)(**{**args, "ax": ax, "root": root})
        titles = [heading for _, _, heading, _ in registry["frames"].values()]
        if title is None:
            # the first panel's finding becomes the headline: the panel itself is then
            # headed by what it shows, so the finding is not printed twice
            artist = next(iter(registry["frames"].values()))[3]
            artist.set_text(_PANEL_HEADINGS[charts[0][0]])
        free = _figure_frame(fig, registry, title or titles[0], subtitle or "", source)
    del fig._incidents_panels
    return fig, registry, titles, (inner.y1 + gutter * 0.5 - free.y1, free.y0 - inner.y0)


def _figure_frame(fig: Figure, registry: dict, title: str, subtitle: str,
                  source: str | None):
    """The one headline, subtitle, legend and source line; returns the room left between."""
    handles: list = []
    seen = set()
    sources: list[str] = []
    for frame_handles, frame_source, _, _ in registry["frames"].values():
        for handle, label in frame_handles:
            if label not in seen:
                seen.add(label)
                handles.append((handle, label))
        if frame_source and frame_source not in sources:
            sources.append(frame_source)
    line = source if source is not None else _merge_sources(sources)
    from matplotlib.transforms import Bbox

    host = fig.add_axes((0, 0, 1, 1))  # anchors the frame only; removed once it is placed
    host.set_axis_off()
    w, h = fig.get_size_inches()
    pad = _type_for(w).pad * fig.dpi
    box = Bbox.from_extents(pad, pad, w * fig.dpi - pad, h * fig.dpi - pad)
    frame = _Frame(host, title, subtitle, [], line, handles, box=box)
    free = frame.place()
    for name, text in frame.texts.items():
        text.set_gid(f"figure-{name}")
    if frame.legend is not None:
        frame.legend.set_gid("figure-legend")
    host.remove()
    return free


def _merge_sources(lines: list[str]) -> str:
    """One source line from the panels' lines: their outlets once each, then the release."""
    outlets: list[str] = []
    tail = ""
    for line in lines:
        body = line.split(": ", 1)[1] if ": " in line else line
        body, _, release = body.rpartition(", via ")
        tail = release or tail
        body = re.sub(r" and \d+ more$", "", body)
        for name in body.split(", "):
            if name and name not in outlets and " more" not in name:
                outlets.append(name)
    if not outlets:
        return lines[0] if lines else ""
    shown = outlets[:10]
    more = f" and {len(outlets) - len(shown)} more" if len(outlets) > len(shown) else ""
    return f"Sources: {', '.join(shown)}{more}" + (f", via {tail}" if tail else "")
