"""SQLite: every table with its keys declared, the flat view, and the conflicts as views.

Primary and foreign keys come from the descriptor and each foreign key column gets an index.
Each coded column refers to a table of its codes and their definitions
(``claims_measure_codes`` ...). Two helper objects make the disputes queryable:

* ``claim_intervals`` -- each claim's bounds as :mod:`incidents.claims` reads its qualifier
  (``hi`` NULL for a floor: no upper bound);
* ``figure_conflicts`` -- pairs of claims about one incident, measure and victim group, from
  different sides (an unknown speaker is on no side), whose bounds do not overlap;
  ``conflicting_incidents`` the incidents with
  at least one such pair;
* ``claims_by_side`` -- claims with the claimant's side, the publisher, the source's address
  and the incident's year, for browsing and facets.

The database is built in a temporary file beside the target and renamed over it when complete.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from incidents.claims import intervals
from incidents.exporters._files import out_dir
from incidents.exporters._package import Package
from incidents.safeio import WriteError, atomic_path

FILENAME = "incidents.sqlite"

_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT",
              "string": "TEXT"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_type(frame: pd.DataFrame, col: str, field: dict | None) -> str:
    if field is not None and "type" in field:
        return _SQL_TYPES[field["type"]]
    dtype = frame[col].dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        return "INTEGER"
    if pd.api.types.is_float_dtype(dtype):
        return "REAL"
    return "TEXT"


def _create_table(package: Package, name: str) -> tuple[str, list[str]]:
    """``CREATE TABLE`` for ``name`` and the ``CREATE INDEX`` statements of its foreign keys."""
    frame = package.tables[name]
    res = package.resource(name)
    by_name = {f["name"]: f for f in package.fields(name)} if res is not None else {}
    lines = []
    for col in frame.columns:
        field = by_name.get(col)
        line = f"{_quote(col)} {_sql_type(frame, col, field)}"
        constraints = (field or {}).get("constraints", {})
        if constraints.get("required"):
            line += " NOT NULL"
        lines.append(line)
    if res is not None:
        schema = res["schema"]
        keys = schema.get("primaryKey") or []
        foreign = schema.get("foreignKeys", [])
    else:  # the flat view: one row per incident
        keys = ["incident_id"]
        foreign = [{"fields": ["incident_id"],
                    "reference": {"resource": "incidents", "fields": ["incident_id"]}}]
    if keys:
        lines.append(f"PRIMARY KEY ({', '.join(map(_quote, keys))})")
    # a coded column refers to its code list: a foreign key costs nothing while loading
    # (a CHECK of every code doubled the time) and Datasette links each code to its definition
    foreign = foreign + [
        {"fields": [f["name"]], "reference": {"resource": code_table(name, f["name"]),
                                               "fields": ["code"]}, "coded": True}
        for f in by_name.values() if f.get("constraints", {}).get("enum")]
    indexes = []
    for fk in foreign:
        cols = ", ".join(map(_quote, fk["fields"]))
        ref = fk["reference"]
        lines.append(f"FOREIGN KEY ({cols}) REFERENCES {_quote(ref['resource'])} "
                     f"({', '.join(map(_quote, ref['fields']))})")
        if fk["fields"] != keys and not fk.get("coded"):
            index = _quote(f"{name}_{'_'.join(fk['fields'])}")
            indexes.append(f"CREATE INDEX {index} ON {_quote(name)} ({cols})")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {_quote(name)} (\n  {body}\n)", indexes


def code_table(table: str, column: str) -> str:
    """Name of the table listing the codes of ``table.column``."""
    return f"{table}_{column}_codes"


def code_lists(package: Package) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """Each coded field's code list: (code table, table, column, [(code, definition), ...])."""
    out = []
    for res in package.descriptor["resources"]:
        for field in res["schema"]["fields"]:
            enum = field.get("constraints", {}).get("enum")
            if enum:
                codes = field.get("codes", {})
                out.append((code_table(res["name"], field["name"]), res["name"], field["name"],
                            [(code, codes.get(code, "")) for code in enum]))
    return out


