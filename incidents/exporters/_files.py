"""Output directories for the exporters."""

from __future__ import annotations

import errno
from pathlib import Path

from incidents.safeio import WriteError


def out_dir(path: Path) -> Path:
    """Create ``path`` (and parents) when missing; refuse a file or a link in its place."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise WriteError(errno.ENOTDIR, "not a directory", str(path))
    path.mkdir(parents=True, exist_ok=True)
    return path
