"""From text cells to the typed table, then the table's pandera model.

Each column is converted to the type its pandera model declares, cell by cell: a cell that
does not convert is a problem (``type``, ``date-real``, ``enum``) and becomes null. The typed
frame then goes through the model with ``lazy=True``, so pandera runs every field check the
model declares (required, pattern, length, bounds, uniqueness and the custom checks of
:mod:`incidents.schema`) and its failure cases become problems. A cell already reported by
the conversion is not reported again by pandera.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from incidents import schema

#: Integers in canonical decimal form only: no sign on zero, no leading zeros, no '+'.
INTEGER = r"^(0|-?[1-9][0-9]*)$"
NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: The dates a datetime64[ns] column (what the loader returns) can hold, whole years only.
FIRST_DATE, LAST_DATE = date(1678, 1, 1), date(2261, 12, 31)


@dataclass
class Finding:
    """Rows of one column that break one rule."""

    rule: str
    column: str | None
    rows: np.ndarray
    message: str | list[str]  # one for every row, or one per row
    severity: str = "error"
    values: list[Any] | None = None  # None: the cells as written


def _rows(mask: Any) -> np.ndarray:
    if isinstance(mask, pyarrow.ChunkedArray | pyarrow.Array):
        mask = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
    return np.flatnonzero(np.asarray(mask, dtype=bool))


def _matches(column: pyarrow.ChunkedArray, pattern: str) -> np.ndarray:
    """True where a cell is present and matches ``pattern``."""
    return pc.fill_null(pc.match_substring_regex(column, pattern), False).to_numpy(
        zero_copy_only=False)


def _only(column: pyarrow.ChunkedArray, keep: np.ndarray) -> pyarrow.ChunkedArray:
    """``column`` with every cell outside ``keep`` made null."""
    return pc.if_else(pyarrow.array(keep), column, pyarrow.scalar(None, pyarrow.string()))


def _per_distinct(name: str, dtype: str,
                  column: pyarrow.ChunkedArray) -> tuple[pd.Series, list[Finding]]:
    """:func:`convert` run once per distinct cell, the result spread back over the rows.

    A million claims hold a few thousand distinct dates and figures; parsing is what costs.
    """
    encoded = pc.dictionary_encode(column.combine_chunks())
    typed, found = convert(name, dtype, None, pyarrow.chunked_array([encoded.dictionary]))
    at = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    for finding in found:
        bad = np.zeros(len(typed) + 1, dtype=bool)  # the extra one stands for null (-1)
        bad[finding.rows] = True
        finding.rows = np.flatnonzero(bad[at])
    return pd.Series(pd.api.extensions.take(typed.array, at, allow_fill=True)), found


def convert(name: str, dtype: str, categories: list[str] | None,
            column: pyarrow.ChunkedArray) -> tuple[pd.Series, list[Finding]]:
    """One text column in the type ``dtype`` (pandera's name), and the cells that failed.

    Parameters
    ----------
    name : str
        The column's name, for messages.
    dtype : str
        ``str``, ``Int64``, ``float64``, ``bool``, ``datetime64[ns]`` or ``category``.
    categories : list of str or None
        The codes of a ``category`` column.
    column : pyarrow.ChunkedArray
        The cells as read (strings, null for empty).

    Returns
    -------
    (pandas.Series, list of Finding)
        The typed column, null where a cell did not convert, and what did not.
    """
    present = pc.is_valid(column).to_numpy(zero_copy_only=False)
    found: list[Finding] = []
    if dtype == "category":
        assert categories is not None
        codes = pc.fill_null(pc.index_in(column, pyarrow.array(categories)), -1).to_numpy(
            zero_copy_only=False).astype(np.int16)
        found.append(Finding("enum", name, _rows(present & (codes < 0)),
                             f"{name} must be one of: {', '.join(categories)}"))
        typed = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories,
                                                                           ordered=True))
        return pd.Series(typed), found
    if dtype == "Int64":
        ok = _matches(column, INTEGER)
        short = ok & (pc.fill_null(pc.utf8_length(column), 0).to_numpy(
            zero_copy_only=False) <= 18)
        found.append(Finding("type", name, _rows(present & ~ok),
                             f"{name} must be a whole number in plain decimal form "
                             "(no leading zeros, no sign on 0)"))
        found.append(Finding("type", name, _rows(ok & ~short), f"{name} is too large"))
        typed = pc.cast(_only(column, short), pyarrow.int64())
        return pd.Series(typed.to_pandas(types_mapper={pyarrow.int64(): pd.Int64Dtype()}.get),
                         dtype="Int64"), found
    if dtype == "float64":
        ok = _matches(column, NUMBER)
        found.append(Finding("type", name, _rows(present & ~ok),
                             f"{name} must be a decimal number"))
        return pd.Series(pc.cast(_only(column, ok), pyarrow.float64()).to_numpy(
            zero_copy_only=False), dtype="float64"), found
    if dtype == "bool":
        true, false = _matches(column, "^true$"), _matches(column, "^false$")
        found.append(Finding("type", name, _rows(present & ~true & ~false),
                             f"{name} must be true or false"))
        if (true | false).all():
            return pd.Series(true, dtype=bool), found
        flags = np.where(true | false, true.astype(object), np.array(None, dtype=object))
        return pd.Series(pd.array(flags, dtype="boolean")), found
    if dtype.startswith("datetime64"):
        ok = _matches(column, DATE)
        found.append(Finding("type", name, _rows(present & ~ok),
                             f"{name} must be a date written YYYY-MM-DD"))
        parsed = pc.strptime(_only(column, ok), format="%Y-%m-%d", unit="s", error_is_null=True)
        real = pc.is_valid(parsed).to_numpy(zero_copy_only=False)
        # Arrow's parser rolls 30 February over into March: a day past the 28th is real
        # when the date prints back as it was read
        late = np.flatnonzero(real & (_matches(column, "-(29|3[01])$")))
        if len(late):
            taken = pyarrow.array(late)
            again = pc.strftime(parsed.take(taken), format="%Y-%m-%d")
            real[late] = pc.equal(again, column.take(taken)).to_numpy(zero_copy_only=False)
        found.append(Finding("date-real", name, _rows(ok & ~real),
                             f"{name} is not a real date"))
        days = pc.cast(parsed, pyarrow.date32())
        inside = pc.and_(pc.greater_equal(days, pyarrow.scalar(FIRST_DATE)),
                         pc.less_equal(days, pyarrow.scalar(LAST_DATE)))
        inside = pc.fill_null(inside, False).to_numpy(zero_copy_only=False)
        found.append(Finding("date-real", name, _rows(real & ~inside),
                             f"{name} is outside the dates the loader can represent "
                             f"({FIRST_DATE} to {LAST_DATE})"))
        kept = pc.if_else(pyarrow.array(inside & real), parsed,
                          pyarrow.scalar(None, parsed.type))
        return pd.Series(kept.to_numpy(zero_copy_only=False).astype("datetime64[ns]")), found
    return pd.Series(column.to_pandas(), dtype="str"), found


#: pandera's built-in checks: the rule each reports, and its message (``{name}`` is the
#: column; the other fields are the check's statistics).
_RULE_OF_CHECK = {
    "not_nullable": ("required", "{name} is required"),
    "str_matches": ("pattern", "{name} must match {pattern}"),
    "str_length": ("max-length", "{name} is longer than {max_value} characters"),
    "greater_than_or_equal_to": ("minimum", "{name} is below {min_value}"),
    "less_than_or_equal_to": ("maximum", "{name} is above {max_value}"),
    "field_uniqueness": ("unique", "{name} is not unique"),
    "multiple_fields_uniqueness": ("unique", "the primary key ({key}) is not unique"),
}


def model_findings(model: type[pa.DataFrameModel], frame: pd.DataFrame,
                   converted: set[tuple[int, str]], failed_columns: set[str]) -> list[Finding]:
    """Run ``model`` on ``frame`` lazily; its failure cases as findings.

    Parameters
    ----------
    model : pandera DataFrameModel
        The table's model.
    frame : pandas.DataFrame
        The typed table (columns the file lacks are left out: already reported).
    converted : set of (int, str)
        Cells (row, column) already reported by the conversion: pandera's failures there
        say the same thing again.
    failed_columns : set of str
        Columns with such cells: their dtype differs from the model's where a cell is null.

    Returns
    -------
    list of Finding
        One per column, check and severity, rows in file order.
    """
    pandera_schema = model.to_schema()
    try:
        pandera_schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    stats = {name: {c.name: (c.statistics or {}) for c in col.checks}
             for name, col in pandera_schema.columns.items()}
    findings: dict[tuple[str, str, str], tuple[list[int], str]] = {}
    for column, check, index in zip(cases["column"], cases["check"], cases["index"],
                                    strict=True):
        if index is None or pd.isna(index) or column not in frame.columns:
            continue  # column-level: a missing or unknown column, reported from the header
        check_name = str(check).split("(", 1)[0]
        row = int(index)
        if (row, column) in converted:
            continue
        check_stats = stats.get(column, {}).get(check_name, {})
        if check_name in schema.FIELD_CHECKS:
            rule, message = schema.FIELD_CHECKS[check_name]
            severity = check_stats.get("severity", "error")
        elif check_name in _RULE_OF_CHECK:
            rule, text = _RULE_OF_CHECK[check_name]
            severity = "error"
            message = text.format(name=column, key=", ".join(pandera_schema.unique or []),
                                  **{"pattern": None, "min_value": None, "max_value": None,
                                     **check_stats})
        elif check_name == "dtype" and column in failed_columns:
            continue
        else:
            rule, severity, message = "type", "error", f"{column} fails pandera check {check}"
        entry = findings.setdefault((column, rule, severity), ([], message))
        entry[0].append(row)
    out = []
    for (column, rule, severity), (rows, message) in findings.items():
        ordered = np.unique(np.asarray(rows, dtype=np.int64))
        out.append(Finding(rule, column, ordered, message, severity))
    return out


def typed_table(table: str, text: pyarrow.Table) -> tuple[pd.DataFrame, list[Finding]]:
    """The typed frame of ``table`` from its text cells, and the cells that did not convert.

    Parameters
    ----------
    table : str
        The table's name (a key of :data:`incidents.schema.MODELS`).
    text : pyarrow.Table
        String columns as read; columns the schema does not know are left out.

    Returns
    -------
    (pandas.DataFrame, list of Finding)
        The frame in the schema's column order (columns the file lacks are absent).
    """
    columns = schema.MODELS[table].to_schema().columns
    data: dict[str, pd.Series] = {}
    found: list[Finding] = []
    for name, col in columns.items():
        if name not in text.column_names:
            continue
        dtype = str(col.dtype)
        categories = (list(col.dtype.type.categories) if dtype == "category" else None)
        convert_column = (_per_distinct if dtype == "Int64" or dtype.startswith("datetime")
                          else partial(convert, categories=categories))
        data[name], findings = convert_column(name, dtype, column=text.column(name))
        found += [f for f in findings if len(f.rows)]
    return pd.DataFrame(data), found


def table_findings(table: str, frame: pd.DataFrame, conversion: list[Finding]) -> list[Finding]:
    """What the model of ``table`` finds in ``frame``, past the cells ``conversion`` reported."""
    converted = {(int(r), f.column) for f in conversion for r in f.rows if f.column is not None}
    failed = {f.column for f in conversion if f.column is not None}
    return model_findings(schema.MODELS[table], frame, converted, failed)
