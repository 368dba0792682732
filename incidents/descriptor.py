"""The package's ``datapackage.json``, read safely, and the one place a table's file is found.

Kept apart from the loaders: the validator, the formatter and the writer need the descriptor,
not the tables. Everything that opens a package file goes through :func:`resource_path` (or
:func:`checked_file`), so what the validator checks is what the loader reads, and nothing
outside the package directory is read:

- a resource ``path`` must be one relative POSIX path without ``..``, not a URL and not
  absolute;
- the file it names must be a regular file inside the package directory once symbolic links
  are followed: a link leading out of the package, a device, a FIFO, a socket or a directory
  is refused with a message saying which it is.

Limits: ``datapackage.json`` may hold at most :data:`MAX_DESCRIPTOR_BYTES` (1 MiB) and nest
at most :data:`MAX_DESCRIPTOR_DEPTH` (32) arrays or objects deep; the generated descriptor
needs about 60 KiB and a depth of 7.
"""

from __future__ import annotations

import json
import os
import re
import stat
from functools import lru_cache
from pathlib import Path, PurePosixPath

from incidents._paths import DESCRIPTOR_NAME, descriptor_path

#: Largest ``datapackage.json`` read, in bytes (1 MiB).
MAX_DESCRIPTOR_BYTES = 1 << 20
#: Deepest nesting of arrays and objects accepted in ``datapackage.json``.
MAX_DESCRIPTOR_DEPTH = 32

# "http:", "file:", "s3:", ... ; a Windows drive ("C:") is refused as absolute as well
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class PackageError(ValueError):
    """A data package's descriptor or one of its paths cannot be used safely.

    The message names the file (or resource) and says what is wrong with it.
    """


class MissingFile(PackageError):
    """A file the package names does not exist (the validator reports it as a problem)."""


class NotRegularFile(PackageError):
    """A path inside the package names a directory, FIFO, device or socket, not a file."""


class MalformedDescriptor(PackageError):
    """``datapackage.json`` is not UTF-8 JSON holding an object, or lacks a resource.

    Unlike the other :class:`PackageError` cases this is an ordinary broken contribution,
    which the validator reports with the rest of its problems.
    """


def file_kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words ("a FIFO", "a directory", ...)."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a file"
    return "not a regular file"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def checked_file(path: Path, root: Path, what: str | None = None) -> Path:
    """Return ``path`` when it is a regular file inside ``root``; else raise.

    Parameters
    ----------
    path : pathlib.Path
        The file, usually ``root / something``.
    root : pathlib.Path
        The data package directory.
    what : str, optional
        How to name the file in a message (default: ``path``).

    Returns
    -------
    pathlib.Path
        ``path`` itself.

    Raises
    ------
    PackageError
        When the file does not exist, is a directory, a FIFO, a device or a socket, or is
        (or passes through) a symbolic link that leads outside the package.
    """
    name = what or str(path)
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise PackageError(f"{name}: cannot be read: {exc.strerror}") from exc
    if not _inside(real, real_root):
        linked = os.path.islink(path) or real != Path(os.path.abspath(path))
        target = file_kind(info.st_mode) if info is not None else "a path that does not exist"
        if linked:
            raise PackageError(f"{name}: is a symbolic link to {target} outside the package "
                               f"({real}); only files inside the package directory are read")
        raise PackageError(f"{name}: lies outside the package directory")
    if info is None:
        raise MissingFile(f"{name}: does not exist")
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(f"{name}: is {file_kind(info.st_mode)}, not a regular file")
    return path


