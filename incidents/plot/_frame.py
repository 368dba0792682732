"""Figures, text measurement and the newsroom frame: headline, subtitle, legend, notes, source."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from incidents.plot._data import _side_label
from incidents.plot._style import (
    _TYPE,
    AXIS,
    GRID,
    INK,
    INK_SOFT,
    SIDE_COLORS,
    SIZES,
    STYLE,
    UNKNOWN_SIDE,
    _Type,
)

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from logging import LogRecord

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox


def figure(size: str = "web") -> Figure:
    """Create an empty figure at one of the newsroom sizes.

    Parameters
    ----------
    size : {"web", "square", "column", "two-column"}
        A key of :data:`SIZES`.

    Returns
    -------
    matplotlib.figure.Figure
        A figure at ``rcParams["figure.dpi"]`` with no layout engine: the chart functions
        place every element themselves, from measured text extents.
    """
    import matplotlib.pyplot as plt

    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    with _style():
        # at the dpi it will be saved at (rcParams["figure.dpi"], 100 unless set), the text
        # measured for the layout is reused when the file is written
        return plt.figure(figsize=SIZES[size], dpi=plt.rcParams["figure.dpi"], layout="none")


def save(fig: Figure, path: str | Path, *, dpi: int | None = None) -> Path:
    """Save a chart with text kept as text and no time stamps in the file.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : str or pathlib.Path
        Where to write; the suffix chooses the format.
    dpi : int, optional
        Resolution of raster formats (default: the figure's).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from incidents.safeio import atomic_write

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    # reproducible files: the same data gives the same bytes, so diffs show real changes
    atomic_write(path, save_bytes(fig, fmt, dpi=dpi))
    return path


def save_bytes(fig: Figure, fmt: str = "png", *, dpi: int | None = None) -> bytes:
    """Render a chart to bytes (for :func:`incidents.safeio.atomic_write`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    fmt : {"png", "svg", "pdf"}
        The format.
    dpi : int, optional
        Resolution of raster formats (default: the figure's).

    Returns
    -------
    bytes
        The file's contents; the same data give the same bytes (no time stamps).
    """
    import io

    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
                "png": {"Software": None}}
    buffer = io.BytesIO()
    # zlib level 6 (PIL's default) spends a third of a chart's time for a few % of bytes;
    # level 1 keeps most of the saving
    extra = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}
    with _style():
        fig.savefig(buffer, format=fmt, dpi=dpi or fig.dpi, metadata=metadata.get(fmt),
                    facecolor="white", **extra)
    return buffer.getvalue()


#: Fonts that draw what the house font lacks (CJK in a vague term or a publisher's name,
#: Arabic), used in this order where installed: matplotlib takes each glyph from the first
#: font of the family list that has it.
FALLBACK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Source Han Sans JP",
                  "WenQuanYi Zen Hei", "Droid Sans Fallback", "Hiragino Sans", "PingFang SC",
                  "Microsoft YaHei", "Noto Sans Arabic")


@lru_cache(maxsize=1)
def fallback_fonts() -> tuple[str, ...]:
    """The fonts of :data:`FALLBACK_FONTS` that matplotlib finds on this machine."""
    import logging

    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = tuple(name for name in FALLBACK_FONTS if name in installed)
    logging.getLogger(font_manager.__name__).addFilter(_OneWeightFallback(found))
    return found


class _OneWeightFallback:
    """Drop matplotlib's warning that a fallback font lacks the weight asked for.

    WenQuanYi Zen Hei, for one, comes in a single weight (500): matplotlib draws the few
    glyphs the house font lacks with it, as meant, and would say so on every chart.
    """

    def __init__(self, fonts: tuple[str, ...]) -> None:
        self.fonts = fonts

    def filter(self, record: LogRecord) -> bool:
        args = record.args
        return not (str(record.msg).startswith("findfont: Failed to find font weight")
                    and isinstance(args, tuple) and len(args) > 1 and args[1] in self.fonts)


def _style():
    import matplotlib

    family = [*matplotlib.rcParams["font.family"], *fallback_fonts()]
    return matplotlib.rc_context({**STYLE, "font.family": family})


def _renderer(fig: Figure):
    canvas = fig.canvas
    if hasattr(canvas, "get_renderer"):
        return canvas.get_renderer()
    return fig._get_renderer()  # backends without get_renderer (e.g. macosx)


def _prop(size: float, weight: str = "normal", style: str = "normal"):
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=size, weight=weight, style=style)


