"""The canonical form of a table file, and the one writer of it (``incidents fmt``).

Canonical means: UTF-8 without BOM; the schema's column order; rows sorted by the primary
key; a cell quoted only when it holds a comma, a quote, a carriage return or a line feed
(quotes doubled); LF line ends; a final newline. Values are never changed: an empty cell
stays empty, ``07`` stays ``07``, a lone carriage return inside a cell stays inside it.

The validator's canonical-form check compares a file with :func:`render` of its own cells,
so what ``validate`` calls canonical is by construction what ``fmt`` writes. Files are
written through :func:`incidents.safeio.atomic_write` under the package's lock.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from incidents.safeio import atomic_write, package_lock

BOM = b"\xef\xbb\xbf"
#: The largest file ``fmt`` rewrites (it holds the file, its cells and the output at once).
MAX_FILE_BYTES = 1 << 31
_BLOCK_ROWS = 1 << 18  # rows rendered at a time


class FormatError(ValueError):
    """A file cannot be put in canonical form without losing or changing data."""


def sort_indices(table: pa.Table, key: Sequence[str]) -> pa.Array:
    """Row indices that sort ``table`` by ``key`` (UTF-8 byte order; empty cells last).

    The sort is stable, so rows with equal keys keep the order they had.
    """
    return pc.sort_indices(table, sort_keys=[(k, "ascending") for k in key])


def byte_rows(values: pa.Array | pa.ChunkedArray,
              test: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """True on the rows of a string column holding a byte for which ``test`` is true.

    One numpy pass over each chunk's UTF-8 buffer, several times faster than a regex over a
    million cells; exact for ASCII bytes, which in UTF-8 only ever stand for themselves.
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    out = [np.zeros(0, dtype=bool)]
    for chunk in chunks:
        if not len(chunk):
            continue
        _, offsets_buf, data_buf = chunk.buffers()
        wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
        offsets = np.frombuffer(offsets_buf, dtype=np.int64 if wide else np.int32)[
            chunk.offset:chunk.offset + len(chunk) + 1]
        rows = np.zeros(len(chunk), dtype=bool)
        if data_buf is not None:
            start = int(offsets[0])
            data = np.frombuffer(data_buf, dtype=np.uint8)[start:int(offsets[-1])]
            hits = np.flatnonzero(test(data)) + start
            rows[np.searchsorted(offsets, hits, side="right") - 1] = True
        out.append(rows)
    return np.concatenate(out)


def _needs_quotes(data: np.ndarray) -> np.ndarray:
    return (data == ord('"')) | (data == ord(",")) | (data == ord("\r")) | (data == ord("\n"))


def _rendered(columns: list[pa.Array]) -> pa.Buffer:
    """Rows of string columns, all of one type, as canonical CSV lines ending in a break."""
    kind = columns[0].type
    quote, comma, newline, empty = (pa.scalar(text, kind) for text in ('"', ",", "\n", ""))
    cells = []
    for column in columns:
        needs = pa.array(byte_rows(column, _needs_quotes))
        if needs.true_count:
            escaped = pc.binary_join_element_wise(
                quote, pc.replace_substring(pc.filter(column, needs), '"', '""'), quote, empty)
            column = pc.replace_with_mask(column, needs, escaped)
        cells.append(column)
    # the line break joins the last cell, so each row's string is its whole line and the
    # joined column's character data is the block itself: no further copy
    cells[-1] = pc.binary_join_element_wise(cells[-1], newline, empty, null_handling="replace",
                                            null_replacement="")
    rows = pc.binary_join_element_wise(*cells, comma, null_handling="replace",
                                       null_replacement="") if len(cells) > 1 else cells[0]
    if not len(rows):
        return pa.py_buffer(b"")
    wide = pa.types.is_large_string(kind)
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64 if wide else np.int32)[rows.offset:]
    return rows.buffers()[2].slice(int(offsets[0]), int(offsets[len(rows)] - offsets[0]))


def render(header: Sequence[str], table: pa.Table) -> Iterator[pa.Buffer]:
    """The canonical bytes of ``table`` (string columns in ``header``'s order), in blocks.

    The first block is the header line; then rows a block at a time, so that checking a
    file against its rendering never holds a second copy of it.
    """
    yield _rendered([pa.array([name], pa.string()) for name in header])
    # the reader's blocks, as they are (no copy); a taken table comes as one block
    for batch in table.select(list(header)).to_batches(max_chunksize=_BLOCK_ROWS):
        if batch.num_rows:
            yield _rendered(list(batch.columns))