def _columns(frame: pd.DataFrame) -> list[list]:
    """Each column as a Python list SQLite takes: None for missing, dates as ISO text."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    out = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.date32()).cast(pa.string())
        elif pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        out.append(col.to_pylist())
    return out


def _insert(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    marks = ", ".join("?" * len(frame.columns))
    rows = zip(*_columns(frame), strict=True)
    con.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", rows)


def _claim_intervals(claims: pd.DataFrame) -> pd.DataFrame:
    lo, hi = intervals(claims["qualifier"].astype(object).to_numpy(),
                       claims["low"].to_numpy(dtype=np.float64, na_value=np.nan),
                       claims["best"].to_numpy(dtype=np.float64, na_value=np.nan),
                       claims["high"].to_numpy(dtype=np.float64, na_value=np.nan))
    keep = ~np.isnan(lo)
    hi = np.where(np.isinf(hi), np.nan, hi)  # no upper bound: NULL
    return pd.DataFrame({"claim_id": claims["claim_id"].to_numpy()[keep],
                         "lo": lo[keep], "hi": hi[keep]})


_INTERVALS = """CREATE TABLE claim_intervals (
  claim_id TEXT PRIMARY KEY REFERENCES claims (claim_id),
  lo REAL NOT NULL,
  hi REAL
)"""

_VIEWS = [
    """CREATE VIEW claims_by_side AS
SELECT c.claim_id, c.incident_id, substr(i.date, 1, 4) AS year, c.claimant, a.name AS
  claimant_name, a.side, c.measure, c.victims, c.low, c.best, c.high, c.qualifier,
  c.vague_term, c.stance, c.quote, c.quote_en, c.claimed_on, s.publisher, s.url AS source_url,
  c.source_id
FROM claims c
JOIN incidents i ON i.incident_id = c.incident_id
LEFT JOIN actors a ON a.actor_id = c.claimant
LEFT JOIN sources s ON s.source_id = c.source_id""",
    """CREATE VIEW figure_conflicts AS
SELECT a.incident_id, a.measure, a.victims,
  sa.side AS side_high, a.claim_id AS claim_high, ia.lo AS low_bound,
  sb.side AS side_low, b.claim_id AS claim_low, ib.hi AS high_bound
FROM claims a
JOIN claim_intervals ia ON ia.claim_id = a.claim_id
JOIN actors sa ON sa.actor_id = a.claimant
JOIN claims b ON b.incident_id = a.incident_id AND b.measure = a.measure
  AND b.victims = a.victims
JOIN claim_intervals ib ON ib.claim_id = b.claim_id
JOIN actors sb ON sb.actor_id = b.claimant
WHERE sa.side <> sb.side AND ib.hi IS NOT NULL AND ia.lo > ib.hi
  AND sa.side <> 'unknown' AND sb.side <> 'unknown'""",
    """CREATE VIEW conflicting_incidents AS
SELECT i.* FROM incidents i
WHERE i.incident_id IN (SELECT incident_id FROM figure_conflicts)""",
]


def build(package: Package, path: Path) -> None:
    """Build the database at ``path`` (a new, empty file) from the loaded tables."""
    con = sqlite3.connect(path)
    try:
        # the file is fsynced and renamed only once complete: no journal is needed
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        indexes = []
        with con:
            for table, _, _, codes in code_lists(package):
                con.execute(f"CREATE TABLE {_quote(table)} (code TEXT PRIMARY KEY, "
                            "definition TEXT NOT NULL)")
                con.executemany(f"INSERT INTO {_quote(table)} VALUES (?, ?)", codes)
            for name, frame in package.tables.items():
                create, table_indexes = _create_table(package, name)
                con.execute(create)
                indexes += table_indexes
                _insert(con, name, frame)
            if "claims" in package.tables and "actors" in package.tables:
                con.execute(_INTERVALS)
                _insert(con, "claim_intervals", _claim_intervals(package.tables["claims"]))
                for view in _VIEWS:
                    con.execute(view)
            for statement in indexes:
                con.execute(statement)
    finally:
        con.close()


def write(package: Package, out: Path) -> list[Path]:
    """Write ``incidents.sqlite`` into ``out``.

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
    path = out_dir(out) / FILENAME
    try:
        with atomic_path(path) as tmp:
            build(package, tmp)
    except sqlite3.Error as exc:  # a full disk, a read-only directory ...
        raise WriteError(errno.EIO, f"SQLite: {exc}", str(path)) from exc
    return [path]


__all__ = ["FILENAME", "build", "code_lists", "code_table", "write"]
