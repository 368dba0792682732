"""Writing files so that a crash, a full disk or a second writer never leaves half a file.

Every file the package writes (``fmt``, ``build``, charts, exports) goes through
:func:`atomic_path` (directly for the SQLite export, through :func:`atomic_write` for bytes):
the file is written as a temporary file in the same directory, fsynced, and renamed over the
target, so a reader sees either the old file or the new one. :func:`package_lock` keeps two
writers off one package.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".incidents.lock"


class WriteError(OSError):
    """A file could not be written; the original, if any, is left as it was."""


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield an empty temporary file beside ``path``; once written, put it in ``path``'s place.

    When the block ends without an error the temporary file is fsynced and renamed over
    ``path``, so a reader sees the old file or the whole new one; on an error it is removed
    and the original is left as it was. For a file a library builds itself from a path (a
    SQLite database); :func:`atomic_write` writes bytes through it.

    Raises
    ------
    WriteError
        When the file cannot be written (full disk, no permission, a link or a directory in
        the way). The message names the file. A symbolic link is refused, not followed, so
        that a write can never land outside the directory it names.
    """
    path = Path(path)
    if path.is_symlink():
        raise WriteError(errno.EPERM, "refusing to write through a symbolic link", str(path))
    if path.exists() and not path.is_file():
        raise WriteError(errno.EISDIR, "not a regular file", str(path))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp_name)
        with open(tmp_name, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp_name, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise WriteError(exc.errno or errno.EIO, exc.strerror or str(exc), str(path)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(path.parent)


def atomic_write(path: Path, data: bytes | bytearray | memoryview) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_path`).

    Parameters
    ----------
    path : pathlib.Path
        The file to write; a symbolic link is refused.
    data : bytes, bytearray or memoryview
        The complete new contents.

    Raises
    ------
    WriteError
        When the file cannot be written; the original is unchanged.
    """
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)


def _fsync_directory(directory: Path) -> None:
    # the rename itself is durable only once the directory entry is on disk
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def package_lock(root: Path, wait: bool = False) -> Iterator[None]:
    """Hold the package's write lock while the block runs.

    Parameters
    ----------
    root : pathlib.Path
        The data package directory.
    wait : bool
        Wait for another writer to finish instead of refusing at once.

    Raises
    ------
    WriteError
        When another process holds the lock and ``wait`` is false.
    """
    lock_path = Path(root) / LOCK_NAME
    if lock_path.is_symlink():
        raise WriteError(errno.EPERM, "refusing to lock through a symbolic link", str(lock_path))
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise WriteError(errno.EBUSY, "another incidents command is writing this package",
                             str(root)) from exc
        yield
    finally:
        os.close(fd)
