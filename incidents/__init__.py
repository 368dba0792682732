"""Conflict incidents and the casualty figures each party claims for them.

>>> import incidents
>>> incidents.load()            # one row per incident, typed
>>> incidents.load("claims")    # the tidy tables: incidents, claims, sources, actors
>>> incidents.codebook("claims")
>>> incidents.validate()        # every problem in a data package, at once
>>> incidents.table("SYR-2017-0005")   # one incident's claims, sourced, for an article
"""

from incidents._version import __version__
from incidents.load import DataError, codebook, load

__all__ = ["DataError", "__version__", "codebook", "load", "table", "validate"]


def __getattr__(name: str):
    # incidents.table (a sourced table of one incident) is imported on first use, so that
    # `import incidents; incidents.load()` stays light
    if name == "table":
        import importlib

        return importlib.import_module("incidents.table")
    raise AttributeError(f"module 'incidents' has no attribute {name!r}")


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
