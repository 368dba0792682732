"""Conflict incidents and the casualty figures each party claims for them.

>>> import incidents
>>> incidents.load()            # one row per incident, typed
>>> incidents.load("claims")    # the tidy tables: incidents, claims, sources, actors, links
>>> incidents.codebook("claims")
>>> incidents.validate()        # every problem in a data package, at once
>>> incidents.schema.Claims     # the pandera models (imported on first use)
>>> incidents.export("parquet", out="exports/")  # Parquet, SQLite, xlsx, GeoJSON, HXL ...
>>> incidents.table("SYR-2017-0005")   # one incident's claims, sourced, for an article
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

# bound before the function of the same name below, which then replaces the attribute
import incidents.validate as _validate_package  # noqa: F401
from incidents._version import __version__
from incidents.descriptor import PackageError
from incidents.load import DataError, codebook, load

if TYPE_CHECKING:
    from incidents import schema, table
    from incidents.validate.report import Report

__all__ = ["DataError", "PackageError", "__version__", "codebook", "export", "load", "schema",
           "table", "validate"]


def validate(path: str | Path | None = None, **options: Any) -> Report:
    """Check a data package and return a report of every problem at once.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A directory holding ``datapackage.json`` and ``data/`` (default: the bundled data).
    **options
        ``today``, ``max_bytes``, ``check_descriptor``: see
        :func:`incidents.validate.package.validate_package`.

    Returns
    -------
    Report
        ``report.ok`` is True when there is no error; ``report.problems`` lists them all.

    Raises
    ------
    PackageError
        When a file the package names cannot be read safely: a symbolic link out of the
        package, a device, a FIFO, a directory, a path that is absolute, a URL or uses
        ``..``, a descriptor over its size or depth limit.

    Examples
    --------
    >>> import incidents
    >>> incidents.validate().ok
    True
    """
    from incidents._paths import bundled_root
    from incidents.descriptor import confinement_problems
    from incidents.validate.package import validate_package

    root = Path(path) if path is not None else bundled_root()
    if root.is_dir():
        problems = confinement_problems(root)
        if problems:
            raise PackageError("; ".join(problems))
    return validate_package(root, **options)


def export(to: str | list[str] = "all", out: str | Path = "exports",
           root: str | Path | None = None) -> list[Path]:
    """Write the data in other formats: parquet, sqlite, xlsx, geojson, hxl, datawrapper.

    Parameters
    ----------
    to : str or list of str, default "all"
        A format, a list of them, or ``"all"``.
    out : str or pathlib.Path, default "exports"
        Directory to write into.
    root : str or pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    list of pathlib.Path
        Every file written.
    """
    from incidents.exporters import export as _export

    return _export(to, out=out, root=root)


def __getattr__(name: str) -> Any:
    # pandera is slow to import: the contract is loaded on first use, never by load()
    # incidents.table (one incident's sourced claims) likewise stays off the load() path
    if name in ("schema", "table"):
        return importlib.import_module(f"incidents.{name}")
    raise AttributeError(f"module 'incidents' has no attribute {name!r}")
