"""Every check a contribution must pass, reported all at once.

The per-field rules (required, type, enum, pattern, minimum, maximum, maxLength, unique) are
read from the Table Schema that ``incidents build`` generates from :mod:`incidents.schema`,
always from the copy bundled with the package, so a contribution cannot loosen them by editing
its own ``datapackage.json``. The rules between fields and tables are in :mod:`incidents.rules`.
All checks run vectorised on pyarrow arrays, so a million rows cost about as much as reading
them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from incidents import canonical, cellparse, rules
from incidents._paths import bundled_root, descriptor_path
from incidents.arrowbytes import (
    chunks_of,
    dictionary_codes,
    string_buffers,
    take_rows,
    valid_mask,
)
from incidents.csvread import DEFAULT_MAX_BYTES, ParsedTable, read_text_table
from incidents.datapackage import TABLE_ORDER, file_stats
from incidents.descriptor import read_descriptor, resource
from incidents.problems import Problem, Report


class UsageError(Exception):
    """The validator was asked to check something that is not a data package directory."""


# integer and date cells are read from their bytes (incidents.cellparse), as these say
_TYPE_PATTERNS = {
    "number": r"^-?[0-9]+(\.[0-9]+)?$",
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
    key_sorted: bool | None = None  # the primary key has no nulls and is in order
    coded: frozenset = frozenset()  # columns checked through their distinct values
    _codes: dict = _field(default_factory=dict)
    _lock: threading.Lock = _field(default_factory=threading.Lock)

    @classmethod
    def of(cls, name: str, res: dict, parsed: ParsedTable) -> Table:
        """The table ``name`` as its descriptor resource ``res`` describes it."""
        schema = res["schema"]
        return cls(name, res["path"], schema["fields"], schema["primaryKey"][0], parsed, {},
                   coded=frozenset(fk["fields"][0] for fk in schema["foreignKeys"]))

    @property
    def text(self) -> pa.Table:
        """The cells as read (None when the file could not be read)."""
        return self.parsed.table

    def column(self, name: str) -> pa.Array | pa.ChunkedArray | None:
        """The text column ``name``, or None when the file lacks it.

        A column read in blocks stays in its chunks: the checks take chunked arrays, and
        combining them would copy every table once more.
        """
        if self.text is None or name not in self.text.column_names:
            return None
        column = self.text.column(name)
        return column.chunk(0) if column.num_chunks == 1 else column

    def encoded(self, name: str) -> tuple[np.ndarray, pa.Array]:
        """Dictionary codes of column ``name`` (-1 for null) and the distinct values.

        Computed once and shared: a reference column's million cells hold a few thousand
        values, and each check on those values is then a lookup by code.
        """
        with self._lock:
            if name not in self._codes:
                self._codes[name] = dictionary_codes(self.column(name))
            return self._codes[name]

    def enum_codes(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Where each cell of coded column ``name`` stands in its list of codes, and the list.

        -1 for null or for a value outside the list. Computed once and shared: the field
        check and the rules then compare small integers instead of strings.
        """
        allowed = next(f["constraints"]["enum"] for f in self.fields if f["name"] == name)
        with self._lock:
            key = ("enum", name)
            if key not in self._codes:
                found = pc.index_in(self.column(name), pa.array(allowed, pa.string()))
                self._codes[key] = pc.fill_null(found, -1).to_numpy(
                    zero_copy_only=False).astype(np.int8)
            return self._codes[key], allowed

    def problems_at(self, mask, rule: str, message: str, column: str | None,
                    values=None, severity: str = "error") -> list[Problem]:
        """One problem per row where ``mask`` is true.

        ``mask`` is a boolean pyarrow or numpy array (null counts as false), or None.
        ``values`` are the cells to show: an array as long as the table, or a function that
        is given the failing rows' indices and returns their cells, so that a shown value
        is built only for rows that fail.
        """
        if mask is None:
            return []
        if isinstance(mask, np.ndarray):
            if not mask.any():
                return []
            idx = pa.array(np.flatnonzero(mask))
        else:
            if not _any(mask):
                return []
            idx = pc.indices_nonzero(pc.fill_null(mask, False))
        if callable(values):
            cells = values(idx).to_pylist()
        else:
            shown = values if values is not None else (self.column(column) if column else None)
            cells = (take_rows(shown, idx.to_numpy(zero_copy_only=False)).to_pylist()
                     if shown is not None else [None] * len(idx))
        lines = self.parsed.lines[idx.to_numpy(zero_copy_only=False)]
        return [Problem(rule, message, self.rel, line=int(line), column=column,
                        value=None if v is None else str(v), severity=severity)
                for line, v in zip(lines, cells, strict=False)]


