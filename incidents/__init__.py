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

__all__ = ["DataError", "__version__", "codebook", "export", "load", "validate"]


def validate(path=None, **options):
    """Check a data package and return a report of every problem at once.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A directory holding ``datapackage.json`` and ``data/`` (default: the bundled data).
    **options
        Passed to :func:`incidents.validate.validate_package`.

    Returns
    -------
    incidents.validate.Report
        ``report.ok`` is True when there is no error; ``report.problems`` lists them all.
    """
    from incidents.validation import validate_package

    return validate_package(path, **options)


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
    from incidents.export import export as _export

    return _export(to, out=out, root=root)