#: Advance widths of single characters, in pixels at 72 dpi, per font file, size, weight and
#: style. Shared by every chart of a process (and inherited by gallery workers): laying out a
#: chart measures thousands of candidate lines, and summing cached advances costs nothing
#: next to shaping each candidate anew.
_ADVANCES: dict[tuple, dict[str, float]] = {}


def _advances(prop) -> tuple[dict[str, float], Any]:
    from matplotlib.font_manager import findfont, get_font

    key = (tuple(prop.get_family()), prop.get_size_in_points(), str(prop.get_weight()),
           prop.get_style())
    table = _ADVANCES.get(key)
    if table is None:
        table = _ADVANCES[key] = {}
    return table, lambda: get_font(findfont(prop))


def _no_hinting() -> int:
    from matplotlib import ft2font

    flags = getattr(ft2font, "LoadFlags", None)  # matplotlib >= 3.10
    return flags.NO_HINTING if flags is not None else ft2font.LOAD_NO_HINTING


class _Measure:
    """Text widths in display pixels at the figure's dpi, from cached glyph advances."""

    def __init__(self, fig: Figure):
        self.renderer = _renderer(fig)
        self.scale = fig.dpi / 72

    def width(self, text: str, prop) -> float:
        if not text:
            return 0.0
        table, get = _advances(prop)
        total = 0.0
        for char in text:
            advance = table.get(char)
            if advance is None:
                # matplotlib shares one font object per file: set the size on every use
                font = get()
                font.set_size(prop.get_size_in_points(), 72)
                if not font.get_char_index(ord(char)):
                    # a character the house font lacks (CJK in a vague term): a fallback
                    # font draws it full width, or matplotlib a box: one em either way
                    advance = table[char] = prop.get_size_in_points()
                else:
                    glyph = font.load_char(ord(char), flags=_no_hinting())
                    advance = table[char] = glyph.linearHoriAdvance / 65536
            total += advance
        # slack for kerning pairs and renderers that hint glyphs (a few % wider at some dpi)
        return total * self.scale * 1.03

    def shorten(self, text: str, width: float, prop) -> str:
        """Cut ``text`` to fit ``width``, at a word boundary where one is near, with '…'."""
        if self.width(text, prop) <= width:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + "…", prop) <= width:
                lo = mid
            else:
                hi = mid - 1
        cut = text[:lo]
        space = cut.rfind(" ")
        if space > lo * 0.6:
            cut = cut[:space]
        return cut.rstrip(" ,;:–—-") + "…" if cut.strip() else "…"

    def wrap(self, text: str, width: float, prop, max_lines: int | None = None) -> list[str]:
        """Greedy word wrap to ``width``; past ``max_lines`` the last line ends in '…'."""
        lines: list[str] = []
        for paragraph in str(text).split("\n"):
            current = ""
            for word in (w for w in paragraph.split(" ") if w):  # keeps no-break spaces
                trial = f"{current} {word}" if current else word
                if current and self.width(trial, prop) > width:
                    lines.append(current)
                    current = word
                else:
                    current = trial
            lines.append(current)
        lines = [self.shorten(line, width, prop) for line in lines]
        if max_lines is not None and len(lines) > max_lines:
            rest = " ".join(lines[max_lines - 1:])
            lines = [*lines[: max_lines - 1], self.shorten(rest + " …", width, prop)]
        return lines

    def fit_label(self, head: str, mid: str, end: str, width: float, prop,
                  max_lines: int) -> str:
        """Fit 'head — mid, end' in ``max_lines``; ``end`` (a date) is never cut.

        One line if it fits; else the head on its own line(s) and 'mid, end' below; with a
        single line, head and mid are shortened side by side. A reader checking a claim
        needs who said it, where and when, so each part keeps some of its words.
        """
        sep = "\u00a0— " if head and mid else ""  # the dash stays with the claimant
        full = f"{head}{sep}{mid}{end}"
        if self.width(full, prop) <= width or max_lines < 1:
            return full
        if max_lines >= 2 and head:
            head_lines = self.wrap(f"{head}{sep}".strip(), width, prop, max_lines - 1)
            tail_line = self._squeeze(mid, end, width, prop)
            if head_lines[-1].endswith("…") and sep:
                head_lines[-1] = self.shorten(head_lines[-1][:-1].rstrip(" —\u00a0") + "…\u00a0—",
                                              width, prop)
            return "\n".join([*head_lines, tail_line])
        if not head:
            return self._squeeze(mid, end, width, prop)
        room = width - self.width(f"{sep}{end}", prop)
        head_w, mid_w = self.width(head, prop), self.width(mid, prop)
        if head_w + mid_w <= room:  # pragma: no cover - caught by the first test
            return full
        # share the room: neither part takes more than its natural width
        head_room = max(room * 0.5, room - mid_w)
        head_cut = self.shorten(head, head_room, prop)
        mid_cut = self.shorten(mid, room - self.width(head_cut, prop), prop)
        return f"{head_cut}{sep}{mid_cut}{end}" if mid_cut != "…" else f"{head_cut}{end}"

    def _squeeze(self, mid: str, end: str, width: float, prop) -> str:
        if not mid:
            return end.strip(" —,")
        return self.shorten(mid, width - self.width(end, prop), prop) + end