def _any(mask) -> bool:
    """Whether a boolean pyarrow array holds a true (nulls are not)."""
    if isinstance(mask, pa.ChunkedArray):
        return any(chunk.true_count for chunk in mask.chunks)
    return mask.true_count > 0


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


def _field_problems(table: Table, today: date, pool=None) -> list:
    """The checks of every field of ``table``: one list of problems per field.

    With ``pool``, each field is checked on it and its entry is a future of that list; the
    fields' problems keep the schema's order either way.
    """
    # One scan of the file's bytes can clear every cell of control characters at once.
    clean = _no_control_bytes(table.parsed)
    fields = [f for f in table.fields if table.column(f["name"]) is not None]
    if pool is None:
        return [_check_field(table, field, today, clean) for field in fields]
    return [pool.submit(_check_field, table, field, today, clean) for field in fields]


def _check_field(table: Table, field: dict, today: date, clean: bool) -> list[Problem]:
    """Every per-field rule of the Table Schema, for one column present in the file."""
    problems: list[Problem] = []
    name = field["name"]
    col = table.column(name)
    cons = field.get("constraints", {})
    ftype = field["type"]
    present = pc.is_valid(col)
    if cons.get("required") and col.null_count:
        problems += table.problems_at(pc.invert(present), "required",
                                      f"{name} is required", name)
    if not clean:
        problems += table.problems_at(
            pc.match_substring_regex(col, r"[\x00-\x1f\x7f]"), "no-control-characters",
            "the cell holds a control character", name)
    if ftype == "string" and "enum" not in cons and "pattern" not in cons:
        problems += table.problems_at(
            _formula_prefix(col), "no-formula-prefix",
            "the cell opens with a character spreadsheets read as a formula", name)
    typed = col
    if ftype in _TYPE_WORDS:
        typed, found = _typed(table, col, name, ftype, today)
        problems += found
    if "enum" in cons:
        codes, allowed = table.enum_codes(name)
        outside = (codes < 0) & present.to_numpy(zero_copy_only=False)
        problems += table.problems_at(outside, "enum", f"{name} must be one of: "
                                      f"{', '.join(allowed)}", name)
    if "pattern" in cons:
        off = _off_pattern(table, name, col, cons["pattern"])
        problems += table.problems_at(off, "pattern", f"{name} must match "
                                      f"{cons['pattern']}", name)
    if "maxLength" in cons and _longest_bytes(col) > cons["maxLength"]:
        # a cell has at least as many bytes as characters: count characters only
        # when some cell has more bytes than the limit
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
        problems += table.problems_at(_duplicated(col, sorted_=name == table.key and
                                                  _key_sorted(table)), "unique",
                                      f"{name} is not unique", name)
    table.typed[name] = typed
    return problems


def _typed(table: Table, col: pa.Array, name: str, ftype: str,
           today: date) -> tuple[pa.Array, list[Problem]]:
    """The column in its type (null where a cell does not parse) and the problems found."""
    must_be = f"{name} must be {_TYPE_WORDS[ftype]}"
    if ftype == "integer":
        typed, malformed, too_long = cellparse.whole_numbers(col)
        # digits beyond int64 are not counts anyone reports: type errors too
        return typed, (table.problems_at(malformed, "type", must_be, name)
                       + table.problems_at(too_long, "type", f"{name} is too large", name))
    if ftype == "date":
        typed, malformed, unreal = cellparse.dates(col)
        future = pc.greater(typed, pa.scalar(today, pa.date32()))
        return typed, (table.problems_at(malformed, "type", must_be, name)
                       + table.problems_at(unreal, "date-real", f"{name} is not a real date",
                                           name)
                       + table.problems_at(future, "date-not-future",
                                           f"{name} is after today ({today})", name))
    well_formed = pc.match_substring_regex(col, _TYPE_PATTERNS[ftype])
    problems = table.problems_at(pc.invert(well_formed), "type", must_be, name)
    clean = pc.if_else(well_formed, col, pa.scalar(None, pa.string()))
    if ftype == "number":
        return pc.cast(clean, pa.float64()), problems
    return pc.equal(clean, "true"), problems


