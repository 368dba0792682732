"""GeoJSON (RFC 7946): a FeatureCollection of the incidents that have coordinates.

Each feature is a Point ``[longitude, latitude]`` whose properties are the flat view's columns
plus ``location_precision`` and ``coordinates_source``, so a map can say how exact each point
is (a struck site, a town, a neighbouring town).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pyarrow as pa

from incidents.export._files import out_dir
from incidents.export._package import FLAT, Package
from incidents.safeio import atomic_write

FILENAME = "incidents.geojson"
PRECISION_COLUMNS = ("location_precision", "coordinates_source")


def _records(frame: pd.DataFrame) -> list[dict]:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.date32()).cast(pa.string())
        elif pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        columns.append(col.to_pylist())
    return [dict(zip(table.column_names, row, strict=True)) for row in zip(*columns, strict=True)]


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
    flat = package.tables[FLAT]
    incidents = package.tables["incidents"]
    extra = [c for c in PRECISION_COLUMNS if c in incidents.columns and c not in flat.columns]
    if extra:
        flat = flat.merge(incidents[["incident_id", *extra]], on="incident_id", how="left")
    located = flat[flat["latitude"].notna() & flat["longitude"].notna()]
    features = []
    for props in _records(located):
        lat, lon = props.pop("latitude"), props.pop("longitude")
        if not (math.isfinite(lat) and math.isfinite(lon)):
            continue
        features.append({
            "type": "Feature",
            "id": props["incident_id"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


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
    text = json.dumps(feature_collection(package), ensure_ascii=False, allow_nan=False)
    atomic_write(path, (text + "\n").encode("utf-8"))
    return [path]