def _type_for(width_in: float) -> _Type:
    if width_in >= 10:
        return _TYPE["web"]
    if width_in >= 6:
        return _TYPE["square"]
    return _TYPE["column"]


def _px(fig: Figure, points: float) -> float:
    return points * fig.dpi / 72


def _frame_box(ax: Axes) -> tuple[Bbox, _Type]:
    """The area the chart may use, in display pixels, and the type sizes for it.

    A figure holding only this Axes is used whole (less a margin); an Axes that shares its
    figure keeps to its own cell.
    """
    from matplotlib.transforms import Bbox

    fig = ax.figure
    engine = fig.get_layout_engine()
    if len(fig.axes) > 1 and engine is not None and hasattr(engine, "execute"):
        # settle the cell once, then stop the engine from moving the framed Axes later
        engine.execute(fig)
        fig.set_layout_engine("none")
    elif engine is not None:
        fig.set_layout_engine("none")
    if len(fig.axes) == 1:
        w, h = fig.get_size_inches()
        t = _type_for(w)
        pad = t.pad * fig.dpi
        return Bbox.from_extents(pad, pad, w * fig.dpi - pad, h * fig.dpi - pad), t
    box = fig.transFigure.transform_bbox(ax.get_position())
    return box, _type_for(box.width / fig.dpi)


class _Frame:
    """Headline, subtitle, legend, notes and source line around one Axes.

    All of them are figure texts placed from measured extents: the headline and subtitle
    wrap to the frame width, the legend takes as many columns as fit, and what is left in
    the middle is the region the Axes (with its labels) must fit in.
    """

    def __init__(self, ax: Axes, title: str, subtitle: str, notes: list[str],
                 source: str, handles: list[tuple[Any, str]], box: Bbox | None = None):
        self.ax, self.fig = ax, ax.figure
        if box is None:
            self.box, self.t = _frame_box(ax)
        else:  # a given region of the figure (plot.panels: the whole figure)
            self.box, self.t = box, _type_for(ax.figure.get_size_inches()[0])
        self.measure = _Measure(self.fig)
        self.raw = {"title": title, "subtitle": subtitle, "notes": "  ".join(notes)}
        self.raw["source"] = source
        self.handles = handles
        # inside plot.panels(): the panel keeps a small heading and its notes; the headline,
        # subtitle, legend and source line are the figure's, made once from every panel
        self.panel = getattr(self.fig, "_incidents_panels", None) if box is None else None
        t = self.t
        fig = self.fig
        common = {"ha": "left", "color": INK_SOFT, "parse_math": False}
        self.texts = {
            "title": fig.text(0, 0, "", va="top",
                              fontsize=t.body if self.panel is not None else t.title,
                              fontweight="bold", **{**common, "color": INK}),
            "subtitle": fig.text(0, 0, "", va="top", fontsize=t.subtitle, **common),
            "notes": fig.text(0, 0, "", va="bottom", fontsize=t.small, **common),
            "source": fig.text(0, 0, "", va="bottom", fontsize=t.small, **common),
        }
        for name, text in self.texts.items():
            text.set_gid(name)
        self.legend = None

    def set(self, **raw: str) -> None:
        self.raw.update(raw)

    def place(self) -> Bbox:
        """Lay out the frame; return the region left for the Axes, in display pixels."""
        from matplotlib.transforms import Bbox

        fig, box, r = self.fig, self.box, self.measure.renderer
        if self.panel is not None:
            self.panel["frames"][id(self.ax)] = (list(self.handles), self.raw["source"],
                                                 self.raw["title"], self.texts["title"])
            self.handles = []
            self.raw.update(subtitle="", source="")
        gap = _px(fig, self.t.body) * 0.7
        to_fig = fig.transFigure.inverted()
        y = box.y1
        for name in ("title", "subtitle"):
            y = self._put(name, box.x0, y, to_fig, r) - gap * (0.35 if name == "title" else 0.8)
        if self.handles:
            y = self._put_legend(box, y, to_fig, r) - gap * 0.6
        bottom = box.y0
        for name in ("source", "notes"):
            bottom = self._put(name, box.x0, bottom, to_fig, r, up=True) + gap * 0.3
        return Bbox.from_extents(box.x0, bottom + gap * 0.7, box.x1, y - gap * 0.3)

    def _put(self, name: str, x: float, y: float, to_fig, r, up: bool = False) -> float:
        text, raw = self.texts[name], self.raw[name]
        if not raw:
            text.set_text("")
            return y
        text.set_text("\n".join(self.measure.wrap(raw, self.box.width,
                                                  text.get_fontproperties())))
        text.set_position(to_fig.transform((x, y)))
        height = text.get_window_extent(r).height
        return y + height if up else y - height

    def _put_legend(self, box: Bbox, y: float, to_fig, r) -> float:
        anchor = to_fig.transform((box.x0, y))
        for ncols in range(len(self.handles), 0, -1):
            if self.legend is not None:
                self.legend.remove()
            handles, labels = _row_major(self.handles, ncols)
            self.legend = self.fig.legend(
                handles, labels, loc="upper left", bbox_to_anchor=tuple(anchor),
                bbox_transform=self.fig.transFigure, ncols=ncols, frameon=False,
                borderaxespad=0, borderpad=0, handlelength=1.1, handleheight=0.9,
                handletextpad=0.45, columnspacing=1.3, labelspacing=0.35,
                prop=_prop(self.t.body), labelcolor=INK,
            )
            extent = self.legend.get_window_extent(r)
            if extent.width <= box.width or ncols == 1:
                break
        self.legend.set_gid("legend")
        return y - extent.height


