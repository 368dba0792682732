"""The generated ``datapackage.json``: read once per change, its resources looked up by name.

Kept apart from the loaders: the validator, the formatter and the writer need the descriptor,
not the tables.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from incidents._paths import descriptor_path


@lru_cache(maxsize=8)
def _descriptor_cached(path: str, mtime_ns: int) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def read_descriptor(root: Path | None = None) -> dict:
    """Return the parsed ``datapackage.json`` of ``root`` (default: the bundled data).

    Parameters
    ----------
    root : pathlib.Path, optional
        A data package directory.

    Returns
    -------
    dict
        The descriptor.
    """
    path = descriptor_path(root)
    return _descriptor_cached(str(path), path.stat().st_mtime_ns)


class PackageError(ValueError):
    """A data package's descriptor names a resource that cannot be used."""


def resource_path(root: Path, descriptor: dict, table: str) -> Path:
    """The file of resource ``table`` of the package at ``root``.

    Parameters
    ----------
    root : pathlib.Path
        The data package directory.
    descriptor : dict
        Its descriptor.
    table : str
        The resource's name.

    Returns
    -------
    pathlib.Path
        Where the table's file is.

    Raises
    ------
    PackageError
        When the descriptor has no such resource or its path cannot be used.
    """
    try:
        res = resource(descriptor, table)
    except (KeyError, TypeError) as exc:
        raise PackageError(f"datapackage.json has no usable resource named {table!r}") from exc
    path = res.get("path") if isinstance(res, dict) else None
    if not isinstance(path, str) or not path:
        raise PackageError(f"resource {table!r} has no path")
    return Path(root) / path


def resource(descriptor: dict, table: str) -> dict:
    """Return the resource called ``table`` in ``descriptor``."""
    for res in descriptor["resources"]:
        if res["name"] == table:
            return res
    raise KeyError(f"datapackage.json has no resource named {table!r}")
