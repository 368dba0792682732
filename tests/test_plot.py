"""Charts: image comparisons against baselines, and the rules a graphics desk checks.

Image tests draw from the fixed package in tests/fixtures/plot_package (a copy of the data as it
was, plus synthetic incidents marked as such), never from the bundled data, which changes. The
honesty properties run on the fixture and on the bundled data. ``--mpl`` is in the default
options, so the image tests compare and cannot pass without looking; regenerate baselines with
``pytest tests/test_plot.py --mpl-generate-path=tests/baseline`` and look at them first.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.text import Text

import incidents
from incidents import plot, vocab
from incidents.claims import CEILINGS, FLOORS
from incidents.gallery import charts as gallery_charts
from incidents.gallery import write_gallery
from incidents.marks import mark, stated_max

FIXTURE = Path(__file__).parent / "fixtures" / "plot_package"
SYNTHETIC = "SYR-2017-0101"  # floor, vague floor, range, up_to, a denial; two victim groups
WIDE = "SYR-2018-0102"  # 2 against 250: a log scale
MANY = "SYR-2014-0001"  # more claims than rows fit
BUNDLED = "SYR-2019-0001"  # no figure for people killed; a dispute without a figure
REVISED = "SYR-2017-0105"  # one claimant's figure revised 18+ -> 58+ -> 72 -> 86
KHAN_SHAYKHUN = "SYR-2017-0005"

# Same machine, same shipped font: differences come from real changes, not rendering noise.
IMAGE = pytest.mark.mpl_image_compare(baseline_dir="baseline", tolerance=3, style="default",
                                      savefig_kwargs={"dpi": 100})

MARK_GIDS = ("point", "range", "floor", "ceiling", "floor-chevron")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def _figure_texts(fig):
    return {t.get_gid(): t.get_text().replace("\n", " ") for t in fig.texts if t.get_gid()}


def _texts(fig):
    """Every visible, non-empty text of a drawn figure, with its extent in pixels."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        found.append((text.get_text(), text.get_window_extent(renderer)))
    return found


def _labels(ax):
    return [t.get_text().replace("\n", " ") for t in _by_gid(ax, "row-label")]


