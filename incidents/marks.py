"""How one claim is drawn and worded: the honest-mark rules, written once.

Every chart and every alt text reads a claim through :func:`mark`, so what a reader sees and
what a screen reader hears cannot drift apart. The rules a graphics desk checks:

* a **point** ("62", "about 90") is a dot at the number;
* a **range** ("between 200 and 300") is a bar between its two stated bounds, and nothing more;
* a **floor** ("at least 18", "more than 80", "dozens" = 24+) is a dot at N labelled "N+",
  with at most a short chevron of fixed length (in points, not in data units) after it;
* a **ceiling** ("up to 300", "fewer than 10") is a dot at N labelled "≤N";
* a word without a number ("several"), a denial and a dispute are **text** rows, never
  magnitudes.

No mark reaches past the largest number that any claim states (:func:`stated_max`); the axis
may run a little further so labels fit, the marks do not. This module imports only numpy and
:mod:`incidents.claims`, so the alt text works without matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from incidents.claims import interval

MarkKind = Literal["point", "range", "floor", "ceiling", "text"]

#: Stances whose claims are listed as text, whatever figure they carry: a denial or a
#: dispute is an argument about the count, not a count.
TEXT_STANCES: frozenset[str] = frozenset({"denies", "disputes"})

#: Length of a floor's chevron in points: fixed, so its size never suggests a magnitude.
CHEVRON_PT: float = 7.0


@dataclass(frozen=True)
class Mark:
    """What one claim puts on a chart.

    Attributes
    ----------
    kind : {"point", "range", "floor", "ceiling", "text"}
        The mark drawn.
    x0, x1 : float
        Where the mark starts and ends on the count axis (equal except for a range; NaN for
        text).
    best : float
        A best figure inside a range, drawn as a dot on the bar (NaN when none is stated).
    label : str
        The figure as a chart prints it: "62", "~90", "200–300", "18+", "≤300"; "" for text.
    words : str
        The figure in words for alt text and tables: "at least 18", "about 90".
    """

    kind: MarkKind
    x0: float
    x1: float
    best: float
    label: str
    words: str

    @property
    def drawn(self) -> bool:
        """True when the claim is drawn as a magnitude (anything but a text row)."""
        return self.kind != "text"

    @property
    def value(self) -> float:
        """The single number a comparison uses.

        The point, floor or ceiling; a range's best, else its low bound (never a midpoint,
        which the claim does not state).
        """
        if self.kind == "range":
            return self.best if not math.isnan(self.best) else self.x0
        return self.x0


def num(value: float) -> str:
    """A count as printed: whole, with thousands separators, never a float ("2", not "2.0")."""
    return f"{round(value):,}"


def _nan(value: object) -> float:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return out


def mark(qualifier: object, low: object, best: object, high: object, stance: object = "asserts",
         vague_term: object = None) -> Mark:
    """The mark and the words for one claim.

    Parameters
    ----------
    qualifier : str
        The claim's ``qualifier`` code.
    low, best, high : float or None
        Its stated figures (NaN or None where empty).
    stance : str, default "asserts"
        Its ``stance``; denials and disputes become text.
    vague_term : str, optional
        The original vague word ("dozens"), kept in the words.

    Returns
    -------
    Mark
    """
    q = str(qualifier) if isinstance(qualifier, str) else ""
    lo_, best_, hi_ = _nan(low), _nan(best), _nan(high)
    vague = vague_term.strip() if isinstance(vague_term, str) and vague_term.strip() else ""
    lo, hi, kind = interval(q, lo_, best_, hi_)
    nan = math.nan
    if kind == "none" or stance in TEXT_STANCES:
        words = _text_words(q, lo, hi, kind, vague, best_)
        return Mark("text", nan, nan, nan, "", words)
    if kind == "floor":
        words = {"at_least": f"at least {num(lo)}", "more_than": f"more than {num(lo)}"}.get(
            q, f"“{vague}” ({num(lo)} or more)" if vague else f"{num(lo)} or more")
        label = f"{num(lo)}+"
        return Mark("floor", lo, lo, nan, label, words)
    if kind == "ceiling":
        words = f"fewer than {num(hi)}" if q == "fewer_than" else f"up to {num(hi)}"
        return Mark("ceiling", hi, hi, nan, f"≤{num(hi)}", words)
    if kind == "range":
        b = best_ if lo <= best_ <= hi else nan
        extra = f", most likely {num(b)}" if not math.isnan(b) else ""
        return Mark("range", lo, hi, b, f"{num(lo)}–{num(hi)}",
                    f"between {num(lo)} and {num(hi)}{extra}")
    if q == "about":
        return Mark("point", lo, lo, nan, f"~{num(lo)}", f"about {num(lo)}")
    return Mark("point", lo, lo, nan, num(lo), num(lo))


def _text_words(q: str, lo: float, hi: float, kind: str, vague: str, best: float) -> str:
    if kind == "none":
        return f"“{vague}”, no number" if vague else "no figure"
    if kind == "floor":
        return f"at least {num(lo)}"
    if kind == "ceiling":
        return f"up to {num(hi)}"
    if kind == "range":
        return f"{num(lo)}–{num(hi)}"
    return f"about {num(lo)}" if q == "about" else num(lo)


def mark_of(row: object) -> Mark:
    """:func:`mark` for a row (an ``itertuples`` row or a Series).

    The row has ``qualifier``, ``low``, ``best``, ``high``, ``stance`` and ``vague_term``.
    """
    return mark(getattr(row, "qualifier", None), getattr(row, "low", None),
                getattr(row, "best", None), getattr(row, "high", None),
                getattr(row, "stance", "asserts"), getattr(row, "vague_term", None))


def stated_max(marks: Iterable[Mark]) -> float:
    """The largest number any of ``marks`` states (0 when none states one).

    No mark may reach past it: a floor's chevron is a fixed length in points, not a bar.
    """
    values = [v for m in marks if m.drawn for v in (m.x0, m.x1) if not math.isnan(v)]
    return max(values, default=0.0)


def span_words(marks: Iterable[Mark]) -> str:
    """Several figures in words for alt text and titles: "83–89", "at least 18"."""
    drawn = [m for m in marks if m.drawn]
    # a ceiling says only 'no more than N': it widens no span unless it is all there is
    bounded = [m for m in drawn if m.kind != "ceiling"]
    drawn = bounded or drawn
    if not drawn:
        return ""
    if len(drawn) == 1:
        return drawn[0].label
    lo = min(m.x0 for m in drawn)
    hi = max(m.x1 for m in drawn)
    open_top = any(m.kind == "floor" and m.x0 == hi for m in drawn)
    return f"{num(lo)}–{num(hi)}{'+' if open_top else ''}" if lo != hi else (
        f"{num(lo)}{'+' if open_top else ''}")
