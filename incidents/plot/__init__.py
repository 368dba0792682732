"""Newsroom charts of the casualty figures each party claims.

Axes-first helpers draw the dataset the way a graphics desk would publish it:

* :func:`claims` -- one incident, one row per claim grouped by victim group: who says what;
* :func:`revisions` -- one incident, each claimant's figure over the date it was claimed;
* :func:`claimed_vs_disputed` -- every incident with a figure, each side's latest one;
* :func:`gap` -- per incident, the accused side's latest figure against the independent one;
* :func:`timeline` -- incidents over time, one lane per side held responsible;
* :func:`panels` -- several of these in one figure, under one headline, legend and source.

Every mark follows the rules of :mod:`incidents.marks` (a floor is a dot labelled
"N+", never a bar; nothing is drawn past the largest stated number), which the alt text
reads too. ``title=``, ``subtitle=`` and ``source=`` replace the defaults (a finding from
the data, the exact range drawn, the original outlets).

Each takes an optional ``ax`` and returns the Axes, and a ``root`` data package directory
(default: the bundled data). :func:`describe` gives the plain-language alt text of the same
chart; each chart also leaves the description of exactly what it drew (rows left out for
lack of room included) on its figure as ``fig.alt_text``.

Every chart gets the same finish: a headline, a subtitle, a legend of the sides shown, notes
on how to read the marks and a source line. Each side keeps one colour in every chart
(:data:`SIDE_COLORS`, one per code in :data:`incidents.vocab.SIDE`).

An ``ax`` alone in its figure gets the whole figure; one that shares its figure keeps to its
own cell. Either way the layout is measured, not left to a layout engine (a figure's engine is
switched off), so call the chart function last, after the figure has its final size.

Matplotlib is imported inside the functions only, so ``import incidents.plot`` stays cheap and
says to ``pip install incidents[plot]`` where matplotlib is missing.

Examples
--------
>>> from incidents import plot
>>> ax = plot.claims("SYR-2019-0001")
>>> ax.figure.savefig("claims.png")
>>> print(plot.describe("claims", incident_id="SYR-2019-0001"))
"""

import importlib.util as _importlib_util

try:
    _missing = _importlib_util.find_spec("matplotlib") is None
except (ImportError, ValueError):  # a broken or blocked install counts as missing
    _missing = True
if _missing:
    raise ImportError("incidents.plot needs matplotlib: install incidents[plot] "
                      "(pip install 'incidents[plot]')")

from incidents.marks import Mark, mark
from incidents.plot._alt import describe
from incidents.plot._claims_chart import claims
from incidents.plot._frame import figure, save, save_bytes
from incidents.plot._latest_chart import claimed_vs_disputed, gap
from incidents.plot._panels import panels
from incidents.plot._revisions_chart import revisions
from incidents.plot._style import SIDE_COLORS, SIDE_LABELS, SIZES, STYLE
from incidents.plot._timeline_chart import timeline

__all__ = [
    "SIDE_COLORS",
    "SIDE_LABELS",
    "SIZES",
    "STYLE",
    "Mark",
    "claimed_vs_disputed",
    "claims",
    "describe",
    "figure",
    "gap",
    "mark",
    "panels",
    "revisions",
    "save",
    "save_bytes",
    "timeline",
]