def _off_pattern(table: Table, name: str, col, pattern: str):
    """True where a cell does not match ``pattern`` (null cells: null or false)."""
    if name not in table.coded:
        return pc.invert(pc.match_substring_regex(col, pattern))
    codes, values = table.encoded(name)
    if len(values) == 0:
        return None
    off = pc.invert(pc.match_substring_regex(values, pattern)).to_numpy(zero_copy_only=False)
    return (codes >= 0) & off[np.maximum(codes, 0)]


def _formula_prefix(col) -> np.ndarray | pa.Array:
    r"""True where a cell opens with = + - @ (the regex ^[=+\\-@], read off first bytes).

    A UTF-8 sequence never starts with an ASCII byte unless it is that character, so the
    first byte decides.
    """
    if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
        return pc.match_substring_regex(col, r"^[=+\-@]")
    marks = np.frombuffer(b"=+-@", dtype=np.uint8)
    found = [np.zeros(0, dtype=bool)]
    for chunk in chunks_of(col):
        offsets, data = string_buffers(chunk)
        starts, ends = offsets[:-1], offsets[1:]
        filled = (ends > starts) & valid_mask(chunk)
        first = np.zeros(len(chunk), dtype=np.uint8)
        first[filled] = data[starts[filled]]
        found.append(np.isin(first, marks) & filled)
    return np.concatenate(found)


def _longest_bytes(col) -> int:
    """The largest number of bytes in a cell (0 for an empty column)."""
    if len(col) == 0 or col.null_count == len(col):
        return 0
    if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
        return 1 << 62  # not a plain string array: let the character count decide
    return max(int(np.diff(string_buffers(chunk)[0]).max(initial=0))
               for chunk in chunks_of(col))


def _no_control_bytes(parsed: ParsedTable) -> bool:
    """True when no cell can hold a control character.

    The cells of a file whose rows are one line each hold no line break, and the file's
    bytes outside its line breaks hold no control byte: then no cell does. Otherwise the
    cells are searched one by one.
    """
    if not parsed.one_line_rows or parsed.table is None or parsed.line_breaks is None:
        return False
    data = np.frombuffer(parsed.raw, dtype=np.uint8)
    window = 1 << 24  # the comparisons' masks stay small
    below = 0
    for start in range(0, len(data), window):
        part = data[start:start + window]
        if (part == 0x7F).any():
            return False
        below += np.count_nonzero(part < 0x20)
    # every byte below 0x20 must be one of the line breaks the reader counted (a BOM
    # holds none)
    return below == parsed.line_breaks


def _key_sorted(table: Table) -> bool:
    """Whether the primary key column has no nulls and is in order (cached per table)."""
    if table.key_sorted is None:
        col = table.column(table.key)
        table.key_sorted = col is not None and col.null_count == 0 and canonical.is_sorted(col)
    return table.key_sorted


def _duplicated(col: pa.Array, sorted_: bool = False) -> np.ndarray:
    """True for every non-null value that occurs more than once.

    In a column already in order, equal values sit side by side; otherwise each value gets
    a dictionary code and the codes are counted.
    """
    if sorted_ and len(col) < 2:
        return np.zeros(len(col), dtype=bool)
    if sorted_:
        values = col
        same = pc.equal(values.slice(1), values.slice(0, len(values) - 1)).to_numpy(
            zero_copy_only=False)
        repeated = np.zeros(len(values), dtype=bool)
        repeated[1:] |= same
        repeated[:-1] |= same
        return repeated
    codes = dictionary_codes(col)[0]
    counts = np.bincount(codes[codes >= 0], minlength=1)
    return (codes >= 0) & (counts[np.maximum(codes, 0)] > 1)


def _canonical_problems(table: Table) -> list[Problem]:
    parsed = table.parsed
    expected = [f["name"] for f in table.fields]
    if parsed.table is None or parsed.header != expected or parsed.problems:
        return []  # the structural problems already reported say more
    # a key already in order needs no sort to show it (sort_indices is stable)
    if not _key_sorted(table):
        order = canonical.sort_order(parsed.table, table.key)
        if not pc.all(pc.equal(order, pa.array(np.arange(len(order))))).as_py():
            first = int(np.argmax(order.to_numpy() != np.arange(len(order))))
            return [Problem("canonical-form", f"rows are not sorted by {table.key}",
                            table.rel, line=int(parsed.lines[first]), column=table.key)]
    if not canonical.matches_table(expected, parsed.table, parsed.raw, parsed.one_line_rows):
        return [Problem("canonical-form", "cells are not quoted the canonical way (quotes "
                        "only where a cell holds a comma, a quote or a line break)",
                        table.rel)]
    return []


