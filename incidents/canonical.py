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

import pyarrow as pa
import pyarrow.compute as pc

from incidents.csvread import BOM


def render_rows(header: list[str], rows: list[list[str]]) -> bytes:
    """Serialise a header and rows of strings in canonical form."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _quoted(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Each cell as csv.QUOTE_MINIMAL writes it."""
    text = pc.fill_null(column, "")
    needs = pc.match_substring_regex(text, r'[",\r\n]')
    escaped = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(needs, escaped, text)


def render_table(header: list[str], table: pa.Table) -> bytes:
    """Serialise a string table in canonical form, vectorised (rows in the table's order)."""
    head = render_rows(header, [])
    if table.num_rows == 0:
        return head
    cells = [_quoted(table.column(i)) for i in range(table.num_columns)]
    rows = pc.binary_join_element_wise(*cells, ",") if len(cells) > 1 else cells[0]
    rows = rows.combine_chunks()
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(rows)], pa.int32()),
                                                     rows), "\n")
    return head + joined[0].as_py().encode("utf-8") + b"\n"


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
