"""Every check a contribution must pass, reported all at once.

The per-field rules (required, type, enum, pattern, minimum, maximum, maxLength, unique) are
read from the Table Schema that ``incidents build`` generates from :mod:`incidents.schema`,
always from the copy bundled with the package, so a contribution cannot loosen them by editing
its own ``datapackage.json``. The rules between fields and tables are in :mod:`incidents.rules`.
All checks run vectorised on pyarrow arrays, so a million rows cost about as much as reading
them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from incidents import canonical, rules
from incidents._paths import bundled_root, descriptor_path
from incidents.csvread import DEFAULT_MAX_BYTES, ParsedTable, read_text_table
from incidents.datapackage import TABLE_ORDER, file_stats
from incidents.load import read_descriptor, resource
from incidents.problems import Problem, Report


class UsageError(Exception):
    """The validator was asked to check something that is not a data package directory."""


_TYPE_PATTERNS = {
    "integer": r"^-?[0-9]+$",
    "number": r"^-?[0-9]+(\.[0-9]+)?$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "boolean": r"^(true|false)$",
}
_TYPE_WORDS = {"integer": "a whole number", "number": "a decimal number",
               "date": "a date written YYYY-MM-DD", "boolean": "true or false"}


@dataclass
class Table:
    """One table as checked: text cells, typed columns where they parse, line numbers."""

    name: str
    rel: str
    fields: list[dict]
    key: str
    parsed: ParsedTable
    typed: dict[str, pa.Array]

    @property
    def text(self) -> pa.Table:
        return self.parsed.table

    def column(self, name: str) -> pa.Array | None:
        """The text column ``name``, or None when the file lacks it."""
        if self.text is None or name not in self.text.column_names:
            return None
        return self.text.column(name).combine_chunks()

    def problems_at(self, mask, rule: str, message: str, column: str | None,
                    values: pa.Array | None = None, severity: str = "error") -> list[Problem]:
        """One problem per row where ``mask`` is true."""
        if mask is None:
            return []
        mask = pc.fill_null(mask, False)
        idx = pc.indices_nonzero(mask)
        if len(idx) == 0:
            return []
        shown = values if values is not None else (self.column(column) if column else None)
        cells = shown.take(idx).to_pylist() if shown is not None else [None] * len(idx)
        lines = self.parsed.lines[idx.to_numpy()]
        return [Problem(rule, message, self.rel, line=int(line), column=column,
                        value=None if v is None else str(v), severity=severity)
                for line, v in zip(lines, cells)]


def _header_problems(table: Table) -> list[Problem]:
    header = table.parsed.header
    expected = [f["name"] for f in table.fields]
    problems: list[Problem] = []
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        sep = next(s for s in (";", "\t", "|") if s in header[0])
        return [Problem("delimiter", f"the header is one cell holding {sep!r}: the file is "
                        f"not comma-separated", table.rel, line=1, value=header[0])]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem("column-duplicate", f"column {name!r} appears twice",
                                    table.rel, line=1, column=name))
        seen.add(name)
    missing = [n for n in expected if n not in seen]
    unknown = [n for n in header if n not in expected]
    for name in missing:
        near = _closest(name, unknown)
        extra = f" (is {near!r} meant to be it?)" if near else ""
        problems.append(Problem("column-missing", f"the header lacks column {name!r}{extra}",
                                table.rel, line=1, column=name))
    for name in dict.fromkeys(unknown):
        problems.append(Problem("column-unknown", f"column {name!r} is not in the schema",
                                table.rel, line=1, column=name))
    if not missing and not unknown and len(header) == len(expected) and header != expected:
        problems.append(Problem("column-order", "the columns are not in the schema's order "
                                f"({', '.join(expected)})", table.rel, line=1))
    return problems


def _closest(name: str, candidates: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return match[0] if match else None


def _field_problems(table: Table, today: date) -> list[Problem]:
    problems: list[Problem] = []
    for field in table.fields:
        name = field["name"]
        col = table.column(name)
        if col is None:
            continue
        cons = field.get("constraints", {})
        ftype = field["type"]
        present = pc.is_valid(col)
        if cons.get("required"):
            problems += table.problems_at(pc.invert(present), "required",
                                          f"{name} is required", name)
        problems += table.problems_at(
            pc.match_substring_regex(col, r"[\x00-\x1f\x7f]"), "no-control-characters",
            "the cell holds a control character", name)
        if ftype == "string" and "enum" not in cons and "pattern" not in cons:
            problems += table.problems_at(
                pc.match_substring_regex(col, r"^[=+\-@]"), "no-formula-prefix",
                "the cell opens with a character spreadsheets read as a formula", name)
        typed = col
        if ftype in _TYPE_PATTERNS:
            well_formed = pc.match_substring_regex(col, _TYPE_PATTERNS[ftype])
            problems += table.problems_at(pc.invert(well_formed), "type",
                                          f"{name} must be {_TYPE_WORDS[ftype]}", name)
            clean = pc.if_else(well_formed, col, pa.scalar(None, pa.string()))
            if ftype == "integer":
                # Digits beyond int64 are not counts anyone reports; flag them as type errors.
                too_long = pc.greater(pc.utf8_length(clean), 15)
                problems += table.problems_at(too_long, "type", f"{name} is too large", name)
                clean = pc.if_else(too_long, pa.scalar(None, pa.string()), clean)
                typed = pc.cast(clean, pa.int64())
            elif ftype == "number":
                typed = pc.cast(clean, pa.float64())
            elif ftype == "boolean":
                typed = pc.equal(clean, "true")
            elif ftype == "date":
                stamp = pc.strptime(clean, format="%Y-%m-%d", unit="s", error_is_null=True)
                # strptime rolls 2019-02-30 over to 2019-03-02: a real date prints back as read
                real = pc.equal(pc.strftime(stamp, format="%Y-%m-%d"), clean)
                typed = pc.if_else(real, pc.cast(stamp, pa.date32()),
                                   pa.scalar(None, pa.date32()))
                impossible = pc.and_(pc.is_valid(clean), pc.invert(pc.fill_null(real, False)))
                problems += table.problems_at(impossible, "date-real",
                                              f"{name} is not a real date", name)
                future = pc.greater(typed, pa.scalar(today, pa.date32()))
                problems += table.problems_at(future, "date-not-future",
                                              f"{name} is after today ({today})", name)
        if "enum" in cons:
            allowed = cons["enum"]
            outside = pc.and_(present, pc.invert(pc.is_in(col, pa.array(allowed))))
            problems += table.problems_at(outside, "enum", f"{name} must be one of: "
                                          f"{', '.join(allowed)}", name)
        if "pattern" in cons:
            off = pc.invert(pc.match_substring_regex(col, cons["pattern"]))
            problems += table.problems_at(off, "pattern", f"{name} must match "
                                          f"{cons['pattern']}", name)
        if "maxLength" in cons:
            long = pc.greater(pc.utf8_length(col), cons["maxLength"])
            problems += table.problems_at(long, "max-length", f"{name} is longer than "
                                          f"{cons['maxLength']} characters", name)
        if "minimum" in cons and ftype in ("integer", "number"):
            problems += table.problems_at(pc.less(typed, cons["minimum"]), "minimum",
                                          f"{name} is below {cons['minimum']}", name)
        if "maximum" in cons and ftype in ("integer", "number"):
            problems += table.problems_at(pc.greater(typed, cons["maximum"]), "maximum",
                                          f"{name} is above {cons['maximum']}", name)
        if cons.get("unique"):
            problems += table.problems_at(_duplicated(col), "unique",
                                          f"{name} is not unique", name)
        table.typed[name] = typed
    return problems


def _duplicated(col: pa.Array) -> pa.Array:
    """True for every non-null value that occurs more than once."""
    import pandas as pd

    series = pd.Series(col.to_pandas(types_mapper=pd.ArrowDtype))
    return pa.array(series.duplicated(keep=False).to_numpy() & series.notna().to_numpy())


def _canonical_problems(table: Table) -> list[Problem]:
    parsed = table.parsed
    expected = [f["name"] for f in table.fields]
    if parsed.table is None or parsed.header != expected or parsed.problems:
        return []  # the structural problems already reported say more
    order = canonical.sort_order(parsed.table, table.key)
    if not pc.all(pc.equal(order, pa.array(np.arange(len(order))))).as_py():
        first = int(np.argmax(order.to_numpy() != np.arange(len(order))))
        return [Problem("canonical-form", f"rows are not sorted by {table.key}", table.rel,
                        line=int(parsed.lines[first]), column=table.key)]
    if canonical.render_table(expected, parsed.table) != parsed.raw:
        return [Problem("canonical-form", "cells are not quoted the canonical way (quotes "
                        "only where a cell holds a comma, a quote or a line break)",
                        table.rel)]
    return []


def _descriptor_problems(root: Path, expected: dict) -> list[Problem]:
    """Is the package's datapackage.json present, well-formed and in step with the files?"""
    path = descriptor_path(root)
    rel = path.name
    if not path.is_file():
        return [Problem("datapackage-missing", "datapackage.json does not exist", rel)]
    try:
        actual = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        return [Problem("datapackage-malformed", f"not UTF-8: {exc.reason}", rel)]
    except json.JSONDecodeError as exc:
        return [Problem("datapackage-malformed", f"not valid JSON: {exc.msg}", rel,
                        line=exc.lineno)]
    if not isinstance(actual, dict) or not isinstance(actual.get("resources"), list):
        return [Problem("datapackage-malformed", "it has no list of resources", rel)]
    problems = []
    by_name = {r.get("name"): r for r in actual["resources"] if isinstance(r, dict)}
    for table in TABLE_ORDER:
        res = by_name.get(table)
        if res is None:
            problems.append(Problem("datapackage-stale", f"no resource {table!r}", rel))
            continue
        want = resource(expected, table)
        if res.get("schema") != want["schema"]:
            problems.append(Problem("datapackage-stale", f"the schema of {table!r} is not the "
                                    "one incidents.schema generates", rel, column=table))
        data = root / want["path"]
        if data.is_file():
            size, sha256 = file_stats(data)
            if res.get("bytes") != size or res.get("hash") != f"sha256:{sha256}":
                problems.append(Problem(
                    "datapackage-stale", f"{want['path']} has {size} bytes and sha256 "
                    f"{sha256[:12]}…, the descriptor says {res.get('bytes')} bytes and "
                    f"{str(res.get('hash'))[7:19]}…", rel, column=table))
    return problems


