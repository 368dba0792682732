"""revisions(): how each claimant's figure for one incident changed over time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from incidents.marks import CHEVRON_PT, Mark, mark_of
from incidents.plot._axis import _nice_ceiling
from incidents.plot._data import (
    _date_text,
    _incident,
    _incident_title,
    _outlet_map,
    _pick_measure,
    _rank_outlets,
    _side_label,
    _side_order,
    _source_line,
    _tables,
    _victim_order,
)
from incidents.plot._frame import (
    _color,
    _Frame,
    _override,
    _own_axes,
    _prop,
    _px,
    _set_alt,
    _side_handles,
    _style,
    _text_color,
)
from incidents.plot._marks import _chevron_marker, _point
from incidents.plot._rows import _fit_axes
from incidents.plot._style import _VICTIM_NOUNS, AXIS, GRID, INK_SOFT, MEASURE_WORDS

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    from matplotlib.axes import Axes


@dataclass
class _RevisionsSpec:
    incident_id: str
    measure: str | None
    victims: str | None
    claims: pd.DataFrame  # dated figures of the measure and group, by claimant and date
    undated: int  # figures of the group with no date, not drawn
    single: list  # claimants with a single dated figure, left out by default
    title: str
    subtitle: str
    source: str


def _revisions_spec(incident_id: str, *, measure: str | None = None,
                    victims: str | None = None, claimants: Any = None,
                    root: Path | None = None, title: str | None = None,
                    subtitle: str | None = None, source: str | None = None) -> _RevisionsSpec:
    t = _tables(root)
    inc = _incident(t, incident_id)
    mine = t.claims[(t.claims["incident_id"] == incident_id) & t.claims["kind"].ne("text")]
    if measure is not None and measure not in MEASURE_WORDS:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURE_WORDS)}")
    if victims is not None and victims not in _VICTIM_NOUNS:
        raise ValueError(f"unknown victims {victims!r}; choose one of {', '.join(_VICTIM_NOUNS)}")
    if claimants is not None:
        wanted = {claimants} if isinstance(claimants, str) else set(claimants)
        mine = mine[mine["claimant"].isin(wanted)]
    measure = measure or _pick_measure(mine)
    mine = mine[mine["measure"] == measure]
    victims = victims or (_victim_order(mine)[0] if len(mine) else None)
    mine = mine[mine["victims"] == victims]
    # within a day, a first statement comes before its revisions, and a revised toll rises
    dated = mine[mine["when"].notna()]
    dated = dated.assign(_rev=dated["stance"].eq("revises"), _val=dated["lo"]).sort_values(
        ["claimant", "when", "_rev", "_val", "claim_id"]).drop(columns=["_rev", "_val"])
    single: list[str] = []
    if claimants is None:
        # the chart is about change: by default the claimants who stated more than one
        # figure; those with one are named in the note (the claims chart lists them)
        counts = dated.groupby("claimant")["label"].transform("size")
        if (counts > 1).any():
            single = list(dict.fromkeys(dated.loc[counts == 1, "claimant_name"].astype(str)))
            dated = dated[counts > 1]
    noun = _VICTIM_NOUNS.get(victims or "", "") or "people"
    what = MEASURE_WORDS.get(measure or "", "figures").replace("people ", f"{noun} ")
    if len(dated):
        first, last = dated["when"].min(), dated["when"].max()
        changed = [c for c, g in dated.groupby("claimant") if g["label"].nunique() > 1]
        names = dated.drop_duplicates("claimant").set_index("claimant")["claimant_name"]
        if changed:
            top = max(changed, key=lambda c: (dated["claimant"] == c).sum())
            g = dated[dated["claimant"] == top]
            default = (f"{names[top]} revised its count of {what} from "
                       f"{g['label'].iloc[0]} to {g['label'].iloc[-1]}")
        else:
            default = f"No claimant changed its figure for {what}"
        sub = (f"{_incident_title(inc)}. Each claimant's figure for {what} on the date it was "
               f"claimed, {_date_text(first)} to {_date_text(last)}.")
    else:
        default = f"No dated figure for {what}"
        sub = f"{_incident_title(inc)}."
    return _RevisionsSpec(
        incident_id=incident_id, measure=measure, victims=victims, claims=dated,
        undated=int(mine["when"].isna().sum()), single=single,
        title=title if title is not None else default,
        subtitle=subtitle if subtitle is not None else sub,
        source=source if source is not None else _source_line(
            _rank_outlets(dated["source_id"], _outlet_map(t))))


def revisions(incident_id: str, *, measure: str | None = None, victims: str | None = None,
              claimants: Any = None, ax: Axes | None = None, root: Path | None = None,
              size: str = "web", title: str | None = None, subtitle: str | None = None,
              source: str | None = None) -> Axes:
    """Chart each claimant's figure for one incident over the date it was claimed.

    One step line per claimant (coloured by side, named at its last figure): a figure holds
    until the claimant states the next one, and each line ends at the claimant's last
    statement. Floors are dots with an upward chevron and an "N+" label; ceilings hollow
    dots labelled "≤N"; ranges a bar between their bounds. One measure and one victim group.

    Parameters
    ----------
    incident_id : str
        The incident.
    measure : str, optional
        What is counted; default: the measure most claims give a figure for.
    victims : str, optional
        The victim group; default: the one with most figures.
    claimants : str or list of str, optional
        Only these actor_ids.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure of ``size``.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    size : {"web", "square", "column", "two-column"}
        Size of the new figure when ``ax`` is not given.
    title, subtitle, source : str, optional
        Replace the headline (default: a finding), the subtitle or the source line.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its figure's ``alt_text`` describes what was drawn.

    Raises
    ------
    ValueError
        For an unknown incident, measure or victims.
    """
    spec = _revisions_spec(incident_id, measure=measure, victims=victims, claimants=claimants,
                           root=root)
    spec = _override(spec, title, subtitle, source)
    with _style():
        ax = _own_axes(ax, size)
        _draw_revisions(ax, spec)
    _set_alt(ax.figure, _revisions_alt(spec))
    return ax


def _notes(spec: _RevisionsSpec) -> list[str]:
    kinds = {mark_of(r).kind for r in spec.claims.itertuples()}
    notes = ["A figure holds until the claimant states the next."]
    if "floor" in kinds:
        notes.append("N+: a floor ('at least', 'more than', 'dozens'); the count may be "
                     "higher.")
    if "ceiling" in kinds:
        notes.append("≤N (hollow dot): a ceiling ('up to').")
    if "range" in kinds:
        notes.append("Bar: a range between its stated bounds.")
    if spec.undated:
        notes.append(f"{spec.undated} undated figure{'s' if spec.undated != 1 else ''} not "
                     "shown.")
    if spec.single:
        notes.append(f"Not shown, one figure each: {', '.join(spec.single)}.")
    return notes


def _draw_revisions(ax: Axes, spec: _RevisionsSpec) -> None:
    import matplotlib.dates as mdates

    c = spec.claims
    frame = _Frame(ax, spec.title, spec.subtitle, _notes(spec), spec.source,
                   _side_handles(_side_order(c["side"])))
    region = frame.place()
    t = frame.t
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS)
    ax.tick_params(labelsize=t.small, labelcolor=INK_SOFT, color=AXIS)
    ax.grid(axis="y", color=GRID, lw=0.8)
    ax.set_axisbelow(True)
    if c.empty:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0.5, 0.5, spec.title, transform=ax.transAxes, ha="center", va="center",
                fontsize=t.body, color=INK_SOFT, parse_math=False)
        _fit_axes(ax, region, frame.measure.renderer)
        return
    marks = [mark_of(r) for r in c.itertuples()]
    top = max(m.x1 for m in marks)
    ax.set_ylim(0, _nice_ceiling(max(top * 1.12, 4.0), False))
    first, last = c["when"].min(), c["when"].max()
    span = max((last - first).days, 1)
    pad = pd.Timedelta(days=max(1.0, span * 0.05))
    right_room = pd.Timedelta(days=max(2.0, span * 0.45))  # for the names at line ends
    ax.set_xlim(mdates.date2num(first - pad), mdates.date2num(last + right_room))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.xaxis.get_offset_text().set(fontsize=t.small, color=INK_SOFT)  # the year, as ticks
    what = MEASURE_WORDS.get(spec.measure or "", "").replace(
        "people ", f"{_VICTIM_NOUNS.get(spec.victims or '', '') or 'people'} ")
    ax.set_ylabel(what.capitalize(), fontsize=t.small, color=INK_SOFT)
    ax.set_xlabel("Date claimed", fontsize=t.small, color=INK_SOFT, loc="left")
    _fit_axes(ax, region, frame.measure.renderer)
    size = t.body * 0.75
    ends = []
    points: list[tuple[float, Mark]] = []
    for _, g in c.groupby("claimant", sort=False):
        color = _color(g["side"].iloc[0])
        xs = mdates.date2num(g["when"])
        gm = [mark_of(r) for r in g.itertuples()]
        ys = [m.value for m in gm]
        if len(g) > 1:
            (line,) = ax.plot(xs, ys, drawstyle="steps-post", color=color, lw=1.6, zorder=2)
            line.set_gid("revision-step")
        for x, m in zip(xs, gm, strict=True):
            _revision_mark(ax, m, float(x), color, size)
        points.extend((float(x), m) for x, m in zip(xs[:-1], gm[:-1], strict=True))
        ends.append((ys[-1], float(xs[-1]), f"{g['claimant_name'].iloc[0]} {gm[-1].label}",
                     g["side"].iloc[0]))
    placed = _end_labels(ax, ends, frame, t.small)
    _point_labels(ax, points, placed, frame, t.small)


def _point_labels(ax: Axes, points: list, placed: list, frame: _Frame, fontsize: float) -> None:
    """Label each earlier figure ("18+", "≤300") above its dot, unless it would collide."""
    renderer = frame.measure.renderer
    boxes = list(placed)
    for x, m in points:
        text = ax.annotate(m.label, xy=(x, m.x1), xytext=(0, CHEVRON_PT + 2),
                           textcoords="offset points", ha="center", va="bottom",
                           fontsize=fontsize * 0.95, color=INK_SOFT, annotation_clip=False,
                           parse_math=False)
        box = text.get_window_extent(renderer)
        if any(box.overlaps(b) for b in boxes):
            text.remove()
            continue
        text.set_gid("mark-label")
        boxes.append(box)


def _revision_mark(ax: Axes, m: Mark, x: float, color: str, size: float) -> None:
    if m.kind == "range":
        (bar,) = ax.plot([x, x], [m.x0, m.x1], color=color, lw=size * 0.5, zorder=3,
                         solid_capstyle="butt")
        bar.set_gid("range")
        return
    _point(ax, x, m.x0, color, size, hollow=m.kind == "ceiling",
           gid={"floor": "floor", "ceiling": "ceiling"}.get(m.kind, "point"))
    if m.kind == "floor":
        (chev,) = ax.plot([x], [m.x0], ls="none", marker=_chevron_marker(up=True),
                          ms=CHEVRON_PT * 2, mfc="none", mec=color, mew=1.3, zorder=3,
                          clip_on=False)
        chev.set_gid("floor-chevron")


def _end_labels(ax: Axes, ends: list, frame: _Frame, fontsize: float) -> list:
    """Name each claimant at its last figure, nudged apart so no two names overlap.

    Returns the labels' extents, so later labels can keep clear of them.
    """
    if not ends:
        return []
    boxes = []
    fig = ax.figure
    to_px = ax.transData.transform
    line = _px(fig, fontsize) * 1.25
    placed = sorted(((to_px((x, y))[1], x, label, side) for y, x, label, side in ends))
    ys = [p[0] for p in placed]
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + line)
    inverse = ax.transData.inverted()
    prop = _prop(fontsize)
    right = frame.box.x1
    for (y0, x, label, side), y in zip(placed, ys, strict=True):
        data_y = inverse.transform((0, y))[1]
        room = right - to_px((x, 0))[0] - _px(fig, CHEVRON_PT + 6)
        name, _, figure = label.rpartition(" ")
        fitted = frame.measure.shorten(name, room - frame.measure.width(" " + figure, prop),
                                       prop)
        text = ax.annotate(f"{fitted} {figure}", xy=(x, data_y), xytext=(CHEVRON_PT + 4, 0),
                           textcoords="offset points", va="center", ha="left",
                           fontproperties=prop, color=_text_color(side),
                           annotation_clip=False, parse_math=False)
        text.set_gid("claimant-label")
        boxes.append(text.get_window_extent(frame.measure.renderer))
        del y0
    return boxes


def _revisions_alt(spec: _RevisionsSpec) -> str:
    from incidents.plot._alt import _join
    from incidents.plot._alt import _point as point

    parts = [point(spec.title, spec.subtitle)]
    for _, g in spec.claims.groupby("claimant", sort=False):
        steps = " → ".join(f"{mark_of(r).words} ({_date_text(r.when)})" for r in g.itertuples())
        parts.append(f"{g['claimant_name'].iloc[0]} ({_side_label(g['side'].iloc[0])}): "
                     f"{steps}.")
    if spec.undated:
        parts.append(f"{spec.undated} undated figure{'s' if spec.undated != 1 else ''} "
                     "not included.")
    if spec.single:
        parts.append(f"Not included, one figure each: {', '.join(spec.single)}.")
    return _join(parts)


