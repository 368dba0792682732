"""Where the bundled data lives: inside the installed wheel, else the source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
DESCRIPTOR_NAME = "datapackage.json"


def bundled_root() -> Path:
    """Return the directory holding ``datapackage.json`` and ``data/`` for the bundled data.

    A wheel carries them in ``incidents/_data``; an editable install or a checkout reads
    them from the repository root, one level above the package.

    Returns
    -------
    pathlib.Path
        The data package directory.
    """
    wheel_root = _PACKAGE_DIR / "_data"
    if (wheel_root / DESCRIPTOR_NAME).is_file():
        return wheel_root
    return _PACKAGE_DIR.parent


def descriptor_path(root: Path | None = None) -> Path:
    """Return the path of ``datapackage.json`` under ``root`` (default: the bundled data)."""
    return (root if root is not None else bundled_root()) / DESCRIPTOR_NAME