def _claims_csv(root: Path) -> pd.DataFrame:
    return pd.read_csv(root / "data" / "claims.csv", dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------------------
# Image comparisons: one baseline per chart form and size
# --------------------------------------------------------------------------------------


@IMAGE
def test_image_claims_web():
    return plot.claims(SYNTHETIC, root=FIXTURE).figure


@IMAGE
def test_image_claims_column_stacks_labels():
    return plot.claims(SYNTHETIC, root=FIXTURE, size="column").figure


@IMAGE
def test_image_claims_two_column():
    return plot.claims(REVISED, root=FIXTURE, size="two-column").figure


@IMAGE
def test_image_claims_many_rows_trimmed():
    return plot.claims(MANY, root=FIXTURE).figure


@IMAGE
def test_image_claims_without_killed_figures():
    return plot.claims(BUNDLED, root=FIXTURE, size="square").figure


@IMAGE
def test_image_overview_civilians():
    return plot.claimed_vs_disputed(root=FIXTURE).figure


@IMAGE
def test_image_overview_everyone_by_gap_square():
    return plot.claimed_vs_disputed(root=FIXTURE, victims="all", order="gap",
                                    size="square").figure


@IMAGE
def test_image_gap():
    return plot.gap(root=FIXTURE).figure


@IMAGE
def test_image_revisions():
    return plot.revisions(REVISED, root=FIXTURE).figure


@IMAGE
def test_image_timeline():
    return plot.timeline(root=FIXTURE).figure


@IMAGE
def test_image_timeline_column():
    return plot.timeline(root=FIXTURE, size="column").figure


@IMAGE
def test_image_panels():
    return plot.panels([("claims", {"incident_id": SYNTHETIC, "latest_only": True}),
                        ("revisions", {"incident_id": REVISED})], root=FIXTURE,
                       title="Two incidents, one headline")


@IMAGE
def test_image_with_editorial_overrides():
    return plot.claims(SYNTHETIC, root=FIXTURE, title="A headline the desk wrote itself, long "
                       "enough that it has to wrap onto a second line to fit the frame",
                       subtitle="A subtitle the desk wrote.", source="Source: the desk").figure


# --------------------------------------------------------------------------------------
# The honest-mark rules, as properties
# --------------------------------------------------------------------------------------

_numbers = st.one_of(st.just(math.nan), st.integers(0, 100_000).map(float))


@given(st.sampled_from(sorted(vocab.QUALIFIER)), _numbers, _numbers, _numbers,
       st.sampled_from(sorted(vocab.STANCE)))
def test_marks_never_exceed_the_stated_numbers_nor_draw_a_floor_as_a_bar(q, low, best, high,
                                                                       stance):
    m = mark(q, low, best, high, stance, "dozens" if q == "vague" else None)
    stated = [v for v in (low, best, high) if not math.isnan(v)]
    if m.drawn:
        assert m.x1 <= max(stated) and m.x0 >= 0
        assert "." not in m.label, "a float in a label"
    if q in FLOORS and m.drawn:
        assert m.kind == "floor" and m.x0 == m.x1 and m.label.endswith("+")
    if q in CEILINGS and m.drawn:
        assert m.kind == "ceiling" and m.label.startswith("≤")
    if stance in ("denies", "disputes") or not stated:
        assert m.kind == "text"


def test_marks_word_each_qualifier():
    nan = math.nan
    assert mark("at_least", 18, nan, nan).label == "18+"
    assert mark("at_least", 18, nan, nan).words == "at least 18"
    assert mark("vague", 24, nan, nan, vague_term="dozens").words == "“dozens” (24 or more)"
    assert mark("vague", nan, nan, nan, vague_term="several").kind == "text"
    assert mark("up_to", nan, nan, 300).label == "≤300"
    assert mark("range", 200, nan, 300).label == "200–300"
    assert mark("about", nan, 90, nan).label == "~90"
    assert mark("exact", 2.0, 2.0, 2.0).label == "2"
    assert mark("exact", 0, 0, 0, stance="denies").kind == "text"
    assert stated_max([mark("at_least", 18, nan, nan), mark("range", 5, nan, 9)]) == 18


def _check_honest(ax, stated: float, floors: set[float]):
    """No mark past the largest stated number; floors as dots with N+ labels, never bars."""
    for gid in MARK_GIDS:
        for line in _by_gid(ax, gid):
            xs = np.asarray(line.get_xdata(), dtype=float)
            assert xs.max() <= stated + 1e-9, f"{gid} at {xs.max()} past {stated}"
    for line in _by_gid(ax, "range"):
        lo, hi = line.get_xdata()
        assert not (hi > lo and lo in floors and hi == ax.get_xlim()[1]), "floor drawn as a bar"
    for gid in ("open-ended", "open-ended-arrow", "up-to"):
        assert not _by_gid(ax, gid), f"old mark {gid} still drawn"
    labels = {t.get_text() for t in _by_gid(ax, "mark-label")}
    for floor in floors:
        assert f"{floor:,.0f}+" in labels, (floor, labels)


def _incident_numbers(claims: pd.DataFrame, incident_id: str, measure: str):
    mine = claims[(claims["incident_id"] == incident_id) & (claims["measure"] == measure)
                  & ~claims["stance"].isin(["denies", "disputes"])]
    numbers = pd.to_numeric(pd.concat([mine["low"], mine["best"], mine["high"]]),
                            errors="coerce").dropna()
    floors = set(pd.to_numeric(mine.loc[mine["qualifier"].isin(FLOORS), "low"],
                               errors="coerce").dropna())
    return (float(numbers.max()) if len(numbers) else 0.0), floors


@pytest.mark.parametrize("root", [FIXTURE, None], ids=["fixture", "bundled"])
def test_claims_charts_are_honest_for_every_incident(root):
    data = _claims_csv(root or _bundled())
    for incident_id in sorted(set(data["incident_id"])):
        ax = plot.claims(incident_id, root=root)
        measure = ax.get_xlabel().split(" (")[0].lower()
        code = next((m for m, w in plot._style.MEASURE_WORDS.items() if w == measure), None)
        if code is None:
            plt.close(ax.figure)
            continue
        stated, floors = _incident_numbers(data, incident_id, code)
        shown_floors = {float(t.get_text()[:-1].replace(",", ""))
                        for t in _by_gid(ax, "mark-label") if t.get_text().endswith("+")}
        _check_honest(ax, stated, shown_floors & floors)
        plt.close(ax.figure)


def _bundled() -> Path:
    from incidents._paths import bundled_root

    return bundled_root()


@pytest.mark.parametrize("root", [FIXTURE, None], ids=["fixture", "bundled"])
@pytest.mark.parametrize("chart", ["claimed_vs_disputed", "gap"])
def test_overviews_are_honest(root, chart):
    data = _claims_csv(root or _bundled())
    killed = data[(data["measure"] == "killed") & (data["victims"] == "civilians")
                  & ~data["stance"].isin(["denies", "disputes"])]
    numbers = pd.to_numeric(pd.concat([killed["low"], killed["best"], killed["high"]]),
                            errors="coerce").dropna()
    ax = getattr(plot, chart)(root=root)
    _check_honest(ax, float(numbers.max()), set())


def test_floor_is_a_dot_with_a_chevron_and_an_n_plus_label():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    floors = _by_gid(ax, "floor")
    assert sorted(f.get_xdata()[0] for f in floors) == [24, 24]  # 'at least 24', 'dozens'
    assert len(_by_gid(ax, "floor-chevron")) == 2
    labels = [t.get_text() for t in _by_gid(ax, "mark-label")]
    assert labels.count("24+") == 2 and "≤60" in labels and "20–40" in labels


def test_denial_is_a_text_row_with_its_quote():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    values = [t.get_text() for t in _by_gid(ax, "row-value")]
    assert values[-1] == "denies"
    (quote,) = _by_gid(ax, "quote")
    assert quote.get_text().startswith("“Synthetic test quote: our aircraft")


# --------------------------------------------------------------------------------------
# One measure and one victim group per axis
# --------------------------------------------------------------------------------------


def test_claims_group_rows_by_victims_with_a_header_each():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    labels = _labels(ax)
    headers = [t.get_text() for t in _by_gid(ax, "row-label") if t.get_fontweight() == "bold"]
    assert headers == ["Civilians", "Everyone (civilians and fighters)",
                       "Without a number: denials, disputes, words"]
    # the 'dozens' of people sits under its own header, not among the civilian counts
    everyone = labels.index("Everyone (civilians and fighters)")
    assert "Syrian armed opposition" in labels[everyone + 1]


def test_overview_compares_one_victim_group():
    ax = plot.claimed_vs_disputed(root=FIXTURE, victims="civilians")
    assert ax.get_xlabel().startswith("Killed (civilians)")
    assert "civilians killed" in _figure_texts(ax.figure)["subtitle"]


# --------------------------------------------------------------------------------------
# Nothing dropped silently
# --------------------------------------------------------------------------------------


def _eligible(root: Path | None, measure="killed", victims="civilians") -> set[str]:
    data = _claims_csv(root or _bundled())
    has_number = (data[["low", "best", "high"]] != "").any(axis=1)
    ok = (has_number & (data["measure"] == measure) & (data["victims"] == victims)
          & ~data["stance"].isin(["denies", "disputes"]))
    return set(data.loc[ok, "incident_id"])


@pytest.mark.parametrize("root", [FIXTURE, None], ids=["fixture", "bundled"])
@pytest.mark.parametrize("chart", ["claimed_vs_disputed", "gap"])
def test_overview_shows_every_incident_with_a_figure(root, chart):
    ax = getattr(plot, chart)(root=root)
    expected = _eligible(root)
    shown = len(_labels(ax))
    notes = _figure_texts(ax.figure)["notes"]
    third = re.search(r"(\d+) incidents? with figures only from other sides", notes)
    if chart == "gap" and third:  # named in the note: neither side of the comparison spoke
        expected_shown = len(expected) - int(third.group(1))
    else:
        expected_shown = len(expected)
    assert shown == expected_shown
    expected = {i for i in expected if i in _shown_ids(ax, root)} if third else expected
    incidents_csv = pd.read_csv((root or _bundled()) / "data" / "incidents.csv", dtype=str)
    dates = pd.to_datetime(incidents_csv.set_index("incident_id").loc[sorted(expected), "date"])
    subtitle = _figure_texts(ax.figure)["subtitle"]
    first, last = dates.min(), dates.max()
    assert f"from {first.day} {first:%b %Y} to {last.day} {last:%b %Y}" in subtitle
    # every year that has such a figure is in the chart
    drawn_years = {int(re.search(r"(\d{4})$", label).group(1)) for label in _labels(ax)}
    assert drawn_years == {d.year for d in dates}


def _shown_ids(ax, root):
    """Incident ids of the rows drawn, matched through their labels' dates and places."""
    from incidents.plot._data import _incident_date, _short_place, _tables

    t = _tables(root)
    labels = set(_labels(ax))
    return {i for i, row in t.incidents.iterrows()
            if f"{_short_place(row['location'], 40)} — {_incident_date(row)}" in labels}


def test_overview_on_a_given_axes_says_what_it_left_out():
    fig = plt.figure(figsize=(6, 3))
    ax = plot.claimed_vs_disputed(root=None, victims="all", ax=fig.add_subplot())
    notes = _figure_texts(fig)["notes"]
    match = re.search(r"(\d+) of (\d+) incidents left out", notes)
    assert match, notes
    left = int(match.group(1))
    assert len(_labels(ax)) + left == int(match.group(2))
    assert f"{left} more incident" in fig.alt_text


def test_trimmed_claims_keep_each_claimants_latest_and_name_who_is_left_out():
    ax = plot.claims(MANY, root=FIXTURE)
    fig = ax.figure
    notes = _figure_texts(fig)["notes"]
    match = re.search(r"(\d+) rows? left out for lack of room, by (.+?)\.", notes)
    assert match, notes
    drawn = [t for t in _by_gid(ax, "row-label") if t.get_fontweight() != "bold"]
    from incidents.plot._data import _claims_spec

    spec = _claims_spec(MANY, None, FIXTURE)
    assert len(drawn) + int(match.group(1)) == len(spec.rows)
    latest = spec.rows[(spec.rows["rank"] == 0) & ~spec.rows["text_row"]]
    labels = " ".join(_labels(ax))
    for name in latest["claimant_name"]:
        assert str(name)[:12] in labels, name
    assert f"{match.group(1)} more row" in fig.alt_text


def test_khan_shaykhun_shows_the_latest_figures():
    values = " ".join(t.get_text() for t in _by_gid(plot.claims(KHAN_SHAYKHUN), "mark-label"))
    for figure in ("89", "87", "83"):
        assert re.search(rf"\b{figure}\+?(\s|$)", values), (figure, values)


def test_choosing_claims_latest_only_claimants_and_max_rows():
    latest = plot.claims(REVISED, root=FIXTURE, latest_only=True)
    values = [t.get_text() for t in _by_gid(latest, "mark-label")]
    assert "86" in values and "18+" not in values
    assert "earlier figures left out by choice" in _figure_texts(latest.figure)["notes"]
    only = plot.claims(REVISED, root=FIXTURE, claimants=["sohr"])
    assert {t.get_text() for t in _by_gid(only, "mark-label")} == {"18+", "58+", "72", "86"}
    short = plot.claims(REVISED, root=FIXTURE, max_rows=3)
    assert len([t for t in _by_gid(short, "row-label") if t.get_fontweight() != "bold"]) == 3
    with pytest.raises(ValueError, match="max_rows"):
        plot.claims(REVISED, root=FIXTURE, max_rows=0)


def test_no_label_carries_a_float():
    for ax in (plot.claims(MANY, root=FIXTURE), plot.claims(KHAN_SHAYKHUN),
               plot.claimed_vs_disputed(root=FIXTURE), plot.gap(root=FIXTURE)):
        for text in ax.figure.findobj(Text):
            if text.get_gid() == "source":
                continue
            assert not re.search(r"\d\.\d", text.get_text()), text.get_text()


@pytest.mark.parametrize("incident_id,log", [(WIDE, True), (SYNTHETIC, False), (MANY, None)])
def test_the_notes_scale_matches_the_axis(incident_id, log):
    ax = plot.claims(incident_id, root=FIXTURE, log=log)
    says_log = "Logarithmic" in _figure_texts(ax.figure).get("notes", "")
    assert says_log == (ax.get_xscale() == "symlog")


# --------------------------------------------------------------------------------------
# New forms: gap and revisions
# --------------------------------------------------------------------------------------


def test_gap_is_the_least_distance_the_wordings_allow():
    from incidents.plot._data import _gap

    def latest(acc, ind):
        rows = []
        for accused, (q, low, best, high) in ((True, acc), (False, ind)):
            rows.append({"accused": accused, "side": "x" if accused else "independent",
                         "qualifier": q, "low": low, "best": best, "high": high})
        return pd.DataFrame(rows)

    nan = math.nan
    assert _gap(latest(("exact", 4, 4, 4), ("up_to", nan, nan, 64))) == 0  # overlap
    assert _gap(latest(("range", 10, nan, 15), ("at_least", 56, nan, nan))) == 41
    assert _gap(latest(("exact", 318, 318, 318), ("exact", 1600, 1600, 1600))) == 1282
    assert _gap(latest(("at_least", 90, nan, nan), ("exact", 20, 20, 20))) == 70


def test_gap_joins_the_accused_and_the_independent_figure_sorted_by_gap():
    ax = plot.gap(root=FIXTURE)
    tags = [t.get_text() for t in _by_gid(ax, "row-value")]
    gaps = [int(t.split()[1].strip("≥").replace(",", "")) for t in tags if t.startswith("gap ")]
    assert gaps == sorted(gaps, reverse=True) and gaps
    overlap = tags.count("figures overlap")
    assert len(_by_gid(ax, "gap-link")) == len(gaps) + overlap
    assert _figure_texts(ax.figure)["title"].startswith("Largest gap: ")


def test_revisions_steps_each_claimants_figures_in_date_order():
    ax = plot.revisions(REVISED, root=FIXTURE)
    steps = _by_gid(ax, "revision-step")
    ys = sorted((list(s.get_ydata()) for s in steps), key=len)
    assert [18, 58, 72, 86] in ys and [50, 89] in ys
    assert len(_by_gid(ax, "floor-chevron")) == 3  # 18+, 58+, 50+
    names = [t.get_text() for t in _by_gid(ax, "claimant-label")]
    assert any(n.startswith("Syrian Observatory") and n.endswith(" 86") for n in names)
    title = _figure_texts(ax.figure)["title"]
    assert title == "Syrian Observatory for Human Rights revised its count of people killed " \
                    "from 18+ to 86"
    assert "one figure each: United Nations" in _figure_texts(ax.figure)["notes"]


# --------------------------------------------------------------------------------------
# Editorial control
# --------------------------------------------------------------------------------------


def test_overrides_are_wrapped_to_fit():
    long = "A headline that a desk wrote and that is far too long for one line " * 3
    fig = plot.claims(SYNTHETIC, root=FIXTURE, title=long, source="Source: our desk").figure
    texts = {t.get_gid(): t for t in fig.texts}
    assert "\n" in texts["title"].get_text()
    assert texts["source"].get_text() == "Source: our desk"
    fig.canvas.draw()
    box = texts["title"].get_window_extent()
    assert box.x1 <= fig.bbox.x1 and box.x0 >= 0


def test_default_titles_state_a_finding():
    title = _figure_texts(plot.claims(KHAN_SHAYKHUN).figure)["title"]
    assert title.startswith("Khan Shaykhun: Syrian government denies; independent sources count")
    assert "What each side says" not in title


def test_source_line_credits_the_original_outlets():
    source = _figure_texts(plot.claims(SYNTHETIC, root=FIXTURE).figure)["source"]
    assert source.startswith("Sources: ") and "Example Wire" in source
    assert source.endswith(f"via incidents {'.'.join(incidents.__version__.split('.')[:2])}")


def test_original_publisher_is_credited_when_the_package_has_it():
    from incidents.plot._data import _outlets

    sources = pd.DataFrame({"publisher": ["Site that reposted", "Agency"],
                            "url": ["https://a.example/x", "https://b.example/y"],
                            "original_publisher": ["Reuters", ""],
                            "original_url": ["https://reuters.example/z", ""]},
                           index=["s1", "s2"])
    outlet, url = _outlets(pd.Series(["s1", "s2"]), sources)
    assert list(outlet) == ["Reuters", "Agency"]
    assert list(url) == ["https://reuters.example/z", "https://b.example/y"]


def test_house_font_from_rcparams_is_used():
    with matplotlib.rc_context({"font.family": "DejaVu Serif"}):
        fig = plot.claims(SYNTHETIC, root=FIXTURE).figure
    names = {t.get_fontname() for t in fig.texts if t.get_text()}
    assert names == {"DejaVu Serif"}


@pytest.mark.parametrize("size", ["web", "square", "column", "two-column"])
def test_every_size_is_offered(size):
    width, height = plot.SIZES[size]
    fig = plot.claims(MANY, root=FIXTURE, size=size).figure
    assert tuple(fig.get_size_inches()) == (width, height)  # full: rows were trimmed
    few = plot.claims(SYNTHETIC, root=FIXTURE, size=size).figure
    w, h = few.get_size_inches()
    assert w == width and 0.45 * height <= h <= height  # few rows: no empty canvas


def test_panels_have_one_headline_legend_and_source_and_combined_alt_text():
    fig = plot.panels([("claims", {"incident_id": SYNTHETIC}),
                       ("revisions", {"incident_id": REVISED})], root=FIXTURE)
    gids = [t.get_gid() for t in fig.texts if t.get_text().strip()]
    assert gids.count("figure-title") == 1 and gids.count("figure-source") == 1
    assert "source" not in gids and "subtitle" not in gids  # none per panel
    assert gids.count("title") == 2  # each panel keeps its small heading
    assert len(fig.legends) == 1
    labels = {t.get_text() for t in fig.legends[0].get_texts()}
    assert {"Russia", "Syrian opposition", "Independent (monitors, media, UN)"} <= labels
    point, rest = fig.alt_text.split("\n", 1)
    assert len(point) < 300 and "Panel 1: " in rest and "Panel 2: " in rest
    source = next(t.get_text() for t in fig.texts if t.get_gid() == "figure-source")
    assert "Example Wire" in source and "Test Broadcast" in source
    with pytest.raises(ValueError, match="kind"):
        plot.panels([("pie", {})])


def test_subplots_keep_every_charts_alt_text():
    fig, (left, right) = plt.subplots(1, 2, figsize=(16, 6))
    plot.claims(SYNTHETIC, root=FIXTURE, ax=left)
    plot.timeline(root=FIXTURE, ax=right)
    assert fig.alt_text.count("\n\n") == 1
    assert plot.describe("timeline", root=FIXTURE) in fig.alt_text
    assert left.get_position().x1 <= right.get_position().x0


# --------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------


def test_every_side_in_the_code_list_has_its_own_colour_and_name():
    assert list(plot.SIDE_COLORS) == list(vocab.SIDE) == list(plot.SIDE_LABELS)
    colours = [c.upper() for c in plot.SIDE_COLORS.values()]
    assert len(set(colours)) == len(colours), "two sides share a colour"
    assert "independent" not in plot.SIDE_LABELS["other_state"].lower()
    assert plot.SIDE_LABELS["unknown"].startswith("No side")


def test_marks_and_legend_use_the_side_colours():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    grey = matplotlib.colors.to_hex(plot.SIDE_COLORS["independent"])
    assert {matplotlib.colors.to_hex(a.get_color()) for a in _by_gid(ax, "range")} == {grey}
    legend = ax.figure.legends[0]
    shown = {t.get_text(): matplotlib.colors.to_hex(h.get_facecolor())
             for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)}
    assert shown == {plot.SIDE_LABELS[s]: matplotlib.colors.to_hex(plot.SIDE_COLORS[s])
                     for s in ("russia", "syrian_opposition", "independent")}


