"""Conflict incidents and the casualty figures each party claims for them.

>>> import incidents
>>> incidents.load()            # one row per incident, typed
>>> incidents.load("claims")    # the tidy tables: incidents, claims, sources, actors
>>> incidents.codebook("claims")
>>> incidents.validate()        # every problem in a data package, at once
>>> incidents.export("parquet", out="exports/")  # Parquet, SQLite, xlsx, GeoJSON, HXL ...
"""

from incidents._version import __version__
from incidents.load import DataError, codebook, load

__all__ = ["DataError", "PackageError", "__version__", "codebook", "export", "load", "validate"]

from incidents.descriptor import PackageError

# imported on first use: pandera is too slow to load for `incidents.load()`
_LAZY = {"schema"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f"incidents.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'incidents' has no attribute {name!r}")


def validate(path=None, **options):
    """Check a data package and return a report of every problem at once.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A directory holding ``datapackage.json`` and ``data/`` (default: the bundled data).
    **options
        Passed to the validator (``today``, ``max_bytes``).

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
    from pathlib import Path

    from incidents._paths import bundled_root
    from incidents.descriptor import confinement_problems
    from incidents.validation import validate_package

    root = Path(path) if path is not None else bundled_root()
    if root.is_dir():
        problems = confinement_problems(root)
        if problems:
            raise PackageError("; ".join(problems))
    return validate_package(root, **options)


def export(to="all", out="exports", root=None):
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
