"""Typed loaders for the bundled tables and the flat per-incident view.

Types come from the generated ``datapackage.json`` (a JSON read), never from guessing and
never from pandera, so ``import incidents; incidents.load()`` stays as cheap as reading the
CSV files. Nothing here touches the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from incidents._paths import bundled_root
from incidents.descriptor import read_descriptor, resource

Table = Literal["flat", "incidents", "claims", "sources", "actors"]
TABLES = ("incidents", "claims", "sources", "actors")


class DataError(ValueError):
    """Raised when a table cannot be loaded as its schema says; run ``incidents validate``."""


_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}


def _read_arrow(path: Path, fields: list[dict]) -> pa.Table:
    names = [f["name"] for f in fields]
    convert = pacsv.ConvertOptions(
        column_types={f["name"]: _ARROW_TYPES[f["type"]] for f in fields},
        null_values=[""],
        strings_can_be_null=True,
        true_values=["true"],
        false_values=["false"],
        include_columns=names,
    )
    return pacsv.read_csv(path, convert_options=convert)


def _check_codes(table: pa.Table, fields: list[dict], source: Path) -> None:
    """Refuse a value outside its codes, which a categorical would silently turn to NaN."""
    for field in fields:
        enum = field.get("constraints", {}).get("enum")
        if not enum:
            continue
        column = table.column(field["name"])
        outside = pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, pa.array(enum))))
        if pc.any(outside).as_py():
            bad = pc.filter(column, outside)[0].as_py()
            raise DataError(
                f"{source}: column {field['name']!r} holds {bad!r}, which is not one of its "
                "codes; run `incidents validate` for the full report"
            )


def _to_pandas(table: pa.Table, fields: list[dict], source: Path) -> pd.DataFrame:
    _check_codes(table, fields, source)
    frame = table.to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype()}.get,
        date_as_object=False,
    )
    for field in fields:
        name = field["name"]
        if field["type"] == "date":
            frame[name] = frame[name].astype("datetime64[ns]")
        enum = field.get("constraints", {}).get("enum")
        if enum:
            frame[name] = pd.Categorical(frame[name], categories=enum, ordered=True)
    return frame


def load_table(table: str, root: Path | None = None) -> pd.DataFrame:
    """Load one tidy table with the types its schema declares.

    Parameters
    ----------
    table : {"incidents", "claims", "sources", "actors"}
        The table to read.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    pandas.DataFrame
        Dates as ``datetime64[ns]``, counts as nullable ``Int64``, coded fields as ordered
        categoricals, flags as ``bool``, text as ``string``.

    Raises
    ------
    DataError
        When a file does not parse as its schema says.
    """
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)} or 'flat'")
    root = root if root is not None else bundled_root()
    res = resource(read_descriptor(root), table)
    fields = res["schema"]["fields"]
    path = root / res["path"]
    try:
        arrow = _read_arrow(path, fields)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(f"{path}: {exc}; run `incidents validate` for the full report") from exc
    return _to_pandas(arrow, fields, path)


def _figure_range(claims: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Smallest and largest figure any claim states for ``measure``, per incident."""
    rows = claims[(claims["measure"] == measure) & (claims["victims"] != "children")]
    figures = rows[["low", "best", "high"]]
    per_claim = pd.DataFrame({
        "incident_id": rows["incident_id"],
        "lo": figures.min(axis=1, skipna=True),
        "hi": figures.max(axis=1, skipna=True),
    })
    grouped = per_claim.groupby("incident_id", observed=True)
    out = pd.DataFrame({f"{measure}_low": grouped["lo"].min(),
                        f"{measure}_high": grouped["hi"].max()})
    return out.astype("Int64")