# --------------------------------------------------------------------------------------
# Alt text
# --------------------------------------------------------------------------------------

VISUAL_WORDS = re.compile(r"\b(dots?|bars?|arrows?|diamonds?|filled|hollow|colou?r|chevron|"
                          r"line|above|below|left of|right of|shown in)\b", re.I)


@pytest.mark.parametrize("chart", ["claims", "claims-many", "overview", "gap", "revisions",
                                   "timeline"])
def test_alt_text_leads_with_the_point_and_uses_no_visual_words(chart):
    draw = {
        "claims": lambda: plot.claims(SYNTHETIC, root=FIXTURE),
        "claims-many": lambda: plot.claims(MANY, root=FIXTURE),
        "overview": lambda: plot.claimed_vs_disputed(root=FIXTURE),
        "gap": lambda: plot.gap(root=FIXTURE),
        "revisions": lambda: plot.revisions(REVISED, root=FIXTURE),
        "timeline": lambda: plot.timeline(root=FIXTURE),
    }[chart]
    fig = draw().figure
    point = fig.alt_text.split("\n")[0]
    assert len(point) < 300
    assert point.startswith(_figure_texts(fig)["title"].rstrip("."))
    assert not VISUAL_WORDS.search(fig.alt_text), VISUAL_WORDS.search(fig.alt_text)


