"""Write the chart gallery: overviews and per-incident charts, each with its alt text.

``incidents charts [PATH] --out DIR`` calls :func:`write_gallery`. Every chart is written in
each requested format next to a ``.txt`` file holding its alt text, so a web page or a print
desk gets both from one run. Charts are drawn in parallel, one worker process per core, and
every file goes through :func:`incidents.safeio.atomic_write`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

FORMATS = ("png", "svg", "pdf")
#: PNG resolution: the 12.8-inch web size comes out 1,600 pixels wide.
DEFAULT_DPI = 125
#: The resolutions accepted: below 50 text is unreadable, above 600 files are needlessly large.
DPI_RANGE = (50, 600)

Chart = tuple[str, str, dict[str, Any]]


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


def charts(incident_ids: list[str], overview: bool = True) -> list[Chart]:
    """(file stem, chart kind, arguments) for every chart of a gallery.

    Parameters
    ----------
    incident_ids : list of str
        The incidents that get a claims chart each.
    overview : bool, default True
        Include the overview (civilians killed, each side's latest figure), the gap chart
        and the timeline.

    Returns
    -------
    list of tuple
        ``(stem, kind, kwargs)`` where ``kind`` names a function of :mod:`incidents.plot`.
    """
    out: list[Chart] = []
    if overview:
        out.append(("latest-civilians-killed", "claimed_vs_disputed",
                    {"measure": "killed", "victims": "civilians"}))
        out.append(("gap-civilians-killed", "gap", {"measure": "killed", "victims": "civilians"}))
        out.append(("timeline", "timeline", {}))
    out += [(f"claims-{i}", "claims", {"incident_id": i}) for i in incident_ids]
    return out


def write_gallery(out_dir: str | Path, formats: Iterable[str] | str = ("png",),
                  incident_ids: Iterable[str] | None = None, size: str = "web",
                  dpi: int = DEFAULT_DPI, root: Path | None = None, workers: int | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  overview: bool | None = None) -> list[Path]:
    """Write the chart gallery of a data package.

    Writes the overview of civilians killed (each side's latest figure), the gap chart, the
    timeline and one :func:`incidents.plot.claims` chart per incident that has claims, each
    in every format, with its alt text in a ``.txt`` file of the same name. Given
    ``incident_ids``, only those incidents' charts are written.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Directory to write into; created if missing. Files of the same names are replaced.
    formats : iterable of {"png", "svg", "pdf"}, default ("png",)
        File formats. SVG and PDF keep text as text.
    incident_ids : iterable of str, optional
        Only these incidents.
    size : {"web", "square", "column", "two-column"}, default "web"
        Figure size; see :data:`incidents.plot.SIZES`.
    dpi : int, default 125
        Resolution of PNG files, within :data:`DPI_RANGE` (125 gives the web size 1,600
        pixels wide).
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    workers : int, optional
        Worker processes (default: one per core, at most one per chart; 1 draws in this
        process).
    progress : callable, optional
        Called as ``progress(done, total)`` after each chart.
    overview : bool, optional
        Also write the overview, gap and timeline charts (default: only when
        ``incident_ids`` is not given).

    Returns
    -------
    list of pathlib.Path
        The files written: for each chart, its formats in the order given, then its alt text.

    Raises
    ------
    ValueError
        For an unknown format, size or incident id, or a dpi outside :data:`DPI_RANGE`.
    """
    from incidents import plot

    chosen = _formats(formats)
    if size not in plot.SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(plot.SIZES)}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not (
            DPI_RANGE[0] <= dpi <= DPI_RANGE[1]):
        raise ValueError(f"dpi must be a whole number from {DPI_RANGE[0]} to {DPI_RANGE[1]}, "
                         f"not {dpi!r}")
    root = Path(root) if root is not None else None
    ids = _incident_ids(incident_ids, root)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    todo = charts(ids, overview=incident_ids is None if overview is None else overview)
    n = len(todo)
    workers = min(workers or os.cpu_count() or 1, n) if n else 1
    results: dict[int, list[Path]] = {}
    if workers <= 1:
        for i, chart in enumerate(todo):
            results[i] = _write_chart(out, chart, chosen, size, dpi, root)
            if progress:
                progress(i + 1, n)
    else:
        results = _write_parallel(out, todo, chosen, size, dpi, root, workers, progress)
    return [p for i in range(n) for p in results[i]]


def _write_parallel(out: Path, todo: list[Chart], formats: list[str], size: str, dpi: int,
                    root: Path | None, workers: int,
                    progress: Callable[[int, int], None] | None) -> dict[int, list[Path]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # warm the parent before the pool forks: the workers inherit matplotlib, the joined
    # tables and the text measurements already made, instead of each loading them again
    _warm(root)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    results: dict[int, list[Path]] = {}
    # the overviews are the slowest charts: start them first so no core idles at the end
    order = sorted(range(len(todo)), key=lambda i: todo[i][1] == "claims")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(_write_chart, out, todo[i], formats, size, dpi, root): i
                   for i in order}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(todo))
    return results


def _warm(root: Path | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # imported once here, inherited by the workers

    from incidents.plot._data import _tables

    _tables(root)


def _write_chart(out: Path, chart: Chart, formats: list[str], size: str, dpi: int,
                 root: Path | None) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from incidents import plot
    from incidents.safeio import atomic_write

    stem, kind, args = chart
    # drawn at the dpi it is saved at, so the text laid out is not laid out again
    with matplotlib.rc_context({"figure.dpi": dpi}):
        fig = getattr(plot, kind)(**args, root=root, size=size).figure
    try:
        paths = []
        for fmt in formats:
            path = out / f"{stem}.{fmt}"
            atomic_write(path, plot.save_bytes(fig, fmt, dpi=dpi))
            paths.append(path)
    finally:
        plt.close(fig)  # a gallery of hundreds of charts must not keep them all open
    # the figure's own description says which rows were left out for lack of room
    text = getattr(fig, "alt_text", None) or plot.describe(kind, **args, root=root)
    alt = out / f"{stem}.txt"
    atomic_write(alt, (text + "\n").encode("utf-8"))
    return [*paths, alt]
