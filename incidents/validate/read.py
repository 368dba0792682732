"""Read a CSV file as text cells, robustly, keeping each row's line number.

Nothing is guessed and nothing is dropped: every cell stays the string it was, empty cells
become nulls, and whatever keeps a row from being read (a stray quote, a wrong cell count,
bytes that are not UTF-8, a cell past the size limit) becomes a problem naming the line.
The fast path is pyarrow's multithreaded parser; a file it cannot read line for line falls
back to Python's csv module, which knows where every record starts.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from incidents.descriptor import file_kind
from incidents.fmt import BOM
from incidents.validate.report import Problem

#: Files larger than this are refused rather than read into memory (``--max-bytes``).
DEFAULT_MAX_BYTES = 1 << 30
#: The longest cell read, in characters (Python's csv module) or bytes (Arrow): 1 MiB.
MAX_CELL = 1 << 20
#: The longest header row read, in bytes: 1 MiB.
MAX_HEADER = 1 << 20
# Bytes per block of the multithreaded parser: 4 MiB blocks read a million claims faster
# than 16 MiB ones (they fit the caches better).
_BLOCK_SIZE = 1 << 22


@dataclass
class TextTable:
    """A CSV file read as text.

    Attributes
    ----------
    header : list of str
        The header cells as written.
    table : pyarrow.Table or None
        One ``large_string`` column (the type pandas keeps text in, so typing the table
        copies no text) per *distinct* header name; the rows that could be read.
    lines : numpy.ndarray
        The 1-based line on which each row of ``table`` starts.
    raw : bytes
        The file's bytes.
    problems : list of Problem
        What kept the file, or some rows, from being read.
    """

    header: list[str]
    table: pa.Table | None
    lines: np.ndarray
    raw: bytes = b""
    problems: list[Problem] = field(default_factory=list)
    rel: str = ""


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, checked by Arrow without building a Python str."""
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    blob = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        blob.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _utf8_problem(body: bytes, rel: str) -> Problem | None:
    if _is_utf8(body):
        return None
    try:  # Python's decoder says where the first bad byte is
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = body[exc.start:exc.end]
        return Problem("utf-8", f"byte {bad!r} at byte offset {exc.start} is not UTF-8",
                       rel, line=body.count(b"\n", 0, exc.start) + 1, value=bad.hex())
    return None


def read_text_table(path: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> TextTable:
    """Read ``path`` as a table of strings with line numbers.

    Parameters
    ----------
    path : pathlib.Path
        The CSV file.
    rel : str
        How to name the file in problems (relative to the package directory).
    max_bytes : int
        Refuse files larger than this, with a problem, before reading them.

    Returns
    -------
    TextTable
        ``table`` is None when the file could not be read at all.
    """
    out = TextTable([], None, np.empty(0, dtype=np.int64), rel=rel)
    try:
        info = os.stat(path)
    except OSError:
        out.problems.append(Problem("file-missing", "the file does not exist", rel))
        return out
    if not stat.S_ISREG(info.st_mode):
        out.problems.append(Problem("file-missing", f"the path is {file_kind(info.st_mode)}, not a "
                                    "file; it was not read", rel))
        return out
    if info.st_size > max_bytes:
        out.problems.append(Problem(
            "file-too-large", f"the file has {info.st_size:,} bytes, more than the limit of "
            f"{max_bytes:,}; it was not read", rel))
        return out
    with open(path, "rb") as handle:
        raw = handle.read(max_bytes + 1)
    out.raw = raw
    if not raw or raw.isspace():  # isspace stops at the first other byte: no copy
        out.problems.append(Problem("file-empty", "the file is empty", rel))
        return out
    problems: list[Problem] = []
    body = raw
    if raw.startswith(BOM):
        problems.append(Problem("byte-order-mark", "the file starts with a UTF-8 byte-order mark",
                                rel, line=1))
        body = raw[len(BOM):]
    bad_utf8 = _utf8_problem(body, rel)
    if bad_utf8 is not None:
        out.problems = [*problems, bad_utf8]
        return out
    carriage_return = body.find(b"\r")
    if carriage_return >= 0:
        problems.append(Problem("line-endings", "the file has CR (Windows or old Mac) line ends",
                                rel, line=body.count(b"\n", 0, carriage_return) + 1))
    if not body.endswith(b"\n"):
        problems.append(Problem("final-newline", "the last line has no line break", rel,
                                line=body.count(b"\n") + 1))
    end = body.find(b"\n")
    size = end + 1 if end >= 0 else len(body)
    if size > MAX_HEADER:
        out.problems = [*problems, Problem(
            "header-too-large", f"the header row has {size:,} bytes, more than the limit of "
            f"{MAX_HEADER:,}; the file was not read", rel, line=1)]
        return out
    # the csv module's default limit (128 KiB) would call a long cell a quoting error;
    # the limit that counts is MAX_CELL, reported as such
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL + 1))
    try:  # a header may itself hold a quoted line break: read one record
        text = body[:MAX_HEADER].decode("utf-8", errors="replace")
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        out.problems = [*problems, Problem("csv-syntax", f"the header cannot be read: {exc}",
                                           rel, line=1)]
        return out
    if not any(header):
        out.problems = [*problems, Problem("csv-syntax", "the first line is not a header row",
                                           rel, line=1)]
        return out
    parsed = _read_fast(body, header, rel)
    if parsed is None:
        parsed = _read_slow(body, header, rel)
    parsed.raw, parsed.rel = raw, rel
    parsed.problems = problems + parsed.problems
    return parsed