def test_describe_gives_the_same_words_as_the_chart():
    assert plot.describe("claims", incident_id=SYNTHETIC, root=FIXTURE) == \
        plot.claims(SYNTHETIC, root=FIXTURE).figure.alt_text
    text = plot.describe("claims", incident_id=SYNTHETIC, root=FIXTURE)
    assert "at least 24 civilians" in text and "Syrian opposition" in text
    assert "Russian Ministry of Defence (Russia)" in text and "denies" in text
    assert plot.describe("gap", root=FIXTURE) == plot.gap(root=FIXTURE).figure.alt_text
    with pytest.raises(ValueError, match="kind"):
        plot.describe("pie")


# --------------------------------------------------------------------------------------
# Layout: no text collides or leaves the canvas
# --------------------------------------------------------------------------------------

CHARTS = {
    "claims": lambda size: plot.claims(SYNTHETIC, root=FIXTURE, size=size),
    "claims-many": lambda size: plot.claims(MANY, root=FIXTURE, size=size),
    "claims-log": lambda size: plot.claims(WIDE, root=FIXTURE, size=size),
    "claims-no-figure": lambda size: plot.claims(BUNDLED, root=FIXTURE, size=size),
    "overview": lambda size: plot.claimed_vs_disputed(root=FIXTURE, size=size),
    "overview-empty": lambda size: plot.claimed_vs_disputed(root=FIXTURE, measure="captured",
                                                            size=size),
    "gap": lambda size: plot.gap(root=FIXTURE, size=size),
    "revisions": lambda size: plot.revisions(REVISED, root=FIXTURE, size=size),
    "timeline": lambda size: plot.timeline(root=FIXTURE, size=size),
    "panels": lambda size: plot.panels([("claims", {"incident_id": SYNTHETIC}),
                                        ("gap", {})], root=FIXTURE, size=size).axes[0],
}


