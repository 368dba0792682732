"""claims(): one incident, one row per claim."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents.marks import mark_of
from incidents.plot._alt import _claims_alt
from incidents.plot._axis import _FigureAxis, _wants_log
from incidents.plot._data import (
    _claims_spec,
    _ClaimsSpec,
    _date_text,
    _side_order,
)
from incidents.plot._frame import (
    _color,
    _Frame,
    _own_axes,
    _prop,
    _px,
    _set_alt,
    _side_handles,
    _style,
    _style_axes,
    _text_color,
)
from incidents.plot._marks import _bar_width, _draw_mark, _empty_message, _settle_labels
from incidents.plot._rows import _Rows
from incidents.plot._style import GRID, INK, MEASURE_WORDS

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes


def claims(incident_id: str, *, measure: str | None = None, claimants: Any = None,
           latest_only: bool = False, max_rows: int | None = None, log: bool | None = None,
           ax: Axes | None = None, root: Path | None = None, size: str = "web",
           title: str | None = None, subtitle: str | None = None,
           source: str | None = None) -> Axes:
    """Chart every claim about one incident, grouped by victim group, coloured by side.

    Marks follow :mod:`incidents.marks`: a figure is a dot, a range a bar between its
    stated bounds, a floor ('at least', 'more than', 'dozens') a dot labelled "N+" with a
    short chevron, a ceiling ('up to') a hollow dot labelled "≤N". Claims without a figure,
    denials and disputes are text rows with their quote. Each victim group (civilians,
    children, everyone ...) has its own header, so no two groups are read as one count. The
    same claim carried by several outlets is one row.

    When rows must be left out for lack of room (or ``max_rows``), each claimant's latest
    figure in each group is kept first, and the note says how many rows, and whose, are
    left out.

    Parameters
    ----------
    incident_id : str
        The incident.
    measure : str, optional
        Which measure to plot ('killed', 'injured' ...); default: the one most claims give
        a figure for.
    claimants : str or list of str, optional
        Only claims by these actor_ids.
    latest_only : bool, default False
        Only each claimant's latest figure per victim group.
    max_rows : int, optional
        At most this many rows (headers not counted).
    log : bool, optional
        Force a logarithmic (symlog) axis on or off; default: on when the figures span more
        than two orders of magnitude.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``size``.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    size : {"web", "square", "column", "two-column"}
        Size of the new figure when ``ax`` is not given.
    title, subtitle, source : str, optional
        Replace the headline (default: a finding from the data), the subtitle or the source
        line (default: the original outlets); each is wrapped to fit.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its figure's ``alt_text`` describes what was drawn.

    Raises
    ------
    ValueError
        For an unknown incident, measure or claimant, or a bad ``max_rows``.
    """
    if max_rows is not None and (isinstance(max_rows, bool) or not isinstance(max_rows, int)
                                 or max_rows < 1):
        raise ValueError(f"max_rows must be a positive whole number, not {max_rows!r}")
    spec = _claims_spec(incident_id, measure, root, claimants=claimants,
                        latest_only=latest_only, title=title, subtitle=subtitle, source=source)
    with _style():
        own = ax is None
        ax = _own_axes(ax, size)
        return _draw_claims(ax, spec, log, max_rows, own)


_GROUP_TITLES = {
    "civilians": "Civilians", "children": "Children", "armed_forces": "Troops (state forces)",
    "armed_group": "Fighters (armed groups)", "combatants": "Combatants",
    "all": "Everyone (civilians and fighters)", "unknown": "Victims not stated",
    "materiel": "Objects",
}


def _claims_notes(spec: _ClaimsSpec, rows: pd.DataFrame, logged: bool) -> list[str]:
    figures = rows[~rows["text_row"]]
    kinds = set(figures["kind"])
    keys = []
    if "point" in kinds:
        keys.append("Dot: one figure (~: 'about').")
    if "range" in kinds:
        keys.append("Bar: a range, between its stated bounds.")
    if "floor" in kinds:
        keys.append("N+: a floor ('at least', 'more than', 'dozens'); the count may be higher.")
    if "ceiling" in kinds:
        keys.append("≤N (hollow dot): a ceiling ('up to').")
    if logged:
        keys.append("Logarithmic scale; 0 sits at the left edge.")
    if (rows["reports"] > 1).any():
        keys.append("(+n): further reports of the same claim.")
    hidden = spec.rows.loc[~spec.rows.index.isin(rows.index)]
    if len(hidden):
        keys.append(_left_out_words(hidden))
    if spec.left_out:
        keys.append(spec.left_out)
    if spec.other_measures:
        other = ", ".join(f"{n} on {MEASURE_WORDS.get(m, m).split(' (')[0]}"
                          for m, n in spec.other_measures.items())
        keys.append(f"Not shown: claims of other figures ({other}).")
    return keys


def _left_out_words(hidden: pd.DataFrame) -> str:
    """The note on rows left out: how many, and whose ('by SOHR (3), Airwars')."""
    n = len(hidden)
    names = hidden["claimant_name"].astype(str).value_counts()
    # the note must not eat the rows it explains: four names, then a count (the alt text
    # names everyone)
    shown = [f"{name} ({k})" if k > 1 else name for name, k in names.iloc[:4].items()]
    rest = len(names) - len(shown)
    who = ", ".join(shown) + (f" and {rest} other claimant{'s' if rest != 1 else ''}"
                              if rest else "")
    return f"{n} row{'s' if n != 1 else ''} left out for lack of room, by {who}."


def _keep_order(rows: pd.DataFrame) -> pd.Series:
    """Priority of each row when rows must go (lower is kept first).

    Each claimant's latest figure per victim group first, then denials and disputes, then
    earlier figures from the latest back, and claims that only say 'no figure' last.
    """
    contest = rows["stance"].isin(["denies", "disputes"])
    plain_text = rows["text_row"] & ~contest
    rank = rows["rank"].astype(float) * 2
    rank = rank.where(~(rows["text_row"] & contest), 1.0)
    return rank.where(~plain_text, 1000.0 + rows["rank"].astype(float))


def _trim_claim_rows(rows: pd.DataFrame, keep: int) -> pd.DataFrame:
    """The ``keep`` rows of highest priority (see :func:`_keep_order`), in their order."""
    if len(rows) <= keep:
        return rows
    order = _keep_order(rows).sort_values(kind="stable")
    return rows.loc[sorted(order.index[:keep], key=list(rows.index).index)]


def _layout_rows(rows: pd.DataFrame) -> list[dict]:
    """The drawn lines: a header per victim group (and one for text rows), then its rows."""
    lines: list[dict] = []
    group = object()
    for idx, row in rows.iterrows():
        head = "__text__" if row["text_row"] else row["group"]
        if head != group:
            group = head
            title = ("Without a number: denials, disputes, words" if head == "__text__"
                     else _GROUP_TITLES.get(head, str(head)))
            lines.append({"header": title, "row": None})
        lines.append({"header": None, "row": idx})
    return lines


def _headers_for(rows: pd.DataFrame) -> int:
    groups = rows.loc[~rows["text_row"], "group"].nunique()
    return int(groups) + int(rows["text_row"].any())


def _shrink_to_fit(ax: Axes, frame: _Frame, n_lines: int, unit: float) -> None:
    """Make a figure of few rows shorter, so a two-claim chart is not mostly white space.

    Rows get at most about two lines of body text each; the figure keeps at least 45 % of
    its nominal height.
    """
    from incidents.plot._frame import _frame_box

    fig = ax.figure
    region = frame.place()
    probe = _Rows(ax, frame, 1)
    need = probe.axis_px() + n_lines * unit * probe.line_px(frame.t.body) * 1.6
    spare = region.height - need
    if spare <= 0:
        return
    w, h = fig.get_size_inches()
    new_h = max(h - spare / fig.dpi, h * 0.45)
    fig.set_size_inches(w, new_h)
    frame.box, frame.t = _frame_box(ax)


def _draw_claims(ax: Axes, spec: _ClaimsSpec, log: bool | None, max_rows: int | None,
                 own: bool = False) -> Axes:
    rows = spec.rows
    # the scale is chosen once from every figure, so the note and the axis always agree
    logged = _wants_log([v for v in [*rows["lo"], *rows["hi"]] if np.isfinite(v)], log)
    if max_rows is not None:
        rows = _trim_claim_rows(rows, max_rows)
    frame = _Frame(ax, spec.title, spec.subtitle, _claims_notes(spec, rows, logged),
                   spec.source_line(rows), _side_handles(_side_order(rows["side"])))
    # a print column has no room for a label column: labels go on their own line
    stacked = frame.box.width / ax.figure.dpi < 5
    unit = 2.0 if stacked else 1.0
    if own:
        _shrink_to_fit(ax, frame, len(rows) + _headers_for(rows), unit)
    region = frame.place()

    def heights(r: pd.DataFrame) -> list[float]:
        return [unit] * (len(r) + _headers_for(r))

    size, keep = _Rows.sized(ax, frame, len(rows) + _headers_for(rows), region,
                             heights=heights(rows))
    for _ in range(4):  # the note saying rows were left out may itself take a line
        if len(rows) + _headers_for(rows) <= keep:
            break
        rows = _trim_claim_rows(rows, max(1, keep - _headers_for(rows)))
        frame.handles = _side_handles(_side_order(rows["side"]))
        frame.set(notes="  ".join(_claims_notes(spec, rows, logged)),
                  source=spec.source_line(rows))
        region = frame.place()
        keep = _Rows(ax, frame, 1).capacity(region, size, heights=[unit] * 400)
    lines = _layout_rows(rows)
    grid = _Rows(ax, frame, len(lines), size, stacked=stacked)
    _style_axes(ax, frame.t)
    figures = rows[~rows["text_row"]]
    xaxis = None
    if len(figures):
        xaxis = _FigureAxis(ax, [*figures["lo"], *figures["hi"]], True, logged,
                            MEASURE_WORDS.get(spec.measure, "").capitalize(), frame.t,
                            frame.measure)
    else:
        _empty_message(ax, "", frame.t)
    for i, line in enumerate(lines):
        if line["header"] is not None:
            grid.add_label(i, "", line["header"], "", fontweight="bold")
            continue
        row = rows.loc[line["row"]]
        more = f" (+{int(row['reports']) - 1})" if int(row["reports"]) > 1 else ""
        same = str(row["claimant_name"]) == str(row["outlet"])
        said = f": {row['value']}" if stacked else ""
        grid.add_label(i, "" if same else str(row["claimant_name"]), str(row["outlet"]),
                       f", {_date_text(row['when'])}{more}{said}")
        grid.add_value(i, row["value"], color=_text_color(row["side"]) if row["text_row"]
                       else INK)
    grid.fit(region, xaxis)
    lw = _bar_width(grid.row_px(), ax.figure, top=frame.t.body * 0.75)
    for i, line in enumerate(lines):
        y = grid.y(i)
        if line["header"] is not None:
            if i:
                rule = ax.axhline(y - grid.heights[i] / 2, color=GRID, lw=0.8, zorder=1)
                rule.set_gid("group-rule")
            continue
        row = rows.loc[line["row"]]
        if row["text_row"]:
            _quote_row(ax, grid, y, row)
            continue
        m = mark_of(row)
        _draw_mark(ax, m, y, _color(row["side"]), lw * 1.9, lw, frame.t.small)
    if xaxis is not None:
        ax.set_xlim(0, xaxis.xmax)
        _settle_labels(ax, xaxis, frame.measure.renderer)
    _set_alt(ax.figure, _claims_alt(spec, rows))
    return ax


def _quote_row(ax: Axes, grid: _Rows, y: float, row: Any) -> None:
    """The claimant's own words, cut to the plot width, in the side's (readable) colour."""
    quote = str(row["quote"]).strip().strip("“”\"' ")
    prop = _prop(grid.t.small, style="italic")
    width = grid.plot_width_px() - _px(ax.figure, grid.t.small)
    text = grid.m.shorten(f"“{quote}”", width, prop)
    if not text.endswith("”"):
        text = text + "”"
    artist = ax.annotate(text, xy=(0, y), xycoords=("axes fraction", "data"), xytext=(4, 0),
                         textcoords="offset points", ha="left", va="center",
                         fontproperties=prop, color=_text_color(row["side"]),
                         annotation_clip=False, parse_math=False)
    artist.set_gid("quote")
    if artist.get_window_extent(grid.m.renderer).width > width:  # the closing mark pushed it
        artist.set_text(grid.m.shorten(text[:-2], width - grid.m.width("”", prop), prop) + "”")
