"""Read a CSV file as text cells, robustly, keeping each row's line number.

Nothing is guessed and nothing is dropped: every cell stays the string it was, empty cells
become nulls, and whatever keeps a row from being read (a stray quote, a wrong cell count,
bytes that are not UTF-8) becomes a :class:`~incidents.problems.Problem` naming the line.
The fast path is pyarrow's multithreaded parser; a file it cannot read line for line falls
back to Python's csv module, which knows where every record starts.
"""

from __future__ import annotations

import csv
import io
import mmap
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from incidents.arrowbytes import count_byte
from incidents.problems import Problem

#: Files larger than this are refused rather than read into memory (override: max_bytes).
DEFAULT_MAX_BYTES = 1 << 30
BOM = b"\xef\xbb\xbf"
# Bytes per block of the multithreaded parser (one chunk per block). 4 MiB blocks read a
# million claims in 0.29 s against 0.41 s for 16 MiB ones (they fit the caches better).
_BLOCK_SIZE = 1 << 22


@dataclass
class ParsedTable:
    """A CSV file read as text.

    Attributes
    ----------
    header : list of str
        The header cells as written.
    table : pyarrow.Table or None
        One string column per *distinct* header name, rows that could be read.
    lines : numpy.ndarray
        The 1-based line on which each row of ``table`` starts.
    raw : bytes or mmap.mmap
        The file's bytes, for the canonical-form check (mapped, not copied: see
        :func:`file_bytes`).
    problems : list of Problem
        What kept the file, or some rows, from being read.
    one_line_rows : bool
        True when every row was read from exactly one line (so no cell holds a line break).
    line_breaks : int or None
        How many line breaks the file holds, when counted.
    """

    header: list[str]
    table: pa.Table | None
    lines: np.ndarray
    raw: bytes | mmap.mmap = b""
    problems: list[Problem] = field(default_factory=list)
    one_line_rows: bool = False
    line_breaks: int | None = None


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, checked by Arrow without building a Python str.

    Arrow's validator accepts exactly what Python's strict decoder accepts (no overlongs, no
    surrogates, nothing past U+10FFFF), at several times the speed and no extra memory.
    """
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    blob = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        blob.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _utf8_problem(raw, rel: str) -> Problem | None:
    if _is_utf8(raw):
        return None
    try:  # Python's decoder says where the first bad byte is
        bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = count_byte(raw, b"\n", exc.start) + 1
        bad = bytes(raw[exc.start:exc.end])
        return Problem("utf-8", f"byte {bad!r} at byte offset {exc.start} is not UTF-8",
                       rel, line=line, value=bad.hex())
    return None


def file_bytes(path) -> bytes | mmap.mmap:
    """The bytes of ``path``, mapped into memory rather than copied.

    A copy of a 300 MB file costs a tenth of a second and as much fresh memory again; the
    map shares the pages the operating system already holds (asked for in one call where
    the platform can). The file must not shrink while the map is in use.
    """
    with open(path, "rb") as handle:
        if not handle.seek(0, io.SEEK_END):
            return b""  # an empty file cannot be mapped
        if hasattr(mmap, "MAP_SHARED"):
            flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
            return mmap.mmap(handle.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


_WINDOW = 1 << 24  # bytes read at a time when looking for white space


def _blank(data) -> bool:
    """Whether ``data`` holds nothing but white space (read a window at a time)."""
    return all(bytes(data[at:at + _WINDOW]).isspace() for at in range(0, len(data), _WINDOW))


def _header(body) -> list[str]:
    """The first record of the file (a header may itself hold a quoted line break)."""
    first = body[: body.find(b"\n", 0, min(len(body), 1 << 20)) + 1 or 1 << 20]
    text = first.decode("utf-8", errors="replace")
    return next(csv.reader(io.StringIO(text, newline="")), [])


def read_text_table(path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedTable:
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
    ParsedTable
        ``table`` is None when the file could not be read at all.
    """
    empty = ParsedTable([], None, np.empty(0, dtype=np.int64))
    if not path.is_file():
        empty.problems.append(Problem("file-missing", "the file does not exist", rel))
        return empty
    size = path.stat().st_size
    if size > max_bytes:
        empty.problems.append(Problem(
            "file-too-large", f"the file has {size:,} bytes, more than the limit of "
            f"{max_bytes:,}; it was not read", rel))
        return empty
    raw = file_bytes(path)
    empty.raw = raw
    if not raw or _blank(raw):
        empty.problems.append(Problem("file-empty", "the file is empty", rel))
        return empty
    problems: list[Problem] = []
    body = raw
    if raw[:len(BOM)] == BOM:
        problems.append(Problem("byte-order-mark", "the file starts with a UTF-8 byte-order mark",
                                rel, line=1))
        body = raw[len(BOM):]  # a copy, for a file that is wrong anyway
    bad_utf8 = _utf8_problem(body, rel)
    if bad_utf8 is not None:
        empty.problems = [*problems, bad_utf8]
        return empty
    carriage_return = body.find(b"\r", 0, len(body))
    if carriage_return >= 0:
        line = count_byte(body, b"\n", carriage_return) + 1
        problems.append(Problem("line-endings", "the file has CR (Windows or old Mac) line ends",
                                rel, line=line))
    if body[-1:] != b"\n":
        problems.append(Problem("final-newline", "the last line has no line break", rel,
                                line=count_byte(body, b"\n") + 1))
    try:
        header = _header(body)
    except csv.Error as exc:
        empty.problems = [*problems, Problem("csv-syntax", f"the header cannot be read: {exc}",
                                             rel, line=1)]
        return empty
    if not any(header):
        empty.problems = [*problems, Problem("csv-syntax", "the first line is not a header row",
                                             rel, line=1)]
        return empty
    parsed = _read_fast(body, header)
    if parsed is None:
        parsed = _read_slow(body, header, rel)
    parsed.raw = raw
    parsed.problems = problems + parsed.problems
    if parsed.table is not None and parsed.table.num_rows == 0 and not parsed.problems:
        parsed.problems.append(Problem("no-rows", "the file has a header but no rows", rel,
                                       line=1))
    return parsed


