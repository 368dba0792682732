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
from incidents.descriptor import PackageError, read_descriptor, resource, resource_path
from incidents.vocab import TABLES

Table = Literal["flat", "incidents", "claims", "sources", "actors", "links"]


class DataError(ValueError):
    """Raised when a table cannot be loaded as its schema says; run ``incidents validate``."""


#: Largest table file the loader reads, in bytes (1 GiB, as the validator's default).
MAX_TABLE_BYTES = 1 << 30

# datetime64[ns] holds 1677-09-22 to 2262-04-11; a date outside cannot be loaded
_FIRST_DATE, _LAST_DATE = np.datetime64("1677-09-22", "D"), np.datetime64("2262-04-11", "D")


_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}


def _arrow_type(field: dict) -> pa.DataType:
    """A coded field is read as a dictionary: its few values are checked and converted once."""
    if field.get("constraints", {}).get("enum"):
        return pa.dictionary(pa.int32(), pa.string())
    return _ARROW_TYPES[field["type"]]


def _fields(res: dict, table: str) -> list[dict]:
    """The resource's fields, checked to be what the loader can read (else PackageError)."""
    schema = res.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    where = f"datapackage.json: resource {table!r}"
    if not isinstance(fields, list) or not fields:
        raise PackageError(f"{where} has no list of fields; run `incidents build`")
    for field in fields:
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            raise PackageError(f"{where} has a field that is not an object with a name: "
                               f"{field!r:.80}")
        if field.get("type") not in _ARROW_TYPES:
            raise PackageError(f"{where}: field {field['name']!r} has type "
                               f"{field.get('type')!r:.40}; expected one of "
                               f"{', '.join(_ARROW_TYPES)}")
        constraints = field.get("constraints", {})
        enum = constraints.get("enum") if isinstance(constraints, dict) else None
        if not isinstance(constraints, dict) or (
                enum is not None and not (isinstance(enum, list)
                                          and all(isinstance(c, str) for c in enum))):
            raise PackageError(f"{where}: field {field['name']!r} has malformed constraints")
    return fields


def _read_arrow(path: Path, fields: list[dict]) -> pa.Table:
    names = [f["name"] for f in fields]
    convert = pacsv.ConvertOptions(
        column_types={f["name"]: _arrow_type(f) for f in fields},
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
        used = [chunk.dictionary for chunk in column.chunks]
        if all(pc.all(pc.is_in(values, pa.array(enum))).as_py() for values in used):
            continue
        column = column.cast(pa.string())
        outside = pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, pa.array(enum))))
        if pc.any(outside).as_py():
            bad = pc.filter(column, outside)[0].as_py()
            raise DataError(
                f"{source}: column {field['name']!r} holds {bad!r}, which is not one of its "
                "codes; run `incidents validate` for the full report"
            )


def _check_dates(table: pa.Table, fields: list[dict], source: Path) -> None:
    """Refuse a date that ``datetime64[ns]`` cannot hold rather than fail inside pandas."""
    for field in fields:
        if field["type"] != "date":
            continue
        column = table.column(field["name"])
        if column.null_count == len(column):
            continue
        days = pc.min_max(column)
        lo, hi = days["min"].as_py(), days["max"].as_py()
        for value in (lo, hi):
            if not _FIRST_DATE <= np.datetime64(value, "D") <= _LAST_DATE:
                raise DataError(
                    f"{source}: column {field['name']!r} holds {value.isoformat()}, outside "
                    f"the dates the loader can represent ({_FIRST_DATE} to {_LAST_DATE}); "
                    "run `incidents validate` for the full report")


def _to_pandas(table: pa.Table, fields: list[dict], source: Path) -> pd.DataFrame:
    _check_codes(table, fields, source)
    _check_dates(table, fields, source)
    frame = table.to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype()}.get,
        date_as_object=False,
    )
    for field in fields:
        name = field["name"]
        if field["type"] == "date":
            frame[name] = frame[name].astype("datetime64[ns]")
        enum = field.get("constraints", {}).get("enum")
        if enum:  # read as a dictionary, so already categorical: only the categories change
            frame[name] = frame[name].cat.set_categories(enum, ordered=True)
    return frame


