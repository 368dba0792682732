"""Regenerate datapackage.json from incidents/schema.py and the files in data/.

Usage: python scripts/build_datapackage.py [--check]
(the same as `incidents build [--check]`, runnable before the package is installed).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incidents.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["build", str(ROOT), *sys.argv[1:]]))