def unique_names(header: list[str]) -> list[str]:
    """Column names for reading: a repeated name gets a suffix so nothing is overwritten."""
    seen: dict[str, int] = {}
    names = []
    for name in header:
        n = seen.get(name, 0)
        names.append(name if n == 0 else f"{name}\x00{n}")
        seen[name] = n + 1
    return names


def _read_fast(body: bytes, header: list[str], rel: str) -> TextTable | None:
    """Pyarrow's parser; None when the file needs the line-exact slow path."""
    names = unique_names(header)
    invalid: list[object] = []

    def on_invalid(row: object) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                           block_size=_BLOCK_SIZE),
            parse_options=pacsv.ParseOptions(newlines_in_values=False,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names}, null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True,
                check_utf8=False,  # the whole file was found to be UTF-8 already
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, ValueError):
        return None
    if invalid or table.column_names != names:
        return None
    # one row per line, or rows carry line breaks the fast path cannot place
    breaks = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    if breaks != table.num_rows + 1:
        return None
    lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
    found = TextTable(header, table, lines)
    for name, column in zip(header, table.columns, strict=True):
        lengths = pc.binary_length(column)
        if len(column) and (pc.max(lengths).as_py() or 0) > MAX_CELL:
            long = np.flatnonzero(pc.fill_null(pc.greater(lengths, MAX_CELL), False).to_numpy(
                zero_copy_only=False))
            found.problems += [Problem(
                "cell-too-large", f"the cell is longer than the limit of {MAX_CELL:,} bytes",
                rel, line=int(lines[i]), column=name) for i in long]
    return found


def _read_slow(body: bytes, header: list[str], rel: str) -> TextTable:
    """Python's csv module: exact line numbers, one problem per unreadable row."""
    width = len(header)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    lines: list[int] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""), strict=True)
    start = 1
    try:
        next(reader)
        start = reader.line_num + 1
        for record in reader:
            if len(record) != width:
                problems.append(Problem(
                    "row-length", f"the row has {len(record)} cells, the header {width}", rel,
                    line=start, value=",".join(record)[:200]) if record else
                    Problem("row-length", "blank line", rel, line=start))
            else:
                for i, cell in enumerate(record):
                    columns[i].append(cell if cell != "" else None)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problems.append(Problem("cell-too-large", f"a cell is longer than the limit of "
                                    f"{MAX_CELL:,} characters; rows after it were not checked",
                                    rel, line=start))
        else:
            problems.append(Problem("csv-syntax", f"the file cannot be read from here on: "
                                    f"{exc}; rows after it were not checked", rel, line=start))
    except StopIteration:
        pass
    table = pa.table({n: pa.array(c, type=pa.large_string())
                      for n, c in zip(unique_names(header), columns, strict=True)})
    return TextTable(header, table, np.asarray(lines, dtype=np.int64), problems=problems)
