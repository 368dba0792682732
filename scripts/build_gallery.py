"""Regenerate docs/gallery/ from the bundled data and print a Markdown snippet listing it.

Usage: python scripts/build_gallery.py [--dpi N]

Writes PNG charts at the web size (16:9) with their alt text, after removing the charts of
an earlier run, so incidents that left the data leave the gallery too.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # no display needed, and the same pixels on every machine

from incidents.gallery import write_gallery  # noqa: E402

GALLERY = ROOT / "docs" / "gallery"
STALE = ("*.png", "*.txt")


def markdown(paths: list[Path]) -> str:
    """A Markdown list of the charts, each image with its alt text."""
    lines = ["## Chart gallery", ""]
    for png in (p for p in paths if p.suffix == ".png"):
        alt = png.with_suffix(".txt").read_text(encoding="utf-8").strip()
        alt = alt.replace("[", "(").replace("]", ")")  # brackets would end the alt text
        rel = png.relative_to(ROOT).as_posix()
        lines += [f"### {png.stem}", "", f"![{alt}]({rel})", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=100,
                        help="PNG resolution (default 100: 1280 x 720 pixels)")
    args = parser.parse_args(argv)
    GALLERY.mkdir(parents=True, exist_ok=True)
    for pattern in STALE:
        for old in GALLERY.glob(pattern):
            old.unlink()
    paths = write_gallery(GALLERY, formats=["png"], size="web", dpi=args.dpi)
    print(markdown(paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