def load_table(table: str, root: Path | None = None,
               columns: list[str] | None = None) -> pd.DataFrame:
    """Load one tidy table with the types its schema declares.

    Parameters
    ----------
    table : {"incidents", "claims", "sources", "actors"}
        The table to read.
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    columns : list of str, optional
        Read only these columns (default: all), in the schema's order.

    Returns
    -------
    pandas.DataFrame
        Dates as ``datetime64[ns]``, counts as nullable ``Int64``, coded fields as ordered
        categoricals, flags as ``bool``, text as ``string``.

    Raises
    ------
    DataError
        When a file does not parse as its schema says, lacks a column its schema names,
        holds a date outside 1677-09-22..2262-04-11, or is larger than
        :data:`MAX_TABLE_BYTES` (1 GiB).
    incidents.descriptor.PackageError
        When the package's ``datapackage.json`` or the table's file cannot be used safely
        (see :func:`incidents.descriptor.resource_path`).
    """
    root = Path(root) if root is not None else bundled_root()
    descriptor = read_descriptor(root)
    # any table the descriptor declares (links, when the package has it) loads the same way
    if table not in TABLES and table not in {r.get("name") for r in descriptor["resources"]}:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)} or 'flat'")
    path = resource_path(root, descriptor, table)
    fields = _fields(resource(descriptor, table), table)
    if columns is not None:
        unknown = sorted(set(columns) - {f["name"] for f in fields})
        if unknown:
            raise ValueError(f"{table} has no column {', '.join(map(repr, unknown))}")
        fields = [f for f in fields if f["name"] in columns]
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise DataError(f"{path}: is {size} bytes, more than the loader's limit of "
                        f"{MAX_TABLE_BYTES} bytes")
    try:
        arrow = _read_arrow(path, fields)
    except (pa.ArrowInvalid, pa.ArrowKeyError, pa.ArrowTypeError, OSError) as exc:
        raise DataError(f"{path}: {_arrow_message(exc)}; run `incidents validate` for the "
                        "full report") from exc
    return _to_pandas(arrow, fields, path)


def _arrow_message(exc: Exception) -> str:
    """Arrow's message on one line; a missing column said in the reader's words."""
    text = " ".join(str(exc).split())
    if isinstance(exc, pa.ArrowKeyError):
        return f"a column the schema names is missing ({text})"
    return text


