"""Rewrite the generated blocks of README.md: python scripts/update_readme.py [--check]."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incidents.readme import render  # noqa: E402

if __name__ == "__main__":
    path = ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    fresh = render(current, ROOT)
    if "--check" in sys.argv:
        if fresh != current:
            sys.exit("README.md is out of date: run python scripts/update_readme.py")
        print("README.md is up to date")
    else:
        path.write_text(fresh, encoding="utf-8")
        print("README.md regenerated")
