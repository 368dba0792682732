"""HXL: the tables as CSV with a row of HXL hashtags under the header, in ``hxl/``.

HXL (https://hxlstandard.org) puts a second header row of hashtags under the column names so
that humanitarian tools (HDX, HXL Proxy, libhxl) know what each column is. A second header row
breaks ordinary CSV readers, so these files live apart from the plain CSVs. The hashtags follow
the HXL dictionary: ``#event`` for incidents, ``#date``, ``#geo+lat``/``#geo+lon``, ``#adm1``,
``#org`` for parties, ``#affected+killed+min``/``+max`` for casualty figures,
``#meta+source`` for sources. A column the table below does not know gets ``#meta`` and its
own name as attributes, so new columns are tagged too.
"""

from __future__ import annotations

import re
from pathlib import Path

from incidents.exporters._csv import csv_bytes
from incidents.exporters._files import out_dir
from incidents.exporters._package import Package
from incidents.safeio import atomic_write

SUBDIR = "hxl"

#: Hashtags of the columns every table may share.
COMMON = {
    "incident_id": "#event+id",
    "date": "#date+start",
    "date_end": "#date+end",
    "date_precision": "#date+precision",
    "country": "#country+code",
    "admin1": "#adm1+code",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "location_precision": "#geo+precision",
    "coordinates_source": "#geo+meta+source",
    "perpetrator": "#org+perpetrator",
    "perpetrator_side": "#org+perpetrator+side",
    "target": "#org+target",
    "incident_type": "#event+type",
    "summary": "#description",
    "disputed": "#status+disputed",
    "dispute": "#status+dispute",
    "related": "#event+related+id",
    "note": "#description+note",
    "killed_low": "#affected+killed+min",
    "killed_high": "#affected+killed+max",
    "injured_low": "#affected+injured+min",
    "injured_high": "#affected+injured+max",
    "claims": "#meta+claims+num",
    "sources": "#meta+source+num",
    "publishers": "#meta+source+publisher",
    "sides": "#org+claimant+side",
}

#: Hashtags that depend on the table (an actor_id is a perpetrator in one, a claimant in another).
BY_TABLE = {
    "claims": {
        "claim_id": "#meta+claim+id",
        "source_id": "#meta+source+id",
        "claimant": "#org+claimant+code",
        "measure": "#indicator+measure",
        "victims": "#affected+type",
        "low": "#affected+min",
        "best": "#affected+best",
        "high": "#affected+max",
        "qualifier": "#indicator+qualifier",
        "vague_term": "#indicator+vague",
        "stance": "#indicator+stance",
        "quote": "#meta+quote",
        "quote_en": "#meta+quote+i_en",
        "claimed_on": "#date+reported",
    },
    "incidents": {
        "perpetrator": "#org+perpetrator+code",
        "target": "#org+target+code",
    },
    "sources": {
        "source_id": "#meta+source+id",
        "publisher": "#meta+source+publisher",
        "title": "#meta+source+title",
        "url": "#meta+source+url",
        "published": "#date+published",
        "language": "#meta+source+lang",
        "original_publisher": "#meta+source+original+publisher",
        "original_url": "#meta+source+original+url",
        "source_type": "#meta+source+type",
        "owner": "#org+owner+code",
    },
    "actors": {
        "actor_id": "#org+code",
        "name": "#org+name",
        "side": "#org+side",
        "actor_type": "#org+type",
    },
    "links": {
        "dataset": "#meta+dataset",
        "external_id": "#meta+external+id",
        "url": "#meta+url",
        "grade": "#meta+grade",
    },
}


def hashtag(table: str, column: str) -> str:
    """The HXL hashtag with attributes for ``column`` of ``table``."""
    tag = BY_TABLE.get(table, {}).get(column) or COMMON.get(column)
    if tag:
        return tag
    attribute = re.sub(r"[^a-z0-9_]", "_", column.lower()).strip("_") or "column"
    return f"#meta+{attribute}"


def write(package: Package, out: Path) -> list[Path]:
    """Write ``hxl/<table>.csv`` for every table and the flat view into ``out``.

    Parameters
    ----------
    package : Package
        The loaded tables.
    out : pathlib.Path
        Directory to write into (``hxl/`` is created when missing).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    folder = out_dir(Path(out) / SUBDIR)
    written = []
    for name, frame in package.tables.items():
        header = [str(c) for c in frame.columns]
        tags = [hashtag(name, c) for c in header]
        path = folder / f"{name}.csv"
        atomic_write(path, csv_bytes(frame, [header, tags]))
        written.append(path)
    return written
