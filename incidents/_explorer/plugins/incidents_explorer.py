"""Datasette plugin of ``incidents serve``: each incident's chart and claims on its page.

Loaded by Datasette from this directory (``--plugins-dir``); reads its settings (the data
package and where to keep charts) from the ``incidents_explorer`` entry of the metadata that
:func:`incidents.serve.metadata` writes.
"""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response

PLUGIN = "incidents_explorer"
INCIDENT_ID = re.compile(r"^[A-Z]{3}-[0-9]{4}-[0-9]{4}$")
_DRAWING = threading.Lock()  # matplotlib draws one figure at a time

CLAIMS_SQL = """
SELECT c.claim_id, c.claimant, a.name AS claimant_name, a.side, c.measure, c.victims,
  c.low, c.best, c.high, c.qualifier, c.vague_term, c.stance, c.quote, c.quote_en,
  c.claimed_on, s.publisher, s.url, s.source_id
FROM claims c
LEFT JOIN actors a ON a.actor_id = c.claimant
LEFT JOIN sources s ON s.source_id = c.source_id
WHERE c.incident_id = :incident_id
ORDER BY c.measure, c.victims, a.side, c.claim_id
"""


def _figure(row) -> str:
    """The claim's figure as worded, from its interval (incidents.claims)."""
    from incidents.exporters.datawrapper import figure

    nan = float("nan")
    values = [nan if row[k] is None else float(row[k]) for k in ("low", "best", "high")]
    _, label = figure(row["qualifier"], *values)
    return label or (row["vague_term"] or "")


def _draw_svg(root: Path, charts_dir: Path, incident_id: str) -> tuple[bytes | None, str]:
    """The incident's chart as SVG (cached) and its alt text, or None and the reason."""
    target = charts_dir / f"{incident_id}.svg"
    alt_path = charts_dir / f"{incident_id}.txt"
    with _DRAWING:
        if target.is_file() and alt_path.is_file():
            return target.read_bytes(), alt_path.read_text(encoding="utf-8")
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt

            from incidents import plot
            from incidents.safeio import atomic_write
        except ImportError as exc:
            return None, f"charts need matplotlib (pip install 'incidents[plot]'): {exc}"
        if not hasattr(plot, "claims") or not hasattr(plot, "save_bytes"):
            return None, "this version of incidents.plot has no claims chart"
        ax = plot.claims(incident_id, root=root)
        fig: Any = ax.figure  # a Figure here: the chart draws its own
        try:
            data = plot.save_bytes(fig, "svg")  # rendered in memory, then written atomically
        finally:
            plt.close(fig)
        alt = getattr(fig, "alt_text", "") or f"Claims about incident {incident_id}"
        atomic_write(target, data)
        atomic_write(alt_path, alt.encode("utf-8"))
        return data, alt


def _settings(datasette) -> tuple[Path, Path] | None:
    config = datasette.plugin_config(PLUGIN) or {}
    if "root" not in config or "charts_dir" not in config:
        return None
    return Path(config["root"]), Path(config["charts_dir"])


async def chart(request, datasette):
    """``/-/incidents/chart/<incident_id>.svg``: the claims chart of one incident."""
    incident_id = request.url_vars["incident_id"]
    settings = _settings(datasette)
    if settings is None or not INCIDENT_ID.match(incident_id):
        return Response.text("not found", status=404)
    loop = asyncio.get_running_loop()
    try:
        data, reason = await loop.run_in_executor(None, _draw_svg, *settings, incident_id)
    except (KeyError, ValueError) as exc:  # no such incident, or nothing to draw
        return Response.text(f"no chart for {incident_id}: {exc}", status=404)
    if data is None:
        return Response.text(reason, status=404)
    return Response(data, content_type="image/svg+xml")


@hookimpl
def register_routes():
    """The chart route."""
    return [(r"^/-/incidents/chart/(?P<incident_id>[A-Z0-9-]+)\.svg$", chart)]


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    """On an incident's page: its claims with quotes and sources, and its chart's address."""
    if view_name != "row" or table != "incidents" or request is None:
        return {}

    async def inner():
        pks = request.url_vars.get("pks", "")
        incident_id = tilde_decode(pks)
        db = datasette.get_database(database)
        result = await db.execute(CLAIMS_SQL, {"incident_id": incident_id})
        claims = []
        for row in result.rows:
            item = dict(zip(result.columns, row, strict=True))
            item["figure"] = _figure(item)
            claims.append(item)
        settings = _settings(datasette)
        chart_url = None
        if settings is not None and INCIDENT_ID.match(incident_id):
            chart_url = datasette.urls.path(f"/-/incidents/chart/{incident_id}.svg")
        return {"incident_claims": claims, "incident_chart_url": chart_url,
                "incident_id": incident_id}

    return inner
