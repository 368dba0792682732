"""The one canonical form of a table file, so that diffs show only real changes.

Canonical means: UTF-8 without BOM; the schema's column order; rows sorted by primary key;
cells quoted only when they hold a comma, a quote or a line break (quotes doubled); LF line
ends; a final newline. Values are never changed: an empty cell stays empty, ``07`` stays
``07``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from incidents.arrowbytes import byte_positions, holds_byte
from incidents.csvread import BOM
from incidents.quotelayout import QUOTE, block_layout


def render_rows(header: list[str], rows: list[list[str]]) -> bytes:
    """Serialise a header and rows of strings in canonical form."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def sort_order(table: pa.Table, key: str) -> pa.Array:
    """Row indices that sort ``table`` by ``key`` (byte order of UTF-8, as Python sorts str)."""
    return pc.sort_indices(table, sort_keys=[(key, "ascending")])


def format_file(path: Path, columns: list[str], key: str) -> bool:
    """Rewrite ``path`` in canonical form; return True when its bytes changed.

    Parameters
    ----------
    path : pathlib.Path
        A table file whose header holds exactly ``columns``, in any order.
    columns : list of str
        The schema's column order.
    key : str
        The primary key to sort rows by.

    Returns
    -------
    bool
        Whether the file was rewritten.

    Raises
    ------
    ValueError
        When the file cannot be rewritten without losing or changing data (not UTF-8, other
        columns than the schema's, ragged rows); nothing is written then.
    """
    raw = path.read_bytes()
    text = raw[len(BOM):].decode("utf-8") if raw.startswith(BOM) else raw.decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not records:
        raise ValueError(f"{path}: the file is empty")
    header, body = records[0], [r for r in records[1:] if r]
    if sorted(header) != sorted(columns):
        raise ValueError(f"{path}: the header {header} does not hold exactly the columns "
                         f"{columns}; fix it by hand first")
    ragged = [i for i, r in enumerate(body) if len(r) != len(header)]
    if ragged:
        raise ValueError(f"{path}: {len(ragged)} row(s) have the wrong number of cells")
    order = [header.index(c) for c in columns]
    rows = [[r[i] for i in order] for r in body]
    k = columns.index(key)
    rows.sort(key=lambda r: r[k])
    new = render_rows(columns, rows)
    if new == raw:
        return False
    path.write_bytes(new)
    return True


def is_sorted(column: pa.Array) -> bool:
    """Whether ``column`` (no nulls) is already in ``sort_order``: each value >= the last.

    ``sort_indices`` is stable, so for such a column it returns 0, 1, 2, ...: one pass of
    comparisons answers what a full sort would.
    """
    if len(column) < 2:
        return True
    later, earlier = column.slice(1), column.slice(0, len(column) - 1)
    return bool(pc.all(pc.greater_equal(later, earlier)).as_py())


_SPECIAL = (b",", b'"', b"\r", b"\n")
_CHUNK = 1 << 16  # rows rendered at a time, so the rendering never holds a whole file


def _may_need_quotes(column: pa.ChunkedArray) -> bool:
    """False when no cell of ``column`` can hold a comma, quote or line break.

    The data buffers are searched whole (memchr speed); one may hold bytes of cells outside
    a slice, which only makes the answer cautious.
    """
    for chunk in column.chunks:
        buffers = chunk.buffers()
        data = buffers[2] if len(buffers) > 2 else None
        if data is not None and data.size and any(holds_byte(data, mark) for mark in _SPECIAL):
            return True
    return False


def _blocks(table: pa.Table):
    """The table's rows a block at a time, as lists of arrays (one per column).

    Columns read by the CSV reader share their chunks: those are the blocks, without a
    copy. Otherwise the columns are combined and cut into blocks of ``_CHUNK`` rows.
    """
    layouts = {tuple(len(c) for c in column.chunks) for column in table.columns}
    if len(layouts) == 1:
        for i in range(table.column(0).num_chunks):
            yield [column.chunk(i) for column in table.columns]
        return
    columns = [column.combine_chunks() for column in table.columns]
    for start in range(0, table.num_rows, _CHUNK):
        yield [c.slice(start, _CHUNK) for c in columns]


def _rendered_rows(columns: list[pa.Array], quotable: list[bool]) -> pa.Buffer:
    """Rows of string columns as canonical CSV lines joined by line breaks (no final one)."""
    cells = []
    for column, may in zip(columns, quotable, strict=True):
        if may:
            needs = pc.fill_null(pc.match_substring_regex(column, r'[",\r\n]'), False)
            if needs.true_count:
                # escape only the cells that need it, then put them back in place
                chosen = pc.filter(column, needs)
                escaped = pc.binary_join_element_wise(
                    '"', pc.replace_substring(chosen, '"', '""'), '"', "")
                column = pc.replace_with_mask(column, needs, escaped)
        cells.append(column)
    if len(cells) == 1:
        rows = pc.fill_null(cells[0], "")
    else:
        rows = pc.binary_join_element_wise(*cells, ",", null_handling="replace",
                                           null_replacement="")
    offsets = pa.array([0, len(rows)], pa.int32())
    return pc.binary_join(pa.ListArray.from_arrays(offsets, rows), "\n")[0].as_buffer()


def matches_table(header: list[str], table: pa.Table, raw, one_line_rows: bool = False) -> bool:
    """Whether ``raw`` is ``table`` written in canonical form under ``header``.

    When the reader found every row on one line, the proof is where the quote bytes stand
    (:mod:`incidents.quotelayout`): nothing is rendered. Otherwise each block of rows is
    rendered with Arrow and compared with the matching bytes of ``raw`` in place, quoting
    cells only in columns whose bytes hold a comma, quote or line break at all.

    Parameters
    ----------
    header : list of str
        The header to render (the table's columns are in this order).
    table : pyarrow.Table
        String cells, nulls for empty cells, as a CSV reader read them from ``raw``.
    raw : bytes or mmap.mmap
        The file's bytes.
    one_line_rows : bool
        True when the reader read each row from exactly one line of ``raw``.

    Returns
    -------
    bool
    """
    head = render_rows(header, [])
    if table.num_rows == 0 or raw[:len(head)] != head:
        return len(raw) == len(head) and raw[:len(head)] == head
    if one_line_rows:
        return _quotes_in_place(table, raw, len(head))
    source = pa.py_buffer(raw)
    quotable = [_may_need_quotes(column) for column in table.columns]
    at = len(head)
    for columns in _blocks(table):
        block = _rendered_rows(columns, quotable)
        size = block.size
        if (at + size >= len(raw) or raw[at + size] != 0x0A
                or not source.slice(at, size).equals(block)):
            return False
        at += size + 1
    return at == len(raw)


def _quotes_in_place(table: pa.Table, raw, start: int) -> bool:
    """Whether the rows from byte ``start`` are as long, and quoted where, canonical says."""
    found = byte_positions(np.frombuffer(raw, dtype=np.uint8)[start:], QUOTE) + start
    at, seen = start, 0
    for columns in _blocks(table):
        size, quotes = block_layout(columns)
        end = at + size
        upto = int(np.searchsorted(found, end))
        if end > len(raw) or not np.array_equal(found[seen:upto] - at, quotes):
            return False
        at, seen = end, upto
    return at == len(raw)