@pytest.mark.parametrize("size", list(plot.SIZES))
@pytest.mark.parametrize("chart", list(CHARTS))
def test_no_text_overlaps_or_leaves_the_figure(chart, size):
    fig = CHARTS[chart](size).figure
    texts = _texts(fig)
    canvas = fig.bbox
    for text, box in texts:
        assert box.x0 >= canvas.x0 - 0.5 and box.x1 <= canvas.x1 + 0.5, f"{text!r} off the side"
        assert box.y0 >= canvas.y0 - 0.5 and box.y1 <= canvas.y1 + 0.5, f"{text!r} off the end"
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        overlap_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        assert overlap_w <= 0.5 or overlap_h <= 0.5, f"{a!r} overlaps {b!r}"


def test_type_stays_readable_in_print():
    fig = plot.claims(MANY, root=FIXTURE, size="column").figure
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
    assert min(sizes) >= 6


def test_drawing_is_deterministic():
    def pixels():
        fig = plot.claims(SYNTHETIC, root=FIXTURE).figure
        fig.canvas.draw()
        data = np.asarray(fig.canvas.buffer_rgba()).copy()
        plt.close(fig)
        return data

    assert np.array_equal(pixels(), pixels())


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="unknown incident_id"):
        plot.claims("SYR-1900-0001", root=FIXTURE)
    with pytest.raises(ValueError, match="unknown measure"):
        plot.claims(SYNTHETIC, measure="cats", root=FIXTURE)
    with pytest.raises(ValueError, match="unknown victims"):
        plot.gap(victims="cats", root=FIXTURE)
    with pytest.raises(ValueError, match="order"):
        plot.claimed_vs_disputed(order="size", root=FIXTURE)
    with pytest.raises(ValueError, match="claimant"):
        plot.claims(SYNTHETIC, claimants=["nobody"], root=FIXTURE)
    with pytest.raises(ValueError, match="size"):
        plot.figure("poster")


