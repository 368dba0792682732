"""Write typed tables back to CSV in canonical form, value for value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from incidents import canonical
from incidents.descriptor import read_descriptor, resource


def _cell(value, ftype: str) -> str:
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if ftype == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if ftype == "boolean":
        return "true" if bool(value) else "false"
    if ftype == "integer":
        return str(int(value))
    if ftype == "number":
        return repr(float(value))
    return str(value)


def write_table(frame: pd.DataFrame, table: str, path: Path) -> Path:
    """Write a tidy table as the package stores it.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame with the table's columns, as :func:`incidents.load` returns it.
    table : str
        Which table it is (sets column order, types and sort key).
    path : pathlib.Path
        Where to write.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    res = resource(read_descriptor(), table)
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    key = res["schema"]["primaryKey"][0]
    ordered = frame.sort_values(key, kind="stable")
    rows = [[_cell(v, f["type"]) for v, f in zip(row, fields, strict=False)]
            for row in ordered[names].itertuples(index=False, name=None)]
    path.write_bytes(canonical.render_rows(names, rows))
    return path