def read_cells(raw: bytes, name: str) -> tuple[list[str], pa.Table]:
    """The header and the cells (strings, null for empty) of a CSV file's bytes.

    Raises
    ------
    FormatError
        When the bytes are not UTF-8 CSV with one cell per header column in every row.
    """
    body = raw[len(BOM):] if raw.startswith(BOM) else raw
    if not body.strip():
        raise FormatError(f"{name}: the file is empty")
    end = body.find(b"\n")
    first = body[: end + 1 if end >= 0 else len(body)]
    try:
        header = next(csv.reader(io.StringIO(first.decode("utf-8"), newline="")))
    except (csv.Error, UnicodeDecodeError, StopIteration) as exc:
        raise FormatError(f"{name}: the header row cannot be read ({exc})") from exc
    if len(set(header)) != len(header):
        raise FormatError(f"{name}: the header names a column twice")
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1,
                                           use_threads=False,
                                           block_size=min(max(len(body) + 1, 1 << 20),
                                                          (1 << 31) - 1)),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in header}, null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, ValueError) as exc:
        reason = str(exc).splitlines()[0][:300]
        raise FormatError(f"{name}: cannot be read as CSV without changing data ({reason}); "
                          "run `incidents validate` for the line") from exc
    return header, table


def canonical_bytes(raw: bytes, name: str, columns: Sequence[str], key: Sequence[str]) -> bytes:
    """The canonical form of a table file's bytes.

    Parameters
    ----------
    raw : bytes
        The file as it is.
    name : str
        How to name the file in errors.
    columns : sequence of str
        The schema's column order; the file must hold exactly these columns.
    key : sequence of str
        The primary key to sort rows by.

    Raises
    ------
    FormatError
        When the file cannot be rewritten without losing or changing data.
    """
    header, table = read_cells(raw, name)
    if sorted(header) != sorted(columns):
        raise FormatError(f"{name}: the header {header} does not hold exactly the columns "
                          f"{list(columns)}; fix it by hand first")
    table = table.take(sort_indices(table, key))
    return b"".join(block.to_pybytes() for block in render(columns, table))


def format_file(path: Path, columns: Sequence[str], key: Sequence[str],
                check: bool = False) -> bool:
    """Rewrite ``path`` in canonical form (atomically); return True when it was not canonical.

    Parameters
    ----------
    path : pathlib.Path
        A table file whose header holds exactly ``columns``, in any order.
    columns : sequence of str
        The schema's column order.
    key : sequence of str
        The primary key to sort rows by.
    check : bool
        Only say whether the file is canonical; write nothing.

    Raises
    ------
    FormatError
        When the file cannot be rewritten without losing or changing data; nothing is
        written then.
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FormatError(f"{path}: {size:,} bytes, more than fmt's limit of "
                          f"{MAX_FILE_BYTES:,}")
    raw = path.read_bytes()
    new = canonical_bytes(raw, str(path), columns, key)
    if new == raw:
        return False
    del raw
    if not check:
        atomic_write(path, new)
    return True


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
    from incidents.descriptor import PackageError, resource_path
    from incidents.vocab import TABLES

    changed: list[Path] = []
    errors: list[str] = []
    with package_lock(root, wait=True) if not check else contextlib.nullcontext():
        descriptor = _descriptor(root)
        for table in TABLES:
            try:
                path = resource_path(root, descriptor, table)
            except PackageError as exc:
                errors.append(f"{table}: {exc}")
                continue
            if not path.is_file():
                errors.append(f"{path}: missing or not a regular file")
                continue
            columns, key = layout(table)
            try:
                if format_file(path, columns, key, check=check):
                    changed.append(path)
            except FormatError as exc:
                errors.append(f"{path}: cannot be formatted without changing data: {exc}")
    return changed, errors


def layout(table: str) -> tuple[list[str], list[str]]:
    """The columns of ``table`` in the schema's order, and its primary key.

    Read from the descriptor generated from the schema (the bundled one), so a package
    cannot change its own canonical form by editing its ``datapackage.json``.
    """
    from incidents._paths import bundled_root
    from incidents.descriptor import read_descriptor, resource

    res = resource(read_descriptor(bundled_root()), table)
    return [f["name"] for f in res["schema"]["fields"]], list(res["schema"]["primaryKey"])


def _descriptor(root: Path) -> dict:
    """The package's own descriptor, or the bundled one when it cannot be read."""
    from incidents._paths import bundled_root
    from incidents.descriptor import read_descriptor

    try:
        found = read_descriptor(root)
        if isinstance(found, dict):
            return found
    except (OSError, ValueError, RecursionError):
        pass
    return read_descriptor(bundled_root())


def _cell(value: object, ftype: str) -> str:
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if ftype == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if ftype == "boolean":
        return "true" if bool(value) else "false"
    if ftype == "integer":
        return str(int(value))  # type: ignore[call-overload]
    if ftype == "number":
        return repr(float(value))  # type: ignore[arg-type]
    return str(value)


def write_table(frame: pd.DataFrame, table: str, path: Path) -> Path:
    """Write a tidy table as the package stores it, value for value.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame with the table's columns, as :func:`incidents.load` returns it.
    table : str
        Which table it is (sets column order, types and sort key).
    path : pathlib.Path
        Where to write (atomically).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from incidents.descriptor import read_descriptor, resource

    res = resource(read_descriptor(), table)
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    key = res["schema"]["primaryKey"]
    cells = pa.table({f["name"]: pa.array([_cell(v, f["type"]) or None
                                           for v in frame[f["name"]]], pa.string())
                      for f in fields})
    cells = cells.take(sort_indices(cells, key))
    atomic_write(path, b"".join(block.to_pybytes() for block in render(names, cells)))
    return path
