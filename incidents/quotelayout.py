"""Prove a file is in canonical form from where its quote bytes are, without rendering it.

Take a file whose rows are one line each and which a CSV reader has split into cells. Every
byte of a row that is not a double quote is kept by the reader, in order: it is either a
delimiting comma or a byte of a cell. So the row with its quote bytes taken out is the same
for *every* way of writing those cells, the canonical way included; ways of writing differ
only in where quote bytes stand. The file is therefore canonical exactly when it is as long
as the canonical rendering and its quote bytes stand where the canonical rendering puts
them. Both are arithmetic on the cells' lengths and on the few cells holding a comma or a
quote, so nothing is rendered and no copy of the file is made.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from incidents.arrowbytes import byte_positions, holds_byte, string_buffers, valid_mask

QUOTE, COMMA = 0x22, 0x2C


def _cell_layout(column: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One column of a block: each cell's written width and its quote bytes.

    Returns the width of each cell as canonical CSV writes it, whether it is quoted, and
    for every quote byte inside a cell: the cell's row and where the two quote bytes that
    stand for it are written, counted from the field's first byte.
    """
    offsets, data = string_buffers(column)
    offsets = offsets.astype(np.int64)
    lengths = np.diff(offsets)
    n = len(lengths)
    valid = valid_mask(column)
    lengths = np.where(valid, lengths, 0)  # a null slot's bytes, if any, are no cell's
    none = np.zeros(0, np.int64)
    data_buffer = column.buffers()[2]
    if n == 0 or offsets[-1] == offsets[0] or not any(
            holds_byte(data_buffer, mark) for mark in (b'"', b",")):
        return lengths, np.zeros(n, bool), none, none
    cells = data[offsets[0]:offsets[-1]]
    quotes = byte_positions(cells, QUOTE) + offsets[0]
    quote_row = np.searchsorted(offsets, quotes, side="right") - 1
    quotes, quote_row = quotes[valid[quote_row]], quote_row[valid[quote_row]]
    comma_row = np.searchsorted(offsets, byte_positions(cells, COMMA) + offsets[0],
                                side="right") - 1
    quoted = np.zeros(n, bool)
    quoted[quote_row] = True
    quoted[comma_row[valid[comma_row]]] = True
    per_cell = np.bincount(quote_row, minlength=n)
    widths = lengths + quoted * (2 + per_cell)
    # the k-th quote of a cell, at byte t of it, is written as two quotes at 1 + t + k
    # (after the opening quote and the k quotes doubled before it)
    rank = np.arange(len(quotes)) - np.searchsorted(quotes, offsets[quote_row])
    inside = 1 + (quotes - offsets[quote_row]) + rank
    return widths, quoted, quote_row, inside


def block_layout(columns: list[pa.Array]) -> tuple[int, np.ndarray]:
    """The canonical size of a block of rows and where its quote bytes stand.

    Parameters
    ----------
    columns : list of pyarrow.Array
        The block's string columns, in the file's order, all the same length.

    Returns
    -------
    size : int
        Bytes of the block's rows, each with its comma delimiters and final line break.
    quotes : numpy.ndarray
        Sorted positions of every quote byte, from the block's first byte.
    """
    layouts = [_cell_layout(column) for column in columns]
    k = len(columns)
    row_sizes = np.full(len(columns[0]), k, dtype=np.int64)  # k - 1 commas, a line break
    for width, *_ in layouts:
        row_sizes += width
    # each field starts after the fields before it in its row and one comma each
    field_start = np.concatenate([[0], np.cumsum(row_sizes)[:-1]])
    parts = []
    for width, quoted, quote_row, inside in layouts:
        if quoted.any():
            opening = field_start[quoted]
            parts += [opening, opening + width[quoted] - 1]
            doubled = field_start[quote_row] + inside
            parts += [doubled, doubled + 1]
        field_start += width + 1
    quotes = np.sort(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
    return int(row_sizes.sum()), quotes
