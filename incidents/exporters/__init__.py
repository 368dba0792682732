"""Exports of a data package to the formats people work in.

>>> import incidents
>>> incidents.export("parquet", out="exports/")         # one file per table, typed
>>> incidents.export("all", out="exports/")

Formats (one module each): ``parquet``, ``sqlite``, ``xlsx``, ``geojson``, ``hxl``,
``datawrapper``. Every file is written atomically (:mod:`incidents.safeio`).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from incidents.exporters._package import Package, read_package

FORMATS: tuple[str, ...] = ("parquet", "sqlite", "xlsx", "geojson", "hxl", "datawrapper")

__all__ = ["FORMATS", "Package", "export", "read_package", "read_parquet"]


def export(to: str | list[str] = "all", out: str | Path = "exports",
           root: str | Path | None = None) -> list[Path]:
    """Write the data package in one or more formats.

    Parameters
    ----------
    to : str or list of str, default "all"
        A format from :data:`FORMATS`, a list of them, or ``"all"``.
    out : str or pathlib.Path, default "exports"
        Directory to write into (created when missing).
    root : str or pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    list of pathlib.Path
        Every file written.

    Raises
    ------
    ValueError
        For an unknown format.
    """
    formats = list(FORMATS) if to == "all" else ([to] if isinstance(to, str) else list(to))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format {unknown[0]!r}; choose one of "
                         f"{', '.join(FORMATS)} or 'all'")
    package = read_package(Path(root) if root is not None else None)
    written: list[Path] = []
    for name in formats:
        module = importlib.import_module(f"incidents.exporters.{name}")
        written += module.write(package, Path(out))
    return written


def read_parquet(path: str | Path):
    """Read an exported Parquet file back as :func:`incidents.load` gives it.

    See :func:`incidents.exporters.parquet.read_parquet`.
    """
    from incidents.exporters.parquet import read_parquet as _read

    return _read(path)
