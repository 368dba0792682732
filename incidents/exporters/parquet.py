"""Parquet: one file per table and one for the flat view, with the loader's types.

Dates are Parquet dates (``date32``), counts nullable 64-bit integers, coded fields ordered
dictionaries, flags booleans. Each field's description rides in the Arrow field metadata and
the table's in the schema metadata, so a reader that opens only the file knows what it holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from incidents.exporters._files import out_dir
from incidents.exporters._package import Package
from incidents.safeio import atomic_write

#: Schema-metadata key of the per-column kinds :func:`read_parquet` restores.
DATE_COLUMNS_KEY = b"incidents:date_columns"


def to_arrow(package: Package, name: str) -> pa.Table:
    """Table ``name`` as Arrow, with dates as dates and descriptions in the metadata.

    Parameters
    ----------
    package : Package
        The loaded tables.
    name : str
        A resource name or ``"flat"``.

    Returns
    -------
    pyarrow.Table
    """
    frame = package.tables[name]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    described = {f["name"]: f.get("description", "") for f in package.fields(name)}
    dates = [col for col in frame.columns if pd.api.types.is_datetime64_dtype(frame[col])]
    fields, columns = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        if field.name in dates:  # the loader's dates carry no time of day
            column = column.cast(pa.date32())
            field = field.with_type(pa.date32())
        meta = {b"description": described.get(field.name, "").encode("utf-8")}
        fields.append(field.with_metadata(meta))
        columns.append(column)
    metadata = dict(table.schema.metadata or {})
    metadata[b"description"] = package.description(name).encode("utf-8")
    metadata[b"incidents:table"] = name.encode("utf-8")
    metadata[DATE_COLUMNS_KEY] = json.dumps(dates).encode("utf-8")
    licenses = package.descriptor.get("licenses")
    if licenses:
        metadata[b"license"] = licenses[0]["name"].encode("utf-8")
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=metadata))


def write_table(table: pa.Table, path: Path) -> Path:
    """Write one Arrow table to ``path`` atomically (zstd, dictionaries kept)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    atomic_write(path, memoryview(sink.getvalue()))
    return path


def write(package: Package, out: Path) -> list[Path]:
    """Write ``<table>.parquet`` for every table and ``flat.parquet`` into ``out``.

    Parameters
    ----------
    package : Package
        The loaded tables.
    out : pathlib.Path
        Directory to write into (created when missing).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    out = out_dir(out)
    return [write_table(to_arrow(package, name), out / f"{name}.parquet")
            for name in package.tables]


def read_parquet(path: str | Path) -> pd.DataFrame:
    """Read an exported Parquet file back into the frame :func:`incidents.load` gives.

    ``pandas.read_parquet`` restores nullable integers, text and ordered categoricals from
    the file alone but gives Parquet dates as ``datetime.date`` objects; this turns them back
    into ``datetime64[ns]`` as the loader has them.

    Parameters
    ----------
    path : str or pathlib.Path
        A file written by :func:`write`.

    Returns
    -------
    pandas.DataFrame
    """
    table = pq.read_table(path)
    frame = table.to_pandas(date_as_object=False)
    for col in json.loads((table.schema.metadata or {}).get(DATE_COLUMNS_KEY, b"[]")):
        frame[col] = frame[col].astype("datetime64[ns]")
    return frame
