"""Charts: image comparisons against baselines, and the rules a graphics desk checks.

Every chart is drawn from the fixed package in tests/fixtures/plot_package (a copy of the data
as it was, plus synthetic incidents marked as such), never from the bundled data, which
changes. Run with ``pytest tests/test_plot.py --mpl``; regenerate baselines with
``pytest tests/test_plot.py --mpl-generate-path=tests/baseline`` and look at them first.
"""

from __future__ import annotations

import csv
import itertools
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
import pytest
from matplotlib.text import Text

import incidents
from incidents import plot
from incidents.gallery import write_gallery

FIXTURE = Path(__file__).parent / "fixtures" / "plot_package"
SYNTHETIC = "SYR-2017-0101"  # open-ended, vague, range, up_to and a denial, one measure
WIDE = "SYR-2018-0102"  # 2 against 250: a log scale
MANY = "SYR-2014-0001"  # more claims than rows fit
BUNDLED = "SYR-2019-0001"  # no figure for people killed; a dispute without a figure

# Same machine, same shipped font: differences come from real changes, not rendering noise.
IMAGE = pytest.mark.mpl_image_compare(baseline_dir="baseline", tolerance=3, style="default",
                                      savefig_kwargs={"dpi": 100})

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
             "#CC79A7"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


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


# --------------------------------------------------------------------------------------
# Image comparisons
# --------------------------------------------------------------------------------------


@IMAGE
def test_image_claims_web():
    return plot.claims(SYNTHETIC, root=FIXTURE).figure


@IMAGE
def test_image_claims_column_stacks_labels():
    return plot.claims(SYNTHETIC, root=FIXTURE, size="column").figure


@IMAGE
def test_image_claims_many_rows_trimmed():
    return plot.claims(MANY, root=FIXTURE).figure


@IMAGE
def test_image_claims_without_killed_figures():
    return plot.claims(BUNDLED, root=FIXTURE, size="square").figure


@IMAGE
def test_image_claimed_vs_disputed_by_gap_log():
    return plot.claimed_vs_disputed(root=FIXTURE, order="gap").figure


@IMAGE
def test_image_claimed_vs_disputed_linear():
    return plot.claimed_vs_disputed(root=FIXTURE, start="2017-04-01", end="2018-12-31",
                                    victims="civilians", log=False, size="square").figure


@IMAGE
def test_image_timeline():
    return plot.timeline(root=FIXTURE).figure


@IMAGE
def test_image_timeline_column():
    return plot.timeline(root=FIXTURE, size="column").figure


# --------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------


def test_every_side_has_one_fixed_colour_from_the_palette():
    codes = incidents.codebook("actors", root=FIXTURE).set_index("field").loc["side", "codes"]
    assert set(plot.SIDE_COLORS) == set(codes) == set(plot.SIDE_LABELS)
    colours = [c.upper() for c in plot.SIDE_COLORS.values()]
    assert len(set(colours)) == len(colours), "two sides share a colour"
    extras = set(colours) - OKABE_ITO
    assert OKABE_ITO <= set(colours)
    assert extras == {"#8C8C8C", "#882255"}  # neutral grey for independent, Tol's wine for Iran


def test_marks_and_legend_use_the_side_colours():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    green = matplotlib.colors.to_hex(plot.SIDE_COLORS["syrian_opposition"])
    grey = matplotlib.colors.to_hex(plot.SIDE_COLORS["independent"])
    assert {matplotlib.colors.to_hex(a.get_color()) for a in _by_gid(ax, "open-ended")} == {green}
    assert {matplotlib.colors.to_hex(a.get_color()) for a in _by_gid(ax, "range")} == {grey}
    legend = ax.figure.legends[0]
    shown = {t.get_text(): matplotlib.colors.to_hex(h.get_facecolor())
             for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)}
    assert shown == {plot.SIDE_LABELS[s]: matplotlib.colors.to_hex(plot.SIDE_COLORS[s])
                     for s in ("russia", "syrian_opposition", "independent")}


def test_same_side_same_colour_across_charts():
    colours = []
    for ax in (plot.claimed_vs_disputed(root=FIXTURE), plot.timeline(root=FIXTURE)):
        legend = ax.figure.legends[0]
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
            if text.get_text() == plot.SIDE_LABELS["us_led_coalition"]:
                colours.append(matplotlib.colors.to_hex(handle.get_facecolor()))
    assert colours == [plot.SIDE_COLORS["us_led_coalition"].lower()] * 2