def validate_package(path=None, *, today: date | None = None,
                     max_bytes: int = DEFAULT_MAX_BYTES, check_descriptor: bool = True) -> Report:
    """Check a data package directory and report every problem at once.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A directory holding ``datapackage.json`` and ``data/<table>.csv`` (default: the
        bundled data).
    today : datetime.date, optional
        The date after which dates count as future (default: today).
    max_bytes : int
        Refuse any table file larger than this.
    check_descriptor : bool
        Also check that ``datapackage.json`` is in step with the files.

    Returns
    -------
    Report
        Every problem found; ``report.ok`` tells whether the package is valid.

    Raises
    ------
    UsageError
        When ``path`` is not a directory.
    """
    root = Path(path) if path is not None else bundled_root()
    if not root.is_dir():
        raise UsageError(f"{root} is not a directory holding datapackage.json and data/")
    today = today or date.today()
    expected = read_descriptor(bundled_root())
    report = Report(str(root))
    tables: dict[str, Table] = {}
    for name in TABLE_ORDER:
        res = resource(expected, name)
        parsed = read_text_table(root / res["path"], res["path"], max_bytes=max_bytes)
        table = Table(name, res["path"], res["schema"]["fields"],
                      res["schema"]["primaryKey"][0], parsed, {})
        report.problems += parsed.problems
        if parsed.table is None:
            continue
        report.problems += _header_problems(table)
        if any(p.rule == "delimiter" for p in report.problems if p.file == table.rel):
            continue
        report.problems += _field_problems(table, today)
        report.problems += _canonical_problems(table)
        tables[name] = table
    report.problems += rules.check(tables, expected)
    if check_descriptor:
        report.problems += _descriptor_problems(root, expected)
    return report
