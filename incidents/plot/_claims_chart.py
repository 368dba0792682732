"""claims(): one incident, one row per claim."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents.plot._alt import _claims_alt
from incidents.plot._axis import _FigureAxis, _wants_log
from incidents.plot._data import (
    _claims_spec,
    _ClaimsSpec,
    _date_text,
    _side_order,
    _source_line,
    _sources_of,
)
from incidents.plot._frame import (
    _color,
    _Frame,
    _own_axes,
    _prop,
    _px,
    _side_handles,
    _style,
    _style_axes,
    _text_color,
)
from incidents.plot._marks import (
    _bar_width,
    _empty_message,
    _open_bar,
    _point,
    _range_bar,
    _upto_bar,
)
from incidents.plot._rows import _Rows
from incidents.plot._style import GRID, INK, MEASURE_WORDS

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes


def claims(incident_id: str, *, measure: str | None = None, log: bool | None = None,
           ax: Axes | None = None, root: Path | None = None, size: str = "web") -> Axes:
    """Chart every claim about one incident, one row per claim, coloured by side.

    A single figure is a dot (hollow for 'about'), a range a bar, an open-ended figure
    ('at least', 'more than', 'dozens') a bar from its floor running off to the right
    with an arrow, and 'up to' a thin line from zero to a capped ceiling. Claims with no
    figure (denials, disputes, 'casualties' without a number) are listed as text rows
    with their quote. The same claim carried by several outlets is one row.

    Parameters
    ----------
    incident_id : str
        The incident.
    measure : str, optional
        Which measure to plot ('killed', 'injured' ...); default: the one most claims give
        a figure for.
    log : bool, optional
        Force a logarithmic (symlog) axis on or off; default: on when the figures span more
        than two orders of magnitude.
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
        For an unknown incident or measure.
    """
    spec = _claims_spec(incident_id, measure, root)
    with _style():
        ax = _own_axes(ax, size)
        return _draw_claims(ax, spec, log)


def _claims_notes(spec: _ClaimsSpec, rows: pd.DataFrame, hidden: int, log: bool) -> list[str]:
    kinds = set(rows.loc[~rows["text_row"], "kind"])
    hollow = bool((rows["qualifier"] == "about").any())
    keys = []
    if "point" in kinds:
        keys.append("Dot: one figure" + (" (hollow: 'about')" if hollow else "") + ".")
    if "range" in kinds:
        keys.append("Bar: a range.")
    if "open" in kinds:
        keys.append("Arrow: a floor with no ceiling ('at least', 'more than', 'dozens').")
    if "upto" in kinds:
        keys.append("Thin line from zero: 'up to'.")
    if log:
        keys.append("Logarithmic scale.")
    if (rows["reports"] > 1).any():
        keys.append("(+n): further reports of the same claim.")
    if hidden:
        keys.append(f"{hidden} more claim{'s' if hidden != 1 else ''} not shown for lack of "
                    "room.")
    if spec.other_measures:
        other = ", ".join(f"{n} on {MEASURE_WORDS.get(m, m).split(' (')[0]}"
                          for m, n in spec.other_measures.items())
        keys.append(f"Not shown: claims of other figures ({other}).")
    return keys


def _trim_claim_rows(rows: pd.DataFrame, keep: int) -> pd.DataFrame:
    """Drop rows until ``keep`` remain, least telling first, order kept.

    Text rows that only say 'no figure' go first; then the latest figures of whichever side
    has the most rows (every side keeps at least one); denials and disputes go last.
    """
    rows = rows.copy()
    plain = rows.index[rows["text_row"] & ~rows["stance"].isin(["denies", "disputes"])]
    drop = list(plain[::-1][: max(0, len(rows) - keep)])
    rows = rows.drop(index=drop)
    while len(rows) > keep:
        figures = rows[~rows["text_row"]]
        counts = figures["side"].fillna("unknown").value_counts()
        if figures.empty or counts.max() <= 1:
            rows = rows.iloc[:keep]
            break
        side = counts.index[0]
        rows = rows.drop(index=figures.index[figures["side"].fillna("unknown") == side][-1])
    return rows


def _draw_claims(ax: Axes, spec: _ClaimsSpec, log: bool | None) -> Axes:
    rows = spec.rows
    logged = _wants_log([v for v in [*rows["lo"], *rows["hi"]] if np.isfinite(v)], log)
    frame = _Frame(ax, spec.title, spec.subtitle, _claims_notes(spec, rows, 0, logged),
                   len(spec.sources), _side_handles(_side_order(rows["side"])))
    region = frame.place()
    # a print column has no room for a label column: labels go on their own line
    stacked = frame.box.width / ax.figure.dpi < 5
    unit = [2.0] * len(rows) if stacked else None
    size, keep = _Rows.sized(ax, frame, len(rows), region, heights=unit)
    for _ in range(3):  # the note saying rows were left out may itself take a line
        if len(rows) <= keep:
            break
        rows = _trim_claim_rows(rows, keep)
        frame.handles = _side_handles(_side_order(rows["side"]))
        frame.set(notes="  ".join(_claims_notes(spec, rows, len(spec.rows) - len(rows),
                                                logged)),
                  source=_source_line(len(_sources_of(rows))))
        region = frame.place()
        keep = _Rows(ax, frame, 1).capacity(region, size, heights=unit)
    grid = _Rows(ax, frame, len(rows), size, stacked=stacked)
    _style_axes(ax, frame.t)
    n_fig = int((~rows["text_row"]).sum())
    xaxis = None
    if n_fig:
        xaxis = _FigureAxis(ax, [*rows["lo"], *rows["hi"]], bool((rows["kind"] == "open").any()),
                            log, MEASURE_WORDS.get(spec.measure, "").capitalize(), frame.t,
                            frame.measure)
    else:
        _empty_message(ax, "", frame.t)
    for i, row in enumerate(rows.itertuples()):
        more = f" (+{row.reports - 1})" if row.reports > 1 else ""
        same = str(row.claimant_name) == str(row.publisher)
        said = f": {row.value}" if stacked else ""
        grid.add_label(i, "" if same else str(row.claimant_name), str(row.publisher),
                       f", {_date_text(row.when)}{more}{said}")
        grid.add_value(i, row.value, color=_text_color(row.side) if row.text_row else INK)
    grid.fit(region, xaxis)
    if n_fig and n_fig < len(rows):
        ax.axhline(sum(grid.heights[:n_fig]), color=GRID, lw=0.8, zorder=1)
    xmax = xaxis.xmax if xaxis else 1.0
    lw = _bar_width(grid.row_px(), ax.figure, top=frame.t.body * 0.75)
    for i, row in enumerate(rows.itertuples()):
        color, y = _color(row.side), grid.y(i)
        if row.text_row:
            _quote_row(ax, grid, y, row)
        elif row.kind == "open":
            _open_bar(ax, row.lo, y, xmax, color, lw)
        elif row.kind == "upto":
            _upto_bar(ax, row.hi, y, color, lw)
        elif row.kind == "range":
            _range_bar(ax, row.lo, row.hi, y, color, lw)
            if not math.isnan(row.best):
                _point(ax, row.best, y, color, lw * 1.7)
        else:
            _point(ax, row.lo, y, color, lw * 1.9, hollow=row.qualifier == "about")
    ax.set_xlim(0, xmax)
    ax.figure.alt_text = _claims_alt(spec, rows)
    return ax


def _quote_row(ax: Axes, grid: _Rows, y: float, row: Any) -> None:
    """The claimant's own words, cut to the plot width, in the side's (readable) colour."""
    quote = str(row.quote).strip().strip("“”\"' ")
    prop = _prop(grid.t.small, style="italic")
    width = grid.plot_width_px() - _px(ax.figure, grid.t.small)
    text = grid.m.shorten(f"“{quote}”", width, prop)
    if not text.endswith("”"):
        text = text + "”"
    artist = ax.annotate(text, xy=(0, y), xycoords=("axes fraction", "data"), xytext=(4, 0),
                         textcoords="offset points", ha="left", va="center",
                         fontproperties=prop, color=_text_color(row.side),
                         annotation_clip=False, parse_math=False)
    artist.set_gid("quote")
    if artist.get_window_extent(grid.m.renderer).width > width:  # the closing mark pushed it
        artist.set_text(grid.m.shorten(text[:-2], width - grid.m.width("”", prop), prop) + "”")
