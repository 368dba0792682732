"""Generate ``datapackage.json`` from :mod:`incidents.schema` and the files' bytes.

The output is deterministic: no timestamps, keys in a fixed order, so the committed file can
be compared byte for byte with what this module generates.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from incidents._version import __version__
from incidents.safeio import atomic_write
from incidents.vocab import TABLES

TABLE_ORDER = TABLES
#: Data Package v2 profiles (https://datapackage.org/standard/): ``$schema`` replaces v1's
#: ``profile``.
PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
CONTRIBUTORS = [
    {"title": "incidents maintainers", "roles": ["creator", "maintainer"]},
]
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
CODE_LICENSE = {
    "name": "MIT", "title": "MIT License", "path": "https://opensource.org/licenses/MIT",
}

_TYPES = {"int64": "integer", "Int64": "integer", "float64": "number", "bool": "boolean",
          "datetime64[ns]": "date", "category": "string"}


def _table_schema_type(dtype: str) -> str:
    if dtype.startswith(("str", "string")):
        return "string"
    return _TYPES[dtype]


def _field(name: str, column) -> dict:
    """Translate one pandera column into a Table Schema field.

    The models' custom checks (text safety, ISO codes) have no Table Schema constraint:
    they are listed in ``rules`` and in the field's description.
    """
    from incidents.schema import FIELD_CHECKS

    dtype = str(column.dtype)
    field: dict = {"name": name, "type": _table_schema_type(dtype),
                   "description": column.description}
    if field["type"] == "date":
        field["format"] = "%Y-%m-%d"
    if field["type"] == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    constraints: dict = {}
    if not column.nullable:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if dtype == "category":
        constraints["enum"] = [str(c) for c in column.dtype.type.categories]
    for check in column.checks:
        stats = check.statistics
        if check.name in FIELD_CHECKS:
            continue
        if check.name == "greater_than_or_equal_to":
            constraints["minimum"] = stats["min_value"]
        elif check.name == "less_than_or_equal_to":
            constraints["maximum"] = stats["max_value"]
        elif check.name == "str_matches":
            constraints["pattern"] = stats["pattern"]
        elif check.name == "str_length":
            constraints["maxLength"] = stats["max_value"]
        else:  # pragma: no cover - a new check kind must be mapped before it is used
            raise ValueError(f"no Table Schema constraint for pandera check {check.name!r}")
    if constraints:
        field["constraints"] = constraints
    codes = (column.metadata or {}).get("codes")
    if dtype == "category":
        # v2 categories carry each code's label for readers of the standard; ``enum`` stays
        # beside them because frictionless-py checks the enum, not the categories
        field["categories"] = [{"value": value, "label": codes.get(value, value) if codes
                                else value} for value in constraints["enum"]]
        field["categoriesOrdered"] = bool(column.dtype.type.ordered)
    if codes:
        field["codes"] = codes
    return field


def table_schema(table: str) -> dict:
    """Return the Table Schema of ``table`` generated from its pandera model.

    Parameters
    ----------
    table : str
        One of ``incidents``, ``claims``, ``sources``, ``actors``.

    Returns
    -------
    dict
        Fields, primary key, foreign keys and missing values, in Table Schema form.
    """
    from incidents import schema

    model = schema.MODELS[table]
    pandera_schema = model.to_schema()
    meta = model.Config.metadata or {}
    return {
        "$schema": TABLE_SCHEMA_PROFILE,
        "fields": [_field(name, col) for name, col in pandera_schema.columns.items()],
        "missingValues": [""],
        "primaryKey": list(meta["primary_key"]),
        "foreignKeys": [
            {"fields": [fk["fields"]],
             "reference": {"resource": fk["resource"], "fields": [fk["reference"]]}}
            for fk in meta["foreign_keys"]
        ],
    }


def file_stats(path: Path) -> tuple[int, str]:
    """Return the size in bytes and the sha256 hex digest of a regular file.

    The file is opened without blocking and its type checked on the open descriptor, so a
    FIFO or a device is refused (:class:`incidents.descriptor.PackageError`) instead of read
    for ever.
    """
    import os
    import stat

    from incidents.descriptor import PackageError

    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PackageError(f"{path}: is not a regular file; only regular files are hashed")
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def build_descriptor(root: Path) -> dict:
    """Build the data package descriptor for the CSV files under ``root / 'data'``.

    Parameters
    ----------
    root : pathlib.Path
        Directory holding ``data/<table>.csv``.

    Returns
    -------
    dict
        The complete ``datapackage.json`` content.
    """
    from incidents import schema
    from incidents.descriptor import checked_file

    resources = []
    for table in TABLE_ORDER:
        model = schema.MODELS[table]
        rel = f"data/{table}.csv"
        # the checks the loader applies: a regular file inside the package, never a link out
        size, sha256 = file_stats(checked_file(root / rel, root, rel))
        resources.append({
            "$schema": RESOURCE_PROFILE,
            "name": table,
            "type": "table",
            "title": model.Config.title,
            "description": (model.__doc__ or "").strip(),
            "path": rel,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": size,
            "hash": f"sha256:{sha256}",
            "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
            "schema": table_schema(table),
        })
    return {
        "$schema": PACKAGE_PROFILE,
        "name": "incidents",
        "title": "Contested casualty figures in conflict incidents",
        "description": (
            "Conflict incidents and the casualty figures each party claims for them: every "
            "figure with its claimant, its source and the words it rests on."
        ),
        "version": __version__,
        "licenses": [DATA_LICENSE],
        "code_license": CODE_LICENSE,
        "contributors": CONTRIBUTORS,
        "keywords": ["conflict", "casualties", "Syria", "fact-checking", "claims"],
        "rules": {name: rule.text for name, rule in schema.RULES.items()},
        "views": {"flat": schema.FLAT_VIEW},
        "resources": resources,
    }


def render(descriptor: dict) -> str:
    """Serialise a descriptor the one way the repository stores it."""
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def write_descriptor(root: Path) -> Path:
    """Regenerate ``root / 'datapackage.json'`` and return its path.

    The file is replaced atomically under the package's write lock; a ``datapackage.json``
    that is a symbolic link (or anything but a regular file) is refused, never written
    through.

    Raises
    ------
    incidents.descriptor.PackageError
        When ``datapackage.json`` is a symbolic link or not a regular file, or a data file
        is refused by :func:`incidents.descriptor.checked_file`.
    incidents.safeio.WriteError
        When the file cannot be written or another command holds the lock.
    """
    import os

    from incidents.descriptor import PackageError, file_kind
    from incidents.safeio import package_lock

    root = Path(root)
    path = root / "datapackage.json"
    with package_lock(root):
        if path.is_symlink():
            raise PackageError(f"{path}: is a symbolic link; refusing to write through it "
                               "(replace it with a regular file)")
        if path.exists() and not path.is_file():
            raise PackageError(f"{path}: is {file_kind(os.stat(path).st_mode)}, not a regular file")
        atomic_write(path, render(build_descriptor(root)).encode("utf-8"))
    return path
