"""Writing files so that a crash, a full disk or a second writer never leaves half a file.

Every file the package writes (``fmt``, ``build``, charts, exports) goes through
:func:`atomic_write`: the bytes go to a temporary file in the same directory, are flushed and
fsynced, and the temporary file is renamed over the target, so a reader sees either the old
file or the new one. :func:`package_lock` keeps two writers off one package.
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


def atomic_write(path: Path, data: bytes | bytearray | memoryview) -> None:
    """Replace ``path`` with ``data`` atomically.

    Parameters
    ----------
    path : pathlib.Path
        The file to write. A symbolic link is not followed: it is refused, so that a write
        can never land outside the directory it names.
    data : bytes, bytearray or memoryview
        The complete new contents.

    Raises
    ------
    WriteError
        When the file cannot be written (full disk, no permission, a link or a directory in
        the way). The message names the file; the original is unchanged.
    """
    path = Path(path)
    if path.is_symlink():
        raise WriteError(errno.EPERM, "refusing to write through a symbolic link", str(path))
    if path.exists() and not path.is_file():
        raise WriteError(errno.EISDIR, "not a regular file", str(path))
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise WriteError(exc.errno or errno.EIO, exc.strerror or str(exc), str(path)) from exc
    _fsync_directory(directory)


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
