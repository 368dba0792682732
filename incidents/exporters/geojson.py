"""GeoJSON (RFC 7946): a FeatureCollection of the incidents that have coordinates.

Each feature is a Point ``[longitude, latitude]`` whose properties are the flat view's columns
plus ``location_precision`` and ``coordinates_source``, so a map can say how exact each point
is (a struck site, a town, a neighbouring town).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from incidents.exporters._files import out_dir
from incidents.exporters._package import FLAT, Package
from incidents.safeio import atomic_write

FILENAME = "incidents.geojson"
PRECISION_COLUMNS = ("location_precision", "coordinates_source")


def _properties_json(frame: pd.DataFrame) -> list[str]:
    """Each row of ``frame`` as a JSON object, written by pandas' C encoder."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_timestamp(col.type):  # dates as ISO text, as in the CSV files
            col = col.cast(pa.date32()).cast(pa.string())
        elif pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        columns[name] = col
    text = pa.table(columns).to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype()}.get).to_json(
        orient="records", lines=True, force_ascii=False, date_format="iso")
    return text.splitlines() if text else []


def feature_collection(package: Package) -> dict:
    """The incidents with coordinates as a GeoJSON FeatureCollection.

    Parameters
    ----------
    package : Package
        The loaded tables.

    Returns
    -------
    dict
    """
    return json.loads(_collection_text(package))


def _located(package: Package) -> pd.DataFrame:
    flat = package.tables[FLAT]
    incidents = package.tables["incidents"]
    extra = [c for c in PRECISION_COLUMNS if c in incidents.columns and c not in flat.columns]
    located = flat[flat["latitude"].notna() & flat["longitude"].notna()]
    if extra:
        where = incidents.set_index("incident_id")[extra].reindex(located["incident_id"])
        located = located.assign(**{c: where[c].to_numpy() for c in extra})
    lat = located["latitude"].to_numpy(dtype=np.float64)
    lon = located["longitude"].to_numpy(dtype=np.float64)
    return located[np.isfinite(lat) & np.isfinite(lon)]


def _collection_text(package: Package) -> str:
    """The FeatureCollection as JSON text, one feature per line."""
    located = _located(package)
    props = _properties_json(located.drop(columns=["latitude", "longitude"]))
    ids = [json.dumps(i, ensure_ascii=False) for i in located["incident_id"]]
    lats = located["latitude"].to_numpy(dtype=np.float64).tolist()
    lons = located["longitude"].to_numpy(dtype=np.float64).tolist()
    features = ",\n".join(
        f'{{"type":"Feature","id":{i},"geometry":{{"type":"Point","coordinates":'
        f'[{lon!r},{lat!r}]}},"properties":{p}}}'
        for i, lon, lat, p in zip(ids, lons, lats, props, strict=True))
    return f'{{"type":"FeatureCollection","features":[\n{features}\n]}}\n'


def write(package: Package, out: Path) -> list[Path]:
    """Write ``incidents.geojson`` into ``out``.

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
    atomic_write(path, _collection_text(package).encode("utf-8"))
    return [path]