def _row_major(items: list[tuple[Any, str]], ncols: int) -> tuple[list, list]:
    """Reorder legend entries so a legend, which fills column by column, reads by rows."""
    n = len(items)
    nrows = -(-n // ncols)
    order = [r * ncols + c for c in range(ncols) for r in range(nrows) if r * ncols + c < n]
    return [items[i][0] for i in order], [items[i][1] for i in order]


def _side_handles(sides: list[str]) -> list[tuple[Any, str]]:
    from matplotlib.patches import Patch

    return [(Patch(facecolor=_color(s), edgecolor="none" if s in SIDE_COLORS and s != "unknown"
                   else INK_SOFT,
                   linewidth=0.5), _side_label(s)) for s in sides]


def _color(side: Any) -> str:
    return SIDE_COLORS.get(side, UNKNOWN_SIDE) if isinstance(side, str) else UNKNOWN_SIDE


def _text_color(side: Any) -> tuple[float, float, float]:
    """The side's colour darkened until text in it reads on white (contrast 4.5:1)."""
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(_color(side)))
    for _ in range(20):
        linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        luminance = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
        if 1.05 / (luminance + 0.05) >= 4.5:
            break
        rgb = rgb * 0.85
    return tuple(float(v) for v in rgb)


def _own_axes(ax: Axes | None, size: str) -> Axes:
    if ax is not None:
        return ax
    fig = figure(size)
    return fig.add_axes((0.1, 0.1, 0.8, 0.8))


def _style_axes(ax: Axes, t: _Type) -> None:
    ax.set_facecolor("white")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(AXIS)
    ax.spines["bottom"].set_linewidth(0.8)
    ax.tick_params(axis="x", labelsize=t.small, labelcolor=INK_SOFT, color=AXIS, length=3,
                   width=0.8, direction="out", pad=2)
    ax.tick_params(axis="y", left=False, labelleft=False, right=False, labelright=False)
    ax.set_yticks([])
    ax.grid(axis="x", color=GRID, linewidth=0.8, linestyle="-")
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)


def _override(spec: Any, title: str | None, subtitle: str | None, source: str | None) -> Any:
    """The chart's spec with the caller's headline, subtitle and source line, where given."""
    import dataclasses

    changes = {k: v for k, v in (("title", title), ("subtitle", subtitle), ("source", source))
               if v is not None}
    return dataclasses.replace(spec, **changes) if changes else spec


def _set_alt(fig: Figure, text: str) -> None:
    """Give ``fig`` the alt text of a chart just drawn on it.

    A figure holding several charts gets them all, each after the one before, so a
    two-panel figure describes both panels (in :func:`incidents.plot.panels` the figure's
    own point comes first).
    """
    panels = getattr(fig, "_incidents_panels", None)
    if panels is not None:
        panels["alts"].append(text)
        return
    parts = getattr(fig, "alt_text_parts", None)
    if len(fig.axes) > 1 and parts is not None:
        parts.append(text)
    else:
        parts = [text]
    fig.alt_text_parts = parts
    fig.alt_text = "\n\n".join(parts)
