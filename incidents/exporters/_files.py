"""Output paths and the one file kind that cannot be written from bytes (SQLite)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from incidents.safeio import WriteError


def out_dir(path: Path) -> Path:
    """Create ``path`` (and parents) when missing; refuse a file or a link in its place."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise WriteError(errno.ENOTDIR, "not a directory", str(path))
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def built_in_place(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it over ``path``.

    For files a library builds itself (a SQLite database): the same guarantee as
    :func:`incidents.safeio.atomic_write`, a reader sees the old file or the whole new one.
    """
    path = Path(path)
    if path.is_symlink():
        raise WriteError(errno.EPERM, "refusing to write through a symbolic link", str(path))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.unlink(tmp_name)  # the library creates the file itself
    try:
        yield Path(tmp_name)
        with open(tmp_name, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise WriteError(exc.errno or errno.EIO, exc.strerror or str(exc), str(path)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
