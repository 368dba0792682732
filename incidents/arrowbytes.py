"""Zero-copy views of bytes: Arrow string arrays' buffers, and byte searches in files.

Checks over a million cells read the cells' bytes where Arrow keeps them, as numpy arrays,
instead of turning a million cells into Python strings.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_WINDOW = 1 << 24  # bytes compared at a time, so that no mask grows with the file


def chunks_of(col) -> list[pa.Array]:
    """The arrays a column is made of (itself when it is one array)."""
    return col.chunks if isinstance(col, pa.ChunkedArray) else [col]


def one_array(col) -> pa.Array:
    """The column as one array (combined, so copied, only when it has several chunks)."""
    if not isinstance(col, pa.ChunkedArray):
        return col
    if col.num_chunks == 0:
        return pa.array([], col.type)
    return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()


def valid_mask(array: pa.Array) -> np.ndarray:
    """Whether each cell of one array is not null, as a numpy array."""
    if array.null_count == 0:
        return np.ones(len(array), dtype=bool)
    return array.is_valid().to_numpy(zero_copy_only=False)


def string_buffers(col: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's offsets (one more than its length) and data bytes, not copied.

    Parameters
    ----------
    col : pyarrow.Array
        A ``string`` or ``large_string`` array (possibly a slice).

    Returns
    -------
    offsets : numpy.ndarray
        Where each cell starts in ``data``, and where the last one ends.
    data : numpy.ndarray of uint8
        The whole data buffer.
    """
    buffers = col.buffers()
    width = np.int64 if pa.types.is_large_string(col.type) else np.int32
    offsets = np.frombuffer(buffers[1], dtype=width, count=len(col) + 1,
                            offset=col.offset * np.dtype(width).itemsize)
    data = (np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None
            else np.zeros(0, np.uint8))
    return offsets, data


def byte_positions(data: np.ndarray, value: int) -> np.ndarray:
    """Where ``value`` occurs in ``data`` (int64 positions, ascending)."""
    found = [np.flatnonzero(data[at:at + _WINDOW] == value) + at
             for at in range(0, len(data), _WINDOW)]
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def count_byte(data, byte: bytes, end: int | None = None) -> int:
    """How often ``byte`` occurs in ``data[:end]`` (bytes or any buffer, not copied)."""
    view = np.frombuffer(data, dtype=np.uint8)[:end]
    value = byte[0]
    return sum(int(np.count_nonzero(view[at:at + _WINDOW] == value))
               for at in range(0, len(view), _WINDOW))


def _memchr():
    """The C library's memchr, or None where ctypes cannot reach it."""
    try:
        import ctypes

        found = ctypes.CDLL(None).memchr
    except (OSError, AttributeError, TypeError):
        return None
    found.restype = ctypes.c_void_p
    found.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    return found


_MEMCHR = _memchr()


def holds_byte(data: pa.Buffer, mark: bytes) -> bool:
    """Whether the buffer holds the byte ``mark``: memchr in place, no copy of the buffer."""
    if _MEMCHR is None:
        return mark in data.to_pybytes()
    return _MEMCHR(data.address, mark[0], data.size) is not None


def dictionary_codes(col) -> tuple[np.ndarray, pa.Array]:
    """Codes (int64, -1 for null) into the column's distinct values, in order of first use.

    A chunked column is combined first: one hash table over the whole column is several
    times faster than one per chunk and a unification of their dictionaries.

    Parameters
    ----------
    col : pyarrow.Array or pyarrow.ChunkedArray
        Any column Arrow can hash (strings here).

    Returns
    -------
    codes : numpy.ndarray of int64
    values : pyarrow.Array
    """
    encoded = pc.dictionary_encode(one_array(col))
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return codes.astype(np.int64), encoded.dictionary


def take_rows(col, rows: np.ndarray) -> pa.Array:
    """``col.take(rows)``, chunk by chunk.

    Taking from a chunked column of long strings first joins its chunks: a copy of the
    whole column (0.07 to 0.1 s for a million quotes) to pick a few rows.

    Parameters
    ----------
    col : pyarrow.Array or pyarrow.ChunkedArray
        The column.
    rows : numpy.ndarray of int
        Row numbers, in any order.

    Returns
    -------
    pyarrow.Array
        The cells at ``rows``, in that order.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if not isinstance(col, pa.ChunkedArray):
        return col.take(pa.array(rows))
    if col.num_chunks == 1 or len(rows) == 0:
        return col.combine_chunks().take(pa.array(rows)) if col.num_chunks else pa.array(
            [], col.type)
    starts = np.cumsum([0] + [len(chunk) for chunk in col.chunks])
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    which = np.searchsorted(starts, ordered, side="right") - 1
    bounds = np.searchsorted(which, np.arange(col.num_chunks + 1))
    parts = [col.chunk(k).take(pa.array(ordered[bounds[k]:bounds[k + 1]] - starts[k]))
             for k in range(col.num_chunks) if bounds[k + 1] > bounds[k]]
    taken = pa.concat_arrays(parts)
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return taken.take(pa.array(back))