def _figure_range(claims: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Smallest and largest figure any claim states for ``measure``, per incident."""
    chosen = (claims["measure"] == measure) & (claims["victims"] != "children")
    rows = claims.loc[chosen, ["incident_id", "low", "best", "high"]]
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


def _coded(values: pd.Series, sort: bool = False) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of ``values`` (-1 for missing) and the values they stand for."""
    codes, uniques = pd.factorize(values, sort=sort)
    return codes.astype(np.int64), uniques


def _distinct_pairs(first: np.ndarray, second: np.ndarray, size: int):
    """The distinct (first, second) code pairs without a -1, sorted, as two arrays.

    By sorting one int64 key per pair: np.unique hashes instead, many times slower here.
    """
    keep = (first >= 0) & (second >= 0)
    size = max(size, 1)
    pair = np.sort(first[keep] * size + second[keep])
    distinct = pair[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else pair
    return np.divmod(distinct, size)


def _joined_runs(incident: np.ndarray, value: np.ndarray, names: pd.Index,
                 incidents: int) -> np.ndarray:
    """Per incident code, its distinct values' names in code order, joined by "; "."""
    run_incident, run_value = _distinct_pairs(incident, value, len(names))
    starts = np.flatnonzero(np.r_[True, run_incident[1:] != run_incident[:-1]])
    # each incident's values as one list, joined by Arrow rather than a Python call each
    text = pa.array(np.asarray(names, dtype=object), pa.string()).take(pa.array(run_value))
    lists = pa.ListArray.from_arrays(pa.array(np.r_[starts, len(run_value)], pa.int32()), text)
    joined = np.full(incidents, None, dtype=object)
    joined[run_incident[starts]] = pc.binary_join(lists, "; ").to_numpy(zero_copy_only=False)
    return joined


def _claim_counts(claims: pd.DataFrame, sources: pd.DataFrame, sides: pd.Series) -> pd.DataFrame:
    """Per incident_id of the claims: claims, distinct sources, publishers and sides.

    Publishers and sides are the distinct names in sorted order joined by "; " (None when
    no claim of the incident names one). Everything is integer codes: each string column
    is hashed once.
    """
    incident, incident_ids = _coded(claims["incident_id"])
    n = len(incident_ids)
    source, source_ids = _coded(claims["source_id"])
    claimant, claimant_ids = _coded(claims["claimant"])
    publisher_of = sources.set_index("source_id")["publisher"].reindex(source_ids)
    publisher, publishers = _coded(publisher_of.astype("string"), sort=True)
    side_of = sides.reindex(claimant_ids)
    side, side_names = _coded(side_of.astype("string"), sort=True)
    # a claim's publisher and side through its source and claimant (-1 stays -1)
    claim_publisher = np.append(publisher, -1)[source]
    claim_side = np.append(side, -1)[claimant]
    index = pd.Index(incident_ids, dtype=claims["incident_id"].dtype, name="incident_id")
    return pd.DataFrame({
        "claims": np.bincount(incident, minlength=n),
        "sources": np.bincount(_distinct_pairs(incident, source, len(source_ids))[0],
                               minlength=n),
        "publishers": _joined_runs(incident, claim_publisher, publishers, n),
        "sides": _joined_runs(incident, claim_side, side_names, n),
    }, index=index)


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
    claims = load_table("claims", root, columns=["incident_id", "source_id", "claimant",
                                                  "measure", "victims", "low", "best", "high"])
    sources = load_table("sources", root, columns=["source_id", "publisher"])
    actors = load_table("actors", root, columns=["actor_id", "name", "side"]).set_index(
        "actor_id")

    names = actors["name"]
    sides = actors["side"].astype("string")
    flat = incidents.set_index("incident_id")
    flat = flat.assign(
        perpetrator_side=pd.Categorical(
            flat["perpetrator"].map(sides), categories=actors["side"].cat.categories, ordered=True
        ),
        perpetrator=flat["perpetrator"].map(names),
        target=flat["target"].map(names),
    )
    flat = flat.join(_figure_range(claims, "killed")).join(_figure_range(claims, "injured"))
    flat = flat.join(_claim_counts(claims, sources, sides))
    flat[["claims", "sources"]] = flat[["claims", "sources"]].fillna(0).astype("Int64")
    for col in ("publishers", "sides"):
        flat[col] = flat[col].astype("string").fillna("")
    return flat.reset_index()[list(_flat_columns(root))]


def _flat_columns(root: Path | None) -> dict[str, str]:
    """The flat view's columns and descriptions.

    From the package's descriptor when it has a ``views.flat`` block, else from the
    descriptor bundled with this version (a package need not carry views).
    """
    for candidate in (root, None):
        views = read_descriptor(candidate).get("views")
        flat = views.get("flat") if isinstance(views, dict) else None
        if isinstance(flat, dict) and flat and all(
                isinstance(k, str) and isinstance(v, str) for k, v in flat.items()):
            return flat
        if candidate is None:
            break
    raise PackageError("datapackage.json: has no views.flat block describing the flat view")


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

    Raises
    ------
    DataError, incidents.descriptor.PackageError
        As for :func:`load_table`: the message names the file and what is wrong.

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
                for k, v in _flat_columns(root).items()]
        return pd.DataFrame(rows)
    rows = []
    for field in _fields(resource(descriptor, table), table):
        rows.append({
            "field": field["name"],
            "type": field["type"],
            "required": bool(field.get("constraints", {}).get("required", False)),
            "description": str(field.get("description", "")),
            "codes": field.get("codes", {}),
        })
    return pd.DataFrame(rows)
