"""Regenerate docs/gallery/ from the bundled data and the README's gallery block.

Usage: python scripts/build_gallery.py [--dpi N] [--check-readme]

Writes the overview charts of ``incidents charts`` and the claims charts of a few chosen
incidents (PNG at the web size, each with its alt text), plus
the revisions charts and sourced tables of the featured incidents, after removing the files
of an earlier run so incidents that left the data leave the gallery too. Then rewrites the
part of README.md between ``<!-- BEGIN gallery -->`` and ``<!-- END gallery -->``.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # no display needed, and the same pixels on every machine

import incidents  # noqa: E402
from incidents.gallery import DEFAULT_DPI, write_gallery  # noqa: E402
from incidents.safeio import atomic_write  # noqa: E402

GALLERY = ROOT / "docs" / "gallery"
README = ROOT / "README.md"
STALE = ("*.png", "*.txt", "*.md", "*.csv")
#: Incidents whose revisions and sourced table are featured: a chemical attack whose toll
#: rose over days, and a months-long campaign the coalition and the monitors count apart.
FEATURED = ("SYR-2017-0005", "SYR-2017-0009")
#: Incidents whose claims charts the gallery keeps (every incident's chart is one
#: `incidents charts` away): the featured ones, the strike the README opens with, and one
#: contested incident per party accused.
GALLERY_INCIDENTS = (*FEATURED, "SYR-2016-0002", "SYR-2014-0001", "SYR-2016-0300",
                     "SYR-2018-0103", "SYR-2019-0300", "SYR-2016-0304", "SYR-2016-0323",
                     "SYR-2017-0216", "SYR-2018-0003")
#: The charts shown in the README, in order (file stems in docs/gallery).
README_CHARTS = ("latest-civilians-killed", "gap-civilians-killed", "claims-SYR-2017-0005",
                 "revisions-SYR-2017-0005", "panels-SYR-2017-0009", "claims-SYR-2016-0002",
                 "timeline")


def write_featured(dpi: int) -> list[Path]:
    """Revisions charts and sourced tables (Markdown, Datawrapper CSV) of the featured.

    Also one two-panel figure (claims beside revisions) of the second featured incident.
    """
    import matplotlib.pyplot as plt

    from incidents import plot

    written = []
    for incident_id in FEATURED:
        fig = plot.revisions(incident_id).figure
        png = GALLERY / f"revisions-{incident_id}.png"
        atomic_write(png, plot.save_bytes(fig, "png", dpi=dpi))
        alt = png.with_suffix(".txt")
        atomic_write(alt, (fig.alt_text + "\n").encode("utf-8"))
        plt.close(fig)
        table = incidents.table(incident_id)
        md = GALLERY / f"table-{incident_id}.md"
        atomic_write(md, incidents.table.to_markdown(table).encode("utf-8"))
        dw = GALLERY / f"table-{incident_id}.csv"
        atomic_write(dw, incidents.table.to_datawrapper_csv(table).encode("utf-8"))
        written += [png, alt, md, dw]
    # one figure, one headline: the campaign's claims beside how the counts moved
    raqqa = FEATURED[1]
    fig = plot.panels([("claims", {"incident_id": raqqa, "latest_only": True}),
                       ("revisions", {"incident_id": raqqa})])
    png = GALLERY / f"panels-{raqqa}.png"
    atomic_write(png, plot.save_bytes(fig, "png", dpi=dpi))
    atomic_write(png.with_suffix(".txt"), (fig.alt_text + "\n").encode("utf-8"))
    plt.close(fig)
    return [*written, png, png.with_suffix(".txt")]


def readme_block() -> str:
    """The README's gallery section: how it is made, then each featured chart with alt text."""
    lines = [
        "Generated from the bundled data by `python scripts/build_gallery.py`: the overviews",
        "and a chosen set of incidents are in [docs/gallery/](docs/gallery/), each with its",
        "alt text (`.txt`, the point first), and the featured incidents' sourced tables as",
        "Markdown and Datawrapper CSV. `incidents charts [PATH] --out DIR` writes every",
        "incident's chart for any data package, as PNG, SVG (text kept as text) or PDF, at",
        "web, square, column or two-column size.",
        "",
    ]
    for stem in README_CHARTS:
        png = GALLERY / f"{stem}.png"
        alt = png.with_suffix(".txt").read_text(encoding="utf-8").split("\n")[0].strip()
        alt = alt.replace("[", "(").replace("]", ")")  # brackets would end the alt text
        lines += [f"![{alt}](docs/gallery/{stem}.png)", ""]
    return "\n".join(lines).rstrip() + "\n"


def update_readme(check: bool = False) -> bool:
    """Rewrite the gallery block of README.md; return True when it changed (or would)."""
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- BEGIN gallery -->\n).*?(<!-- END gallery -->)", re.S)
    if not pattern.search(text):
        raise SystemExit("README.md has no <!-- BEGIN gallery --> ... <!-- END gallery --> block")
    new = pattern.sub(lambda m: m.group(1) + readme_block() + m.group(2), text)
    if new != text and not check:
        atomic_write(README, new.encode("utf-8"))
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                        help=f"PNG resolution (default {DEFAULT_DPI}: 1,600 pixels wide)")
    parser.add_argument("--check-readme", action="store_true",
                        help="only check that README.md's gallery block is current (exit 1 "
                             "if not); writes nothing")
    args = parser.parse_args(argv)
    if args.check_readme:
        return 1 if update_readme(check=True) else 0
    GALLERY.mkdir(parents=True, exist_ok=True)
    for pattern in STALE:
        for old in GALLERY.glob(pattern):
            old.unlink()
    paths = write_gallery(GALLERY, formats=["png"], incident_ids=GALLERY_INCIDENTS,
                          size="web", dpi=args.dpi, overview=True)
    paths += write_featured(args.dpi)
    changed = update_readme()
    print(f"wrote {len(paths)} files to {GALLERY.relative_to(ROOT)}; README.md "
          f"{'updated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
