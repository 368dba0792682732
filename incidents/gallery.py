"""Write the chart gallery: the overview charts and one chart per incident, with alt text.

``incidents charts --out DIR`` calls :func:`write_gallery`. Every chart is written in each
requested format next to a ``.txt`` file holding its alt text (see
:func:`incidents.plot.describe`), so a web page or a print desk gets both from one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMATS = ("png", "svg", "pdf")


def _formats(formats: Iterable[str] | str) -> list[str]:
    if isinstance(formats, str):
        formats = [formats]
    chosen = []
    for fmt in formats:
        clean = str(fmt).strip().lower().lstrip(".")
        if clean not in FORMATS:
            raise ValueError(f"unknown chart format {fmt!r}; choose from {', '.join(FORMATS)}")
        if clean not in chosen:
            chosen.append(clean)
    if not chosen:
        raise ValueError(f"no chart format given; choose from {', '.join(FORMATS)}")
    return chosen


def _incident_ids(incident_ids: Iterable[str] | None, root: Path | None) -> list[str]:
    """The incidents to chart: those asked for (all must exist), else every one with claims."""
    from incidents.load import load_table

    known = load_table("incidents", root)["incident_id"].astype(str)
    with_claims = set(load_table("claims", root)["incident_id"].astype(str))
    if incident_ids is None:
        return [i for i in sorted(known) if i in with_claims]
    asked = list(dict.fromkeys(str(i) for i in incident_ids))
    unknown = [i for i in asked if i not in set(known)]
    if unknown:
        raise ValueError(f"unknown incident id(s): {', '.join(unknown)}; the data package "
                         f"has {len(known)} incidents (see `incidents summary`)")
    return asked


def _charts(incident_ids: list[str], overview: bool) -> list[tuple[str, str, dict[str, Any]]]:
    """(file stem, chart kind, arguments) for every chart to draw."""
    charts: list[tuple[str, str, dict[str, Any]]] = []
    if overview:
        charts.append(("claimed-vs-disputed-killed", "claimed_vs_disputed",
                       {"measure": "killed"}))
        charts.append(("timeline", "timeline", {}))
    charts += [(f"claims-{i}", "claims", {"incident_id": i}) for i in incident_ids]
    return charts


def write_gallery(out_dir: str | Path, formats: Iterable[str] | str = ("png",),
                  incident_ids: Iterable[str] | None = None, size: str = "web", dpi: int = 200,
                  root: Path | None = None) -> list[Path]:
    """Write the chart gallery of a data package.

    Writes the claimed-versus-disputed overview (people killed), the timeline, and one
    :func:`incidents.plot.claims` chart per incident that has claims, each in every format,
    with its alt text in a ``.txt`` file of the same name. Given ``incident_ids``, only those
    incidents' charts are written (the overviews are left out, as with
    ``incidents charts --incident``).

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Directory to write into; created if missing. Files of the same names are replaced.
    formats : iterable of {"png", "svg", "pdf"}, default ("png",)
        File formats. SVG and PDF keep text as text.
    incident_ids : iterable of str, optional
        Only these incidents.
    size : {"web", "square", "column"}, default "web"
        Figure size; see :data:`incidents.plot.SIZES`.
    dpi : int, default 200
        Resolution of PNG files.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    list of pathlib.Path
        The files written: for each chart, its formats in the order given, then its alt text.

    Raises
    ------
    ValueError
        For an unknown format, size or incident id, or a dpi that is not a positive whole
        number.
    """
    from incidents import plot

    chosen = _formats(formats)
    if size not in plot.SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(plot.SIZES)}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi <= 0:
        raise ValueError(f"dpi must be a positive whole number, not {dpi!r}")
    root = Path(root) if root is not None else None
    ids = _incident_ids(incident_ids, root)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, kind, args in _charts(ids, overview=incident_ids is None):
        written += _write_chart(out, stem, kind, args, chosen, size, dpi, root)
    return written


def _write_chart(out: Path, stem: str, kind: str, args: dict[str, Any], formats: list[str],
                 size: str, dpi: int, root: Path | None) -> list[Path]:
    import matplotlib.pyplot as plt

    from incidents import plot

    draw = getattr(plot, kind)
    fig = draw(**args, root=root, size=size).figure
    try:
        paths = [plot.save(fig, out / f"{stem}.{fmt}", dpi=dpi) for fmt in formats]
    finally:
        plt.close(fig)  # a gallery of hundreds of charts must not keep them all open
    # the figure's own description says which rows were left out for lack of room
    text = getattr(fig, "alt_text", None) or plot.describe(kind, **args, root=root)
    alt = out / f"{stem}.txt"
    alt.write_text(text + "\n", encoding="utf-8")
    return [*paths, alt]