def read_limited(path: Path, limit: int, what: str | None = None) -> bytes:
    """Read a regular file of at most ``limit`` bytes without ever blocking.

    The file is opened with ``O_NONBLOCK`` (and without following a final symbolic link,
    where the system allows it), its type checked on the open descriptor, and at most
    ``limit + 1`` bytes are read, so a FIFO swapped in after a check cannot hang the reader
    and a file growing without end cannot exhaust memory.

    Raises
    ------
    PackageError
        When the file is not a regular file or is larger than ``limit``.
    """
    name = what or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(os.path.realpath(path), flags)
    except OSError as exc:
        raise PackageError(f"{name}: cannot be read: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PackageError(f"{name}: is {file_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise PackageError(f"{name}: is {info.st_size} bytes, more than the limit of "
                               f"{limit} bytes")
        chunks, size = [], 0
        while size <= limit:
            block = os.read(fd, min(1 << 20, limit + 1 - size))
            if not block:
                break
            chunks.append(block)
            size += len(block)
    finally:
        os.close(fd)
    if size > limit:
        raise PackageError(f"{name}: grew past the limit of {limit} bytes while being read")
    return b"".join(chunks)


def _depth_exceeded(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit``.

    Checked before parsing, so the JSON parser never recurses far enough to fail.
    """
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def parse_descriptor(path: Path, root: Path | None = None) -> dict:
    """Read and parse a ``datapackage.json`` within the size and depth limits.

    Parameters
    ----------
    path : pathlib.Path
        The descriptor file.
    root : pathlib.Path, optional
        The package directory it must lie in (default: its parent).

    Returns
    -------
    dict
        The parsed descriptor.

    Raises
    ------
    PackageError
        When the file is not a regular file inside the package, exceeds
        :data:`MAX_DESCRIPTOR_BYTES` or :data:`MAX_DESCRIPTOR_DEPTH`, is not UTF-8 JSON, or
        is not a JSON object.
    """
    path = Path(path)
    checked_file(path, Path(root) if root is not None else path.parent)
    raw = read_limited(path, MAX_DESCRIPTOR_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedDescriptor(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") \
            from exc
    if _depth_exceeded(text, MAX_DESCRIPTOR_DEPTH):
        raise PackageError(f"{path}: nests arrays or objects more than "
                           f"{MAX_DESCRIPTOR_DEPTH} deep")
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedDescriptor(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, "
                                  f"column {exc.colno})") from exc
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise PackageError(f"{path}: nested too deeply") from exc
    if not isinstance(descriptor, dict):
        raise MalformedDescriptor(f"{path}: holds {type(descriptor).__name__}, not a JSON "
                                  "object")
    return descriptor


@lru_cache(maxsize=8)
def _descriptor_cached(path: str, root: str, mtime_ns: int, size: int) -> dict:
    return parse_descriptor(Path(path), Path(root))


def read_descriptor(root: Path | None = None) -> dict:
    """Return the parsed ``datapackage.json`` of ``root`` (default: the bundled data).

    Parameters
    ----------
    root : pathlib.Path, optional
        A data package directory.

    Returns
    -------
    dict
        The descriptor. It is cached: treat it as read-only.

    Raises
    ------
    PackageError
        As for :func:`parse_descriptor`.
    """
    path = descriptor_path(root)
    checked_file(path, path.parent, str(path))
    info = path.stat()
    return _descriptor_cached(str(path), str(path.parent), info.st_mtime_ns, info.st_size)


def resource(descriptor: dict, table: str) -> dict:
    """Return the resource called ``table`` in ``descriptor``.

    Raises
    ------
    PackageError
        When the descriptor has no list of resources, a resource is not an object or its
        ``name`` is not a string, or no resource is called ``table``.
    """
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise MalformedDescriptor(f"{DESCRIPTOR_NAME}: has no list of resources")
    for number, res in enumerate(resources, start=1):
        if not isinstance(res, dict):
            raise PackageError(f"{DESCRIPTOR_NAME}: resource {number} is "
                               f"{type(res).__name__}, not an object")
        name = res.get("name")
        if not isinstance(name, str):
            raise PackageError(f"{DESCRIPTOR_NAME}: resource {number} has a name that is "
                               f"{type(name).__name__}, not a string: {name!r:.60}")
        if name == table:
            return res
    raise MalformedDescriptor(f"{DESCRIPTOR_NAME}: has no resource named {table!r}")


def check_relative_path(value: object, what: str) -> str:
    """Return ``value`` when it is a safe relative path inside a package, else raise.

    Safe: a non-empty string, POSIX separators, not absolute, no ``..`` component, no URL
    scheme, no NUL or backslash.

    Raises
    ------
    PackageError
        Naming ``what`` and the rule the value breaks.
    """
    if isinstance(value, list):
        raise PackageError(f"{what}: a list of paths is not supported; give one relative "
                           "path such as 'data/claims.csv'")
    if not isinstance(value, str) or not value:
        raise PackageError(f"{what}: the path must be a non-empty string, not {value!r:.60}")
    shown = value.encode("unicode_escape").decode("ascii")[:200]
    if _SCHEME.match(value) or value.startswith("//"):
        raise PackageError(f"{what}: {shown!r} is a URL or drive; a resource path must be "
                           "relative to the package directory")
    if "\x00" in value or "\\" in value:
        raise PackageError(f"{what}: {shown!r} holds a NUL or a backslash; use '/' "
                           "between the parts of a relative path")
    pure = PurePosixPath(value)
    if pure.is_absolute():
        raise PackageError(f"{what}: {shown!r} is an absolute path; a resource path must be "
                           "relative to the package directory")
    if ".." in pure.parts:
        raise PackageError(f"{what}: {shown!r} contains '..'; a resource path must stay "
                           "inside the package directory")
    return value


def resource_path(root: Path, descriptor: dict, table: str) -> Path:
    """The file of resource ``table``, checked to be a regular file inside ``root``.

    The one function the loader, the summary, ``build`` and the validator use to find a
    table's file, so all of them read the same file, named by the package's own descriptor.

    Parameters
    ----------
    root : pathlib.Path
        The data package directory.
    descriptor : dict
        Its parsed ``datapackage.json`` (see :func:`read_descriptor`).
    table : str
        The resource name, e.g. ``"claims"``.

    Returns
    -------
    pathlib.Path
        ``root / path`` for the resource's relative ``path``.

    Raises
    ------
    PackageError
        When the resource is missing or its path is not a relative path to a regular file
        inside the package (a URL, an absolute path, ``..``, a symbolic link leading out, a
        device, a FIFO, a directory, a file that does not exist); the message says which.
    """
    res = resource(descriptor, table)
    rel = check_relative_path(res.get("path"), f"{DESCRIPTOR_NAME}: resource {table!r}")
    return checked_file(Path(root) / rel, Path(root), rel)


def confinement_problems(root: Path, tables: tuple[str, ...] | None = None) -> list[str]:
    """What makes a package unsafe to read at all, as messages (empty when nothing does).

    Unsafe: a ``datapackage.json`` or data file that is a link out of the package, a device,
    a FIFO or a directory, over the size or depth limit, a resource name that is not a
    string, a resource path that is absolute, a URL or leaves the package. A missing file or
    a descriptor that is merely malformed is not listed: it is an ordinary problem the
    validator reports.

    Parameters
    ----------
    root : pathlib.Path
        The data package directory.
    tables : tuple of str, optional
        The resources to check (default: every table of the package).

    Returns
    -------
    list of str
        One message per unsafe file, each naming it and saying what it is.
    """
    from incidents.vocab import TABLES

    root = Path(root)
    try:
        descriptor = read_descriptor(root)
    except (MissingFile, MalformedDescriptor):
        return []
    except PackageError as exc:
        return [str(exc)]
    problems = []
    for table in tables if tables is not None else tuple(TABLES):
        try:
            resource_path(root, descriptor, table)
        except (MissingFile, MalformedDescriptor):
            pass
        except PackageError as exc:
            problems.append(str(exc))
        # the conventional file too, which a descriptor pointing elsewhere leaves unnamed
        default = f"data/{table}.csv"
        try:
            checked_file(root / default, root, default)
        except MissingFile:
            pass
        except PackageError as exc:
            if str(exc) not in problems:
                problems.append(str(exc))
    return problems
