"""CSV bytes from a frame, fast: Arrow writes the rows, the csv module any header rows."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv


def csv_bytes(frame: pd.DataFrame, header_rows: list[list[str]]) -> bytes:
    """``frame`` as UTF-8 CSV under ``header_rows`` (the column names first).

    Dates are written as ``YYYY-MM-DD``, flags as ``true``/``false``, missing values empty.
    """
    head = io.StringIO()
    writer = csv.writer(head, lineterminator="\n")
    writer.writerows(header_rows)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.date32())
        elif pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        columns.append(col)
    body = pa.BufferOutputStream()
    if table.num_rows:
        pacsv.write_csv(pa.Table.from_arrays(columns, names=table.column_names), body,
                        pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return head.getvalue().encode("utf-8") + body.getvalue().to_pybytes()