# --------------------------------------------------------------------------------------
# How figures are drawn
# --------------------------------------------------------------------------------------


def test_open_ended_figures_are_drawn_open_not_as_points():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    right = ax.get_xlim()[1]
    bars = _by_gid(ax, "open-ended")
    heads = _by_gid(ax, "open-ended-arrow")
    assert len(bars) == 2 and len(heads) == 2  # 'at least 24' and 'dozens' (24+)
    for bar in bars:
        xs = bar.get_xdata()
        assert xs[0] == 24 and xs[-1] == pytest.approx(right)
    assert all(h.get_xdata()[0] == pytest.approx(right) for h in heads)
    open_rows = {bar.get_ydata()[0] for bar in bars}
    for line in ax.get_lines():
        if line.get_marker() == "o" and line.get_ydata()[0] in open_rows:
            pytest.fail("an open-ended figure is drawn as a point")


def test_up_to_runs_from_zero_to_its_ceiling():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    (bar,) = _by_gid(ax, "up-to")
    assert list(bar.get_xdata()) == [0, 60]
    assert _by_gid(ax, "up-to-cap")[0].get_xdata()[0] == 60


def test_denial_is_a_text_row_with_its_quote():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    values = [t.get_text() for t in _by_gid(ax, "row-value")]
    assert values[-1] == "denies"
    (quote,) = _by_gid(ax, "quote")
    assert quote.get_text().startswith("“Synthetic test quote: our aircraft")


def test_labels_name_claimant_publisher_and_date():
    labels = _labels(plot.claims(SYNTHETIC, root=FIXTURE))
    expected = [("Syria Civil Defence", "Example Wire", "10 Apr 2017"),
                ("United Nations", "Sample Times", "12 Apr 2017"),
                ("Médecins Sans Frontières", "Test Broadcast", "15 Apr 2017"),
                ("Russian Ministry of Defence", "Sample Times", "11 Apr 2017")]
    for parts in expected:
        assert any(all(p in label for p in parts) for label in labels), (parts, labels)


@pytest.mark.parametrize("size", list(plot.SIZES))
def test_crowded_labels_keep_the_date(size):
    labels = _labels(plot.claims(MANY, root=FIXTURE, size=size))
    assert len(labels) > 5
    for label in labels:
        assert re.search(r", (\d{1,2} [A-Z][a-z]{2} \d{4}|undated)", label), label


def test_title_subtitle_and_source_line():
    ax = plot.claims(SYNTHETIC, root=FIXTURE)
    texts = {t.get_gid(): t.get_text().replace("\n", " ") for t in ax.figure.texts}
    assert texts["title"] == "Airstrike: Test village north of Idlib city, 10 Apr 2017"
    assert "Disputed: the figures and who carried it out." in texts["subtitle"]
    assert "people killed" in texts["subtitle"]
    assert texts["source"] == f"Source: incidents dataset v{incidents.__version__}, 3 sources"


@pytest.mark.parametrize("chart", ["claims", "claimed_vs_disputed", "timeline"])
def test_every_chart_has_a_source_line_with_the_version(chart):
    args = {"incident_id": SYNTHETIC} if chart == "claims" else {}
    ax = getattr(plot, chart)(**args, root=FIXTURE)
    (source,) = [t for t in ax.figure.texts if t.get_gid() == "source"]
    assert source.get_text().startswith(f"Source: incidents dataset v{incidents.__version__}, ")


def test_log_scale_is_chosen_when_figures_span_two_orders_of_magnitude():
    assert plot.claims(WIDE, root=FIXTURE).get_xscale() == "symlog"
    assert plot.claims(SYNTHETIC, root=FIXTURE).get_xscale() == "linear"
    assert plot.claims(WIDE, root=FIXTURE, log=False).get_xscale() == "linear"
    ax = plot.claimed_vs_disputed(root=FIXTURE)
    assert ax.get_xscale() == "symlog"
    assert "logarithmic" in ax.get_xlabel()
    assert plot.claimed_vs_disputed(root=FIXTURE, start="2017-04-10",
                                    end="2017-04-10").get_xscale() == "linear"


