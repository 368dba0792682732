"""``incidents fmt``: rewrite every table file of a package in canonical form."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from incidents import canonical
from incidents._paths import bundled_root
from incidents.datapackage import TABLE_ORDER
from incidents.descriptor import read_descriptor, resource


def format_package(root: Path, check: bool = False) -> tuple[list[Path], list[str]]:
    """Put every table file under ``root`` in canonical form.

    Parameters
    ----------
    root : pathlib.Path
        A data package directory.
    check : bool
        Only report which files are not canonical; write nothing.

    Returns
    -------
    (list of pathlib.Path, list of str)
        The files that were (or, with ``check``, would be) rewritten, and the files that could
        not be formatted without changing data, with the reason.
    """
    expected = read_descriptor(bundled_root())
    changed: list[Path] = []
    errors: list[str] = []
    for table in TABLE_ORDER:
        res = resource(expected, table)
        path = root / res["path"]
        if not path.is_file():
            errors.append(f"{path}: missing")
            continue
        columns = [f["name"] for f in res["schema"]["fields"]]
        target = path
        if check:
            tmp = Path(tempfile.mkdtemp()) / path.name
            shutil.copyfile(path, tmp)
            target = tmp
        try:
            if canonical.format_file(target, columns, res["schema"]["primaryKey"][0]):
                changed.append(path)
        except (ValueError, UnicodeDecodeError) as exc:
            errors.append(f"{path}: cannot be formatted without changing data: {exc}")
        finally:
            if check:
                shutil.rmtree(target.parent, ignore_errors=True)
    return changed, errors