def _joined_per_incident(claims: pd.DataFrame, column: str) -> pd.Series:
    """The distinct values of ``column`` per incident_id, sorted and joined by "; ".

    Done without a Python call per group: incidents and values become integer codes (the
    values' codes in sorted order), the distinct (incident, value) pairs are sorted as
    integers, and each incident's values are then one run of them. Incidents whose values
    are all missing are left out (the flat view fills them with "").
    """
    pairs = claims[["incident_id", column]].dropna()
    incident, incident_ids = pd.factorize(pairs["incident_id"])
    # the values as text, coded in sorted order
    value, values = pd.factorize(pairs[column].astype("string"), sort=True)
    distinct = np.unique(incident.astype(np.int64) * max(len(values), 1) + value)
    run_incident, run_value = np.divmod(distinct, max(len(values), 1))
    starts = np.flatnonzero(np.r_[True, run_incident[1:] != run_incident[:-1]])
    ends = np.r_[starts[1:], len(distinct)]
    names = np.asarray(values, dtype=object)
    joined = ["; ".join(names[run_value[a:b]]) for a, b in zip(starts, ends, strict=True)]
    index = pd.Index(np.asarray(incident_ids, dtype=object)[run_incident[starts]],
                     dtype=claims["incident_id"].dtype, name="incident_id")
    return pd.Series(joined, index=index, dtype=object)


def flat_view(root: Path | None = None) -> pd.DataFrame:
    """Return one row per incident with names, figure ranges, source counts and the flag.

    Parameters
    ----------
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    pandas.DataFrame
        The columns listed in ``codebook("flat")``.
    """
    incidents = load_table("incidents", root)
    claims = load_table("claims", root)
    sources = load_table("sources", root)
    actors = load_table("actors", root).set_index("actor_id")

    names = actors["name"]
    sides = actors["side"].astype("string")
    claims = claims.assign(
        publisher=claims["source_id"].map(sources.set_index("source_id")["publisher"]),
        side=claims["claimant"].map(sides),
    )
    by_incident = claims.groupby("incident_id", observed=True)
    counts = pd.DataFrame({
        "claims": by_incident.size(),
        "sources": by_incident["source_id"].nunique(),
        "publishers": _joined_per_incident(claims, "publisher"),
        "sides": _joined_per_incident(claims, "side"),
    })
    flat = incidents.set_index("incident_id")
    flat = flat.assign(
        perpetrator_side=pd.Categorical(
            flat["perpetrator"].map(sides), categories=actors["side"].cat.categories, ordered=True
        ),
        perpetrator=flat["perpetrator"].map(names),
        target=flat["target"].map(names),
    )
    flat = flat.join(_figure_range(claims, "killed")).join(_figure_range(claims, "injured"))
    flat = flat.join(counts)
    flat[["claims", "sources"]] = flat[["claims", "sources"]].fillna(0).astype("Int64")
    for col in ("publishers", "sides"):
        flat[col] = flat[col].astype("string").fillna("")
    columns = list(read_descriptor(root)["views"]["flat"])
    return flat.reset_index()[columns]


def load(table: Table = "flat", root: Path | None = None) -> pd.DataFrame:
    """Load the dataset.

    Parameters
    ----------
    table : {"flat", "incidents", "claims", "sources", "actors"}, default "flat"
        ``"flat"`` gives one row per incident with the reported casualty ranges; the other
        names give the tidy tables.
    root : pathlib.Path, optional
        A data package directory holding ``datapackage.json`` and ``data/`` (default: the
        data bundled with the package).

    Returns
    -------
    pandas.DataFrame
        A typed frame; see :func:`incidents.codebook` for the columns.

    Examples
    --------
    >>> import incidents
    >>> flat = incidents.load()
    >>> claims = incidents.load("claims")
    """
    if table == "flat":
        return flat_view(root)
    return load_table(table, root)


def codebook(table: Table = "flat", root: Path | None = None) -> pd.DataFrame:
    """Return the field definitions of ``table`` as a DataFrame.

    Parameters
    ----------
    table : {"flat", "incidents", "claims", "sources", "actors"}, default "flat"
        The table whose fields to describe (``"flat"``: the flat view).
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    pandas.DataFrame
        One row per field: ``field``, ``type``, ``required``, ``description`` and ``codes``
        (a dict of code -> definition for coded fields, else empty).
    """
    descriptor = read_descriptor(root)
    if table == "flat":
        rows = [{"field": k, "type": "", "required": False, "description": v, "codes": {}}
                for k, v in descriptor["views"]["flat"].items()]
        return pd.DataFrame(rows)
    rows = []
    for field in resource(descriptor, table)["schema"]["fields"]:
        rows.append({
            "field": field["name"],
            "type": field["type"],
            "required": bool(field.get("constraints", {}).get("required", False)),
            "description": field["description"],
            "codes": field.get("codes", {}),
        })
    return pd.DataFrame(rows)