def _descriptor_problems(root: Path, expected: dict, stats=None) -> list[Problem]:
    """Check that datapackage.json is present, well-formed and in step with the files.

    ``stats`` may hold, per data file path, a future of its size and hash, begun when the
    file was read.
    """
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
            pending = (stats or {}).get(data)
            size, sha256 = pending.result() if pending is not None else file_stats(data)
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
    # Two cores: each field's checks, each table's canonical-form check, the files' hashes
    # and the costliest rules run on worker threads (Arrow, numpy and hashlib let go of the
    # GIL) while this thread reads the next file, smallest first, and runs the rules of one
    # table once that table is checked. Problems are gathered table by table in the order
    # of TABLE_ORDER, as they always were, so the report does not depend on the timing.
    parts: dict[str, list] = {name: [] for name in TABLE_ORDER}
    with ThreadPoolExecutor(max_workers=2) as pool:
        stats: dict = {}
        for name in sorted(TABLE_ORDER, key=lambda n: _size(root / resource(expected, n)["path"])):
            res = resource(expected, name)
            parsed = read_text_table(root / res["path"], res["path"], max_bytes=max_bytes)
            if check_descriptor and not any(
                    p.rule in ("file-missing", "file-too-large") for p in parsed.problems):
                # hash the bytes just read rather than read the file again at the end
                stats[root / res["path"]] = pool.submit(_bytes_stats, parsed.raw)
            table = Table.of(name, res, parsed)
            part = parts[name]
            part.append(parsed.problems)
            if parsed.table is None:
                continue
            header = _header_problems(table)
            part.append(header)
            if any(p.rule == "delimiter" for p in parsed.problems + header):
                continue
            canonical_form = pool.submit(_canonical_problems, table)
            part += _field_problems(table, today, pool)
            part.append(canonical_form)
            tables[name] = table
        single = {}
        for name, table in tables.items():
            if name in rules.SINGLE_TABLE:
                _wait(parts[name])
                single[name] = rules.SINGLE_TABLE[name](table)
        _release_bytes(tables, [p for part in parts.values() for p in part], stats)
        ordered = [p for name in TABLE_ORDER for p in parts[name]]
        ordered.append(rules.check(tables, expected, pool, single))
        for part in ordered:
            report.problems += part if isinstance(part, list) else part.result()
        if check_descriptor:
            report.problems += _descriptor_problems(root, expected, stats)
    return report


def _size(path: Path) -> int:
    """A file's size in bytes (0 when it cannot be read: the reader will say why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _wait(parts: list) -> None:
    """Wait until every future among ``parts`` is done."""
    for part in parts:
        if not isinstance(part, list):
            part.result()


def _release_bytes(tables: dict, parts: list, stats: dict) -> None:
    """Let the files' bytes go once the checks that read them are done.

    The rules need only the parsed cells; a million claims' bytes are better freed first.
    """
    _wait([*parts, *stats.values()])
    for table in tables.values():
        table.parsed.raw = b""


def _bytes_stats(raw: bytes) -> tuple[int, str]:
    """What ``file_stats`` says of a file holding ``raw``: its size and sha256 digest."""
    return len(raw), hashlib.sha256(raw).hexdigest()


def conflicting_incidents(path=None, *, today: date | None = None) -> list[str]:
    """Incidents whose figures conflict between sides, by the rule the validator applies.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A data package directory (default: the bundled data); it should be valid.
    today : datetime.date, optional
        As for :func:`validate_package`.

    Returns
    -------
    list of str
        incident_ids where claims from different sides give non-overlapping figures for the
        same measure and victims.
    """
    root = Path(path) if path is not None else bundled_root()
    expected = read_descriptor(bundled_root())
    tables = {}
    for name in ("claims", "actors"):
        res = resource(expected, name)
        parsed = read_text_table(root / res["path"], res["path"])
        table = Table.of(name, res, parsed)
        _field_problems(table, today or date.today())
        tables[name] = table
    return rules.figure_conflicts(tables["claims"], tables["actors"])
