"""The fixed style every chart shares: sizes, the sides' colours and names, type, words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from incidents.vocab import SIDE

if TYPE_CHECKING:  # pragma: no cover - typing only; matplotlib is imported lazily
    pass


#: Figure sizes in inches. ``web`` is 16:9 at 1280 x 720 pixels at 100 dpi; ``square`` suits
#: social media; ``column`` is one print column, ``two-column`` a print chart across two.
SIZES: dict[str, tuple[float, float]] = {
    "web": (12.8, 7.2),
    "square": (8.0, 8.0),
    "column": (3.5, 4.5),
    "two-column": (7.2, 5.0),
}

#: One colour per ``side`` code, the same in every chart. The eight Okabe-Ito colours, which
#: stay distinct under the common colour-vision deficiencies, then Paul Tol's wine, teal and
#: purple for the sides seen least, neutral grey for ``independent`` and a light outlined grey
#: for ``unknown``, which is drawn as no side at all.
_PALETTE: dict[str, str] = {
    "us_led_coalition": "#0072B2",  # blue
    "syrian_government": "#D55E00",  # vermillion
    "russia": "#CC79A7",  # reddish purple
    "iran": "#882255",  # wine (Tol)
    "sdf": "#F0E442",  # yellow
    "syrian_opposition": "#009E73",  # bluish green
    "islamic_state": "#000000",  # black
    "turkey": "#E69F00",  # orange
    "israel": "#56B4E9",  # sky blue
    "iraq": "#44AA99",  # teal (Tol)
    "other_state": "#AA4499",  # purple (Tol)
    "independent": "#8C8C8C",  # neutral grey
    "unknown": "#C4C4C4",  # light grey, outlined: no side
}

_NAMES: dict[str, str] = {
    "us_led_coalition": "US-led coalition",
    "syrian_government": "Syrian government",
    "russia": "Russia",
    "iran": "Iran",
    "sdf": "SDF",
    "syrian_opposition": "Syrian opposition",
    "islamic_state": "Islamic State",
    "turkey": "Turkey",
    "israel": "Israel",
    "iraq": "Iraq",
    "other_state": "Other state (not a party)",
    "independent": "Independent (monitors, media, UN)",
    "unknown": "No side (unidentified speaker)",
}

#: One colour per side in :data:`incidents.vocab.SIDE`, in the code list's order: the list of
#: sides is the code list itself, so a side added there without a colour fails at import.
SIDE_COLORS: dict[str, str] = {side: _PALETTE[side] for side in SIDE}
#: How each side is named in legends and lanes, for every side in the code list.
SIDE_LABELS: dict[str, str] = {side: _NAMES[side] for side in SIDE}

#: rcParams every chart is drawn and saved with: text kept as text in SVG and PDF so the desk
#: can edit and search it, no mathtext surprises from "$" in quotes. The font is left to
#: ``matplotlib.rcParams["font.family"]``, so a house font set there is used everywhere.
STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.hashsalt": "incidents",
    "text.parse_math": False,
    # unhinted glyphs measure the same at every dpi and in SVG/PDF, so a layout measured at
    # 100 dpi still fits when saved at 300
    "text.hinting": "no_hinting",
    "axes.unicode_minus": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "lines.solid_capstyle": "butt",
}

INK = "#1a1a1a"
INK_SOFT = "#595959"
AXIS = "#8c8c8c"
GRID = "#e0e0e0"
BAND = "#ededed"
UNKNOWN_SIDE = "#c4c4c4"  # not a side: light, and drawn with a dark outline

MEASURE_WORDS = {
    "killed": "people killed",
    "injured": "people injured",
    "casualties": "casualties (killed and injured together)",
    "missing": "people missing",
    "captured": "people captured",
    "eliminated": "people 'eliminated' (killed, captured or wounded)",
    "destroyed": "objects destroyed",
    "damaged": "objects damaged",
    "displaced": "people displaced",
}
_VICTIM_NOUNS = {
    "civilians": "civilians",
    "children": "children",
    "armed_forces": "troops",
    "armed_group": "fighters",
    "combatants": "combatants",
    "all": "people",
    "unknown": "",
    "materiel": "objects",
}
_VICTIM_NOUN = {  # for a count of one
    "civilians": "civilian",
    "children": "child",
    "armed_forces": "soldier",
    "armed_group": "fighter",
    "combatants": "combatant",
    "all": "person",
    "unknown": "",
    "materiel": "object",
}
_DISPUTE_WORDS = {
    "figures": "the figures",
    "attribution": "who carried it out",
    "circumstances": "how or why it happened",
    "occurrence": "whether it happened at all",
}
_TYPE_WORDS = {
    "airstrike": "Airstrike",
    "missile_strike": "Missile strike",
    "shelling": "Shelling",
    "chemical_attack": "Chemical attack",
    "ground_assault": "Ground assault",
    "bombing": "Bombing",
    "shootdown": "Shootdown",
    "execution": "Execution",
    "other": "Incident",
}
_NO_FIGURE = {
    "denies": "denies",
    "disputes": "disputes",
    "asserts": "no figure",
    "concedes": "concedes, no figure",
    "revises": "revises, no figure",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_OPEN = {"at_least", "more_than"}
_UP_TO = {"up_to", "fewer_than"}
_CHARTS = ("claims", "claimed_vs_disputed", "gap", "revisions", "timeline")


@dataclass(frozen=True)
class _Type:
    """Type sizes (points) and proportions for one figure size."""

    title: float
    subtitle: float
    body: float
    small: float
    pad: float  # outer margin, inches
    label_share: float  # widest row-label column, as a share of the frame width
    value_share: float  # widest value column, as a share of the frame width


_TYPE = {
    "web": _Type(20, 13, 11, 9.5, 0.28, 0.38, 0.2),
    "square": _Type(16, 11, 9.5, 8, 0.22, 0.42, 0.24),
    # print column: 6 pt is the smallest size a newspaper prints
    "column": _Type(9.5, 7, 6.5, 6, 0.1, 0.45, 0.27),
}