def test_claimed_vs_disputed_orders_and_marks_disputes():
    ax = plot.claimed_vs_disputed(root=FIXTURE, order="gap")
    labels = _labels(ax)
    assert labels[0].startswith("Raqqa city")  # 23-318 conceded against 2,000+
    assert "◆ figures" in [t.get_text() for t in _by_gid(ax, "row-value")]
    by_date = plot.claimed_vs_disputed(root=FIXTURE)
    tags = dict(zip(_labels(by_date), [t.get_text() for t in _by_gid(by_date, "row-value")],
                    strict=True))
    assert tags["Test market square — 15 Jul 2019"] == ""  # not disputed: no mark
    assert tags["Test town on the Euphrates — 1 Sep 2018"] == "◆ figures"


def test_timeline_has_a_lane_per_side_and_marks_disputes():
    ax = plot.timeline(root=FIXTURE)
    lanes = [t.get_text() for t in _by_gid(ax, "row-label")]
    assert lanes[:2] == ["US-led coalition", "Syrian government"]
    assert lanes[-1] == "Unknown perpetrator"
    assert len(_by_gid(ax, "disputed")) == 31
    assert len(_by_gid(ax, "undisputed")) == 3  # two real incidents and one synthetic


def test_charts_accept_an_axes_and_return_it():
    _, (left, right) = plt.subplots(1, 2, figsize=(16, 6))
    assert plot.claims(SYNTHETIC, root=FIXTURE, ax=left) is left
    assert plot.timeline(root=FIXTURE, ax=right) is right
    assert left.get_position().x1 <= right.get_position().x0


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="unknown incident_id"):
        plot.claims("SYR-1900-0001", root=FIXTURE)
    with pytest.raises(ValueError, match="unknown measure"):
        plot.claims(SYNTHETIC, measure="cats", root=FIXTURE)
    with pytest.raises(ValueError, match="order"):
        plot.claimed_vs_disputed(order="size", root=FIXTURE)
    with pytest.raises(ValueError, match="perpetrator"):
        plot.timeline(perpetrator="nobody", root=FIXTURE)
    with pytest.raises(ValueError, match="size"):
        plot.figure("poster")
    with pytest.raises(ValueError, match="kind"):
        plot.describe("pie")


def test_describe_says_who_claims_what():
    text = plot.describe("claims", incident_id=SYNTHETIC, root=FIXTURE)
    assert "at least 24 civilians" in text and "Syrian opposition" in text
    assert "Russian Ministry of Defence (Russia)" in text and "denies" in text
    overview = plot.describe("claimed_vs_disputed", root=FIXTURE, order="gap")
    assert "US-led coalition 23 to 318" in overview
    assert "Unknown perpetrator: 4 (4 disputed)" in plot.describe("timeline", root=FIXTURE)


def test_drawing_is_deterministic():
    def pixels():
        fig = plot.claims(SYNTHETIC, root=FIXTURE).figure
        fig.canvas.draw()
        data = np.asarray(fig.canvas.buffer_rgba()).copy()
        plt.close(fig)
        return data

    assert np.array_equal(pixels(), pixels())


# --------------------------------------------------------------------------------------
# Layout: no text collides or leaves the canvas
# --------------------------------------------------------------------------------------

