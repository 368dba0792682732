"""Newsroom charts of the casualty figures each party claims.

Three Axes-first helpers draw the dataset the way a graphics desk would publish it:

* :func:`claims` -- one incident, one row per claim, so a reader sees who says what;
* :func:`claimed_vs_disputed` -- many incidents, the span of figures each side gives;
* :func:`timeline` -- incidents over time, one lane per side held responsible.

Each takes an optional ``ax`` and returns the Axes, and a ``root`` data package directory
(default: the bundled data). :func:`describe` gives the plain-language alt text of the same
chart; each chart also leaves the description of exactly what it drew (rows left out for
lack of room included) on its figure as ``fig.alt_text``.

Every chart gets the same finish: a headline, a subtitle that says what is disputed, a legend
of the sides shown, notes on how to read the marks and a source line. Each side keeps one
colour in every chart (:data:`SIDE_COLORS`).

An ``ax`` alone in its figure gets the whole figure; one that shares its figure keeps to its
own cell. Either way the layout is measured, not left to a layout engine (a figure's engine is
switched off), so call the chart function last, after the figure has its final size.

Matplotlib is imported inside the functions only, so ``import incidents.plot`` stays cheap and
works where matplotlib is not installed (``pip install incidents[plot]``).

Examples
--------
>>> from incidents import plot
>>> ax = plot.claims("SYR-2019-0001")
>>> ax.figure.savefig("claims.png")
>>> print(plot.describe("claims", incident_id="SYR-2019-0001"))
"""

from incidents.plot._alt import describe
from incidents.plot._claims_chart import claims
from incidents.plot._frame import figure, save
from incidents.plot._spans_chart import claimed_vs_disputed
from incidents.plot._style import SIDE_COLORS, SIDE_LABELS, SIZES, STYLE
from incidents.plot._timeline_chart import timeline

__all__ = [
    "SIDE_COLORS",
    "SIDE_LABELS",
    "SIZES",
    "STYLE",
    "claimed_vs_disputed",
    "claims",
    "describe",
    "figure",
    "save",
    "timeline",
]