# --------------------------------------------------------------------------------------
# Importing and the gallery
# --------------------------------------------------------------------------------------


def test_import_does_not_import_matplotlib():
    code = "import sys, incidents.plot, incidents.gallery; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_import_without_matplotlib_says_what_to_install():
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'matplotlib':\n"
            "            raise ModuleNotFoundError(name)\n"
            "sys.meta_path.insert(0, Block())\n"
            "from incidents import plot\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode != 0 and "incidents[plot]" in out.stderr


@pytest.fixture(scope="module")
def small_package(tmp_path_factory):
    """The fixture package cut down to its synthetic incidents, so a gallery is quick."""
    root = tmp_path_factory.mktemp("package")
    shutil.copytree(FIXTURE / "data", root / "data")
    shutil.copy(FIXTURE / "datapackage.json", root)
    keep = {SYNTHETIC, WIDE, REVISED, "SYR-2018-0103", "SYR-2019-0104"}
    for name in ("incidents", "claims"):
        path = root / "data" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        column = rows[0].index("incident_id")
        kept = [rows[0]] + [r for r in rows[1:] if r[column] in keep]
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(kept)
    return root


def test_write_gallery_writes_every_format_and_alt_text(small_package, tmp_path):
    paths = write_gallery(tmp_path, formats=["png", "svg", "pdf"], dpi=50, root=small_package,
                          workers=1)
    stems = [stem for stem, _, _ in gallery_charts(
        sorted([SYNTHETIC, WIDE, REVISED, "SYR-2018-0103", "SYR-2019-0104"]))]
    assert {p.name for p in paths} == {f"{s}.{ext}" for s in stems
                                       for ext in ("png", "svg", "pdf", "txt")}
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert (tmp_path / f"claims-{SYNTHETIC}.png").read_bytes().startswith(b"\x89PNG")
    pdf = (tmp_path / f"claims-{SYNTHETIC}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # TrueType embedded: text stays text
    alt = (tmp_path / f"claims-{SYNTHETIC}.txt").read_text(encoding="utf-8")
    assert "at least 24 civilians" in alt
    assert not plt.get_fignums(), "write_gallery left figures open"
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"


def test_parallel_gallery_writes_the_same_bytes(small_package, tmp_path):
    one = write_gallery(tmp_path / "one", dpi=50, root=small_package, workers=1)
    two = write_gallery(tmp_path / "two", dpi=50, root=small_package, workers=2)
    assert [p.name for p in one] == [p.name for p in two]
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_gallery_svg_keeps_the_title_as_text(small_package, tmp_path):
    (svg, _) = write_gallery(tmp_path, formats=["svg"], incident_ids=[SYNTHETIC],
                             root=small_package)
    tree = ET.parse(svg)
    words = " ".join(" ".join(el.itertext()) for el in tree.iter()
                     if el.tag.endswith("}text")).split()
    title = plot.claims(SYNTHETIC, root=small_package).figure.texts[0].get_text().split()
    assert any(words[i:i + len(title)] == title for i in range(len(words))), words[:40]


def test_gallery_rejects_unknown_formats_sizes_incidents_and_dpi(small_package, tmp_path):
    with pytest.raises(ValueError, match="format 'gif'"):
        write_gallery(tmp_path, formats=["png", "gif"], root=small_package)
    with pytest.raises(ValueError, match="size"):
        write_gallery(tmp_path, size="billboard", root=small_package)
    with pytest.raises(ValueError, match="SYR-1900-0001"):
        write_gallery(tmp_path, incident_ids=["SYR-1900-0001"], root=small_package)
    for dpi in (0, 49, 601):
        with pytest.raises(ValueError, match="dpi"):
            write_gallery(tmp_path, dpi=dpi, root=small_package)
    assert not list(tmp_path.iterdir()), "nothing is written when the arguments are wrong"


def test_cli_charts_a_package_of_ones_own_quietly(small_package, tmp_path, capsys):
    from incidents.cli import main

    assert main(["charts", str(small_package), "--out", str(tmp_path), "--incident", WIDE,
                 "--format", "svg,png", "--dpi", "50"]) == 0
    captured = capsys.readouterr()
    # the first line names the package the command read
    assert captured.out.splitlines() == [f"package: {small_package} (given path)",
                                         f"wrote 1 chart (3 files) to {tmp_path}"]
    assert captured.err == ""  # not a terminal: no progress bar
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"claims-{WIDE}.png", f"claims-{WIDE}.svg", f"claims-{WIDE}.txt"]
    assert main(["charts", str(small_package), "--out", str(tmp_path), "--incident",
                 "SYR-1900-0001"]) == 2
    assert "unknown incident id" in capsys.readouterr().err
    assert main(["charts", "--out", str(tmp_path), "--dpi", "5000"]) == 2
    assert "50-600" in capsys.readouterr().err


