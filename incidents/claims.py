"""What a claim's figure means, defined once: the qualifier's fields and the interval it allows.

The loader, the validator's rules and the charts all read a claim through these names, so the
encoding documented for ``qualifier`` in the codebook has exactly one implementation. This
module imports only numpy, so it stays cheap on the ``incidents.load()`` path.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

#: Which of low, best, high each qualifier fills (True), leaves empty (False) or may use (None).
QUALIFIER_FIELDS: dict[str, tuple[bool | None, bool | None, bool | None]] = {
    "exact": (True, True, True),
    "about": (False, True, False),
    "at_least": (True, False, False),
    "more_than": (True, False, False),
    "up_to": (False, False, True),
    "fewer_than": (False, False, True),
    "range": (True, None, True),
    "vague": (None, False, False),
    "unquantified": (False, False, False),
}

#: Qualifiers that state only a floor: the count may be any number from the figure upwards.
FLOORS: frozenset[str] = frozenset({"at_least", "more_than", "vague"})
#: Qualifiers that state only a ceiling: the count may be any number from zero to the figure.
CEILINGS: frozenset[str] = frozenset({"up_to", "fewer_than"})

Kind = Literal["point", "range", "floor", "ceiling", "none"]


def interval(qualifier: str, low: float, best: float, high: float) -> tuple[float, float, Kind]:
    """The counts one claim allows, as ``(lo, hi, kind)``.

    Parameters
    ----------
    qualifier : str
        The claim's ``qualifier`` code.
    low, best, high : float
        The stated figures, NaN where empty.

    Returns
    -------
    tuple
        ``lo`` and ``hi`` bound the counts the wording allows (``hi`` is ``inf`` for a floor,
        ``lo`` is 0 for a ceiling; both NaN when no figure is stated). ``kind`` is ``point``
        (one number), ``range`` (two stated bounds), ``floor``, ``ceiling`` or ``none``.
    """
    stated = [v for v in (low, best, high) if not math.isnan(v)]
    if not stated:
        return math.nan, math.nan, "none"
    if qualifier in FLOORS:
        return (low if not math.isnan(low) else min(stated)), math.inf, "floor"
    if qualifier in CEILINGS:
        return 0.0, (high if not math.isnan(high) else max(stated)), "ceiling"
    lo, hi = min(stated), max(stated)
    return lo, hi, ("point" if lo == hi else "range")


def among(codes: Any, names: frozenset[str]) -> np.ndarray:
    """Where a column of codes holds one of ``names`` (False where a code is missing).

    Parameters
    ----------
    codes : numpy.ndarray or pandas.Categorical
        Strings (None or NaN for missing), or a categorical of them: a Categorical,
        recognised by its ``categories`` so that pandas is not imported here, is tested on
        its integer codes, as a million Python strings compared would cost far more.
    names : frozenset of str
        The codes looked for.

    Returns
    -------
    numpy.ndarray
        One bool per row.
    """
    categories = getattr(codes, "categories", None)
    if categories is not None:
        numbers = [i for i, name in enumerate(categories) if name in names]
        return np.isin(np.asarray(codes.codes), numbers)
    return np.isin(np.asarray(codes, dtype=object), list(names))


def intervals(qualifier: np.ndarray, low: np.ndarray, best: np.ndarray,
              high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`interval`'s bounds for whole columns at once.

    Parameters
    ----------
    qualifier : numpy.ndarray or pandas.Categorical
        Qualifier codes (strings; None or NaN for missing), or a categorical of them.
    low, best, high : numpy.ndarray
        Stated figures as floats, NaN where empty.

    Returns
    -------
    tuple of numpy.ndarray
        ``lo`` and ``hi`` per claim, as :func:`interval` gives them.
    """
    low, best, high = (np.asarray(v, dtype=np.float64) for v in (low, best, high))
    # fmin and fmax pass over NaN: the smallest and largest figure stated, NaN when none is
    # (as nanmin and nanmax of the three, without their copies)
    lo = np.fmin(np.fmin(low, best), high)
    hi = np.fmax(np.fmax(low, best), high)
    floor = among(qualifier, FLOORS)
    ceiling = among(qualifier, CEILINGS)
    stated = ~np.isnan(lo)
    lo = np.where(floor & ~np.isnan(low), low, lo)
    hi = np.where(floor & stated, np.inf, hi)
    hi = np.where(ceiling & ~np.isnan(high), high, hi)
    lo = np.where(ceiling & stated, 0.0, lo)
    return lo, hi