def _unique_names(header: list[str]) -> list[str]:
    """Column names for reading: duplicates get a suffix so nothing is overwritten."""
    seen: dict[str, int] = {}
    names = []
    for name in header:
        n = seen.get(name, 0)
        names.append(name if n == 0 else f"{name}\x00{n}")
        seen[name] = n + 1
    return names


def _read_fast(body, header: list[str]) -> ParsedTable | None:
    """Pyarrow's parser; None when the file needs the line-exact slow path."""
    names = _unique_names(header)
    invalid: list[object] = []

    def on_invalid(row):
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
                column_types={n: pa.string() for n in names},
                null_values=[""], strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                # the whole file was found to be UTF-8 before it got here
                check_utf8=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, ValueError):
        return None
    if invalid or table.column_names != names or any(
            t != pa.string() for t in table.schema.types):
        return None
    # One row per line, or rows carry line breaks the fast path cannot place.
    breaks = count_byte(body, b"\n")
    if breaks - (0 if body[-1:] == b"\n" else -1) != table.num_rows + 1:
        return None
    lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return ParsedTable(header, table, lines, one_line_rows=True, line_breaks=breaks)


def _read_slow(body, header: list[str], rel: str) -> ParsedTable:
    """Python's csv module: exact line numbers, one problem per unreadable row."""
    names = _unique_names(header)
    width = len(names)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    lines: list[int] = []
    problems: list[Problem] = []
    text = bytes(body).decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        next(reader)
        start = reader.line_num + 1
        for record in reader:
            if len(record) != width:
                if record:  # a blank line is a row of no cells
                    problems.append(Problem(
                        "row-length", f"the row has {len(record)} cells, the header "
                        f"{width}", rel, line=start, value=",".join(record)[:200]))
                else:
                    problems.append(Problem("row-length", "blank line", rel, line=start))
            else:
                for i, cell in enumerate(record):
                    columns[i].append(cell if cell != "" else None)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem("csv-syntax", f"the file cannot be read from here on: {exc}; "
                                "rows after it were not checked", rel, line=start))
    except StopIteration:
        pass
    table = pa.table({n: pa.array(c, type=pa.string())
                      for n, c in zip(names, columns, strict=False)})
    return ParsedTable(header, table, np.asarray(lines, dtype=np.int64), problems=problems)
