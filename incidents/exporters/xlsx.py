"""A workbook for editors: a sheet per table, the flat view, and a ``codebook`` sheet.

Header rows are bold and frozen. Every text cell is stored as text, never as a formula, so a
cell opening with ``=``, ``+``, ``-`` or ``@`` cannot run when the workbook is opened. Needs
openpyxl (``pip install incidents[export]``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow as pa

from incidents.exporters._files import out_dir
from incidents.exporters._package import Package
from incidents.safeio import atomic_write

FILENAME = "incidents.xlsx"
FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_ROWS = 1_048_576  # rows of an Excel sheet, the header included
CODEBOOK_COLUMNS = ["table", "field", "type", "required", "description", "code",
                    "code definition"]


def _openpyxl():
    try:
        import openpyxl
    except ImportError as exc:
        raise ImportError(
            "the xlsx export needs openpyxl: pip install 'incidents[export]'") from exc
    return openpyxl


def _column_values(frame: pd.DataFrame) -> list[list]:
    """Each column as Python values: None for missing, dates as ``datetime.date``."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    out = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.date32())
        elif pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        out.append(col.to_pylist())
    return out


def _text_cell(sheet, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    return cell


def _append_rows(sheet, header: list[str], columns: list[list]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    head = []
    for name in header:
        cell = _text_cell(sheet, name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    date_columns = {i for i, col in enumerate(columns)
                    if any(hasattr(v, "isoformat") and not isinstance(v, str) for v in col[:1000])}
    for row in zip(*columns, strict=True):
        cells = list(row)
        for i, value in enumerate(cells):
            if isinstance(value, str):
                if value.startswith(FORMULA_PREFIXES):
                    cells[i] = _text_cell(sheet, value)
            elif i in date_columns and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells[i] = cell
        sheet.append(cells)


def codebook_rows(package: Package) -> list[list]:
    """One row per field, and one more per code of a coded field."""
    rows = []
    for name in package.tables:
        for field in package.fields(name):
            required = bool(field.get("constraints", {}).get("required", False))
            base = [name, field["name"], field.get("type", ""), required,
                    field.get("description", "")]
            codes = field.get("codes") or {}
            if not codes:
                rows.append([*base, None, None])
            for code, definition in codes.items():
                rows.append([*base, code, definition])
    return rows


def write(package: Package, out: Path) -> list[Path]:
    """Write ``incidents.xlsx`` into ``out``.

    Parameters
    ----------
    package : Package
        The loaded tables.
    out : pathlib.Path
        Directory to write into (created when missing).

    Returns
    -------
    list of pathlib.Path
        The file written.
    """
    openpyxl = _openpyxl()
    too_long = [f"{name} ({len(frame):,} rows)" for name, frame in package.tables.items()
                if len(frame) >= MAX_ROWS]
    if too_long:
        raise ValueError(f"a spreadsheet sheet holds at most {MAX_ROWS - 1:,} rows under its "
                         f"header: {', '.join(too_long)}; export parquet or sqlite instead")
    path = out_dir(out) / FILENAME
    book = openpyxl.Workbook(write_only=True)
    for name, frame in package.tables.items():
        sheet = book.create_sheet(name[:31])
        sheet.freeze_panes = "A2"
        _append_rows(sheet, [str(c) for c in frame.columns], _column_values(frame))
    sheet = book.create_sheet("codebook")
    sheet.freeze_panes = "A2"
    rows = codebook_rows(package)
    _append_rows(sheet, CODEBOOK_COLUMNS, [list(col) for col in zip(*rows, strict=True)])
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(path, buffer.getvalue())
    return [path]
