"""Conflict incidents and the casualty figures each party claims for them.

>>> import incidents
>>> incidents.load()            # one row per incident, typed
>>> incidents.load("claims")    # the tidy tables: incidents, claims, sources, actors, links
>>> incidents.codebook("claims")
>>> incidents.validate()        # every problem in a data package, at once
>>> incidents.schema.Claims     # the pandera models (imported on first use)
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import incidents.validate as _validate_package  # noqa: F401  (bound before the function below)
from incidents._version import __version__
from incidents.load import DataError, codebook, load

if TYPE_CHECKING:
    from incidents import schema
    from incidents.validate.report import Report

__all__ = ["DataError", "__version__", "codebook", "load", "schema", "validate"]


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
    incidents.validate.Report
        ``report.ok`` is True when there is no error; ``report.problems`` lists them all.
    """
    from incidents.validate.package import validate_package

    return validate_package(path, **options)


def __getattr__(name: str) -> Any:
    # pandera is slow to import: the contract is loaded on first use, never by load()
    if name == "schema":
        return importlib.import_module("incidents.schema")
    raise AttributeError(f"module 'incidents' has no attribute {name!r}")