def test_progress_bar_redraws_one_line():
    import io

    from incidents.cli import _progress_bar

    stream = io.StringIO()
    show = _progress_bar(stream)
    for done in range(1, 5):
        show(done, 4)
    text = stream.getvalue()
    assert "\n" not in text and text.count("\r") == 4
    assert text.endswith("[" + "#" * 30 + "] 4/4 charts")


def test_cli_charts_help_names_every_default(capsys):
    from incidents.cli import main

    assert main(["charts", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for default in ("default: the bundled data", "default: png", "default: web",
                    "default: 125", "default: one per core"):
        assert default in text


def test_a_cjk_vague_term_is_drawn_by_a_fallback_font(caplog):
    """A Japanese vague term ("多数") is drawn, not boxes, where a CJK font is installed,
    and without matplotlib's log line about the fallback font's single weight."""
    import logging
    import os
    import warnings

    from incidents.plot._frame import fallback_fonts

    if not fallback_fonts():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI is set but no CJK font is installed (Debian: fonts-wqy-zenhei)")
        pytest.skip("no CJK font installed (Debian: fonts-wqy-zenhei)")
    with warnings.catch_warnings():
        # matplotlib warns "Glyph ... missing from font(s)" for every box it draws
        warnings.simplefilter("error", UserWarning)
        with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
            ax = plot.claims("SYR-2015-0103")
            plot.save_bytes(ax.figure, "png")
    assert any("多数" in text for text, _ in _texts(ax.figure))
    assert not [r for r in caplog.records if "Failed to find font weight" in r.getMessage()]