CHARTS = {
    "claims": lambda size: plot.claims(SYNTHETIC, root=FIXTURE, size=size),
    "claims-many": lambda size: plot.claims(MANY, root=FIXTURE, size=size),
    "claims-log": lambda size: plot.claims(WIDE, root=FIXTURE, size=size),
    "claims-no-figure": lambda size: plot.claims(BUNDLED, root=FIXTURE, size=size),
    "overview-date": lambda size: plot.claimed_vs_disputed(root=FIXTURE, size=size),
    "overview-gap": lambda size: plot.claimed_vs_disputed(root=FIXTURE, order="gap", size=size),
    "overview-empty": lambda size: plot.claimed_vs_disputed(root=FIXTURE, measure="captured",
                                                            size=size),
    "timeline": lambda size: plot.timeline(root=FIXTURE, size=size),
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


# --------------------------------------------------------------------------------------
# Importing and the gallery
# --------------------------------------------------------------------------------------


def test_import_does_not_import_matplotlib():
    code = "import sys, incidents.plot, incidents.gallery; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def small_package(tmp_path_factory):
    """The fixture package cut down to its synthetic incidents, so a gallery is quick."""
    root = tmp_path_factory.mktemp("package")
    shutil.copytree(FIXTURE / "data", root / "data")
    shutil.copy(FIXTURE / "datapackage.json", root)
    keep = {SYNTHETIC, WIDE, "SYR-2018-0103", "SYR-2019-0104"}
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
    paths = write_gallery(tmp_path, formats=["png", "svg", "pdf"], dpi=50, root=small_package)
    stems = ["claimed-vs-disputed-killed", "timeline", f"claims-{SYNTHETIC}",
             f"claims-{WIDE}", "claims-SYR-2018-0103", "claims-SYR-2019-0104"]
    assert {p.name for p in paths} == {f"{s}.{ext}" for s in stems
                                       for ext in ("png", "svg", "pdf", "txt")}
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert (tmp_path / f"claims-{SYNTHETIC}.png").read_bytes().startswith(b"\x89PNG")
    pdf = (tmp_path / f"claims-{SYNTHETIC}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # TrueType embedded: text stays text
    alt = (tmp_path / f"claims-{SYNTHETIC}.txt").read_text(encoding="utf-8")
    assert "at least 24 civilians" in alt
    assert not plt.get_fignums(), "write_gallery left figures open"


def test_gallery_svg_keeps_the_title_as_text(small_package, tmp_path):
    (svg, _) = write_gallery(tmp_path, formats=["svg"], incident_ids=[SYNTHETIC],
                             root=small_package)
    tree = ET.parse(svg)
    words = " ".join(" ".join(el.itertext()) for el in tree.iter()
                     if el.tag.endswith("}text")).split()
    title = "Airstrike: Test village north of Idlib city, 10 Apr 2017".split()
    assert any(words[i:i + len(title)] == title for i in range(len(words))), words[:40]


def test_gallery_with_incident_ids_writes_only_those(small_package, tmp_path):
    paths = write_gallery(tmp_path, incident_ids=[WIDE], root=small_package, dpi=50)
    assert [p.name for p in paths] == [f"claims-{WIDE}.png", f"claims-{WIDE}.txt"]


def test_gallery_rejects_unknown_formats_sizes_and_incidents(small_package, tmp_path):
    with pytest.raises(ValueError, match="format 'gif'"):
        write_gallery(tmp_path, formats=["png", "gif"], root=small_package)
    with pytest.raises(ValueError, match="size"):
        write_gallery(tmp_path, size="billboard", root=small_package)
    with pytest.raises(ValueError, match="SYR-1900-0001"):
        write_gallery(tmp_path, incident_ids=["SYR-1900-0001"], root=small_package)
    with pytest.raises(ValueError, match="dpi"):
        write_gallery(tmp_path, dpi=0, root=small_package)
    assert not list(tmp_path.iterdir()), "nothing is written when the arguments are wrong"


def test_cli_charts_command(tmp_path, capsys):
    from incidents.cli import main

    # the command reads the bundled data: any of its incidents will do
    first = str(incidents.load("incidents")["incident_id"].iloc[0])
    assert main(["charts", "--out", str(tmp_path), "--incident", first, "--format", "svg,png",
                 "--dpi", "40"]) == 0
    # the first line names the package the command read
    assert capsys.readouterr().out.split("\n", 1)[1].split() == [
        "wrote", str(tmp_path / f"claims-{first}.svg"), "wrote",
        str(tmp_path / f"claims-{first}.png"), "wrote", str(tmp_path / f"claims-{first}.txt")]
    assert main(["charts", "--out", str(tmp_path), "--incident", "SYR-1900-0001"]) == 2
    assert "unknown incident id" in capsys.readouterr().err


def test_charts_attach_alt_text_of_what_they_drew():
    fig = plot.claims(MANY, root=FIXTURE).figure
    assert fig.alt_text.startswith("Chart of the claims about one incident.")
    assert "left out for lack of room" in fig.alt_text
    fig = plot.claimed_vs_disputed(root=FIXTURE).figure
    assert "Only the" in fig.alt_text and "most recent" in fig.alt_text
    assert plot.timeline(root=FIXTURE).figure.alt_text == plot.describe("timeline", root=FIXTURE)
