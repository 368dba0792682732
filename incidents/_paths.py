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


def descriptor_path(root: Path | str | None = None) -> Path:
    """Return the path of ``datapackage.json`` under ``root`` (default: the bundled data)."""
    return (Path(root) if root is not None else bundled_root()) / DESCRIPTOR_NAME


def package_root(path: Path | str | None = None, cwd: Path | None = None) -> Path:
    """Return the data package a command works on.

    ``path`` when given; else the current directory when it holds a ``datapackage.json``
    (a checkout or a contributor's copy); else the bundled data.

    Parameters
    ----------
    path : pathlib.Path or str, optional
        A directory given on the command line.
    cwd : pathlib.Path, optional
        The directory to look in (default: the current directory).

    Returns
    -------
    pathlib.Path
        The package directory.
    """
    if path is not None:
        return Path(path)
    here = Path(cwd) if cwd is not None else Path.cwd()
    if (here / DESCRIPTOR_NAME).exists() or (here / DESCRIPTOR_NAME).is_symlink():
        return here
    return bundled_root()


def is_installed_copy(root: Path) -> bool:
    """Whether ``root`` is the copy of the data installed with the package (in a wheel)."""
    wheel_root = _PACKAGE_DIR / "_data"
    try:
        return Path(root).resolve() == wheel_root.resolve() and wheel_root.is_dir()
    except OSError:
        return False


def describe_root(root: Path) -> str:
    """The first line a command prints: which package it works on.

    Parameters
    ----------
    root : pathlib.Path
        The package directory.

    Returns
    -------
    str
        e.g. ``package: /home/me/incidents (current directory)``.
    """
    root = Path(root)
    try:
        shown = root.resolve()
    except OSError:
        shown = root
    if is_installed_copy(root):
        where = "the data installed with incidents"
    elif shown == Path.cwd().resolve():
        where = "current directory"
    elif shown == bundled_root().resolve():
        where = "the data bundled with incidents"
    else:
        where = "given path"
    return f"package: {shown} ({where})"
