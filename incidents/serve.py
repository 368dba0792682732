"""``incidents serve``: the SQLite export in Datasette, with the explorer's metadata and pages.

Everything Datasette shows about the data comes from the descriptor, generated from the schema:
the title, description, licence and source, every table's and column's description, the
foreign keys (declared in the database, so Datasette links them), facets, and canned queries
a reporter needs. The explorer plugin (``incidents/_explorer``) adds to each incident's page
its chart (the SVG :func:`incidents.plot.claims` draws) and its claims with their quotes and
links to the sources.

Datasette is an optional dependency: ``pip install 'incidents[explore]'``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from incidents._version import __version__
from incidents.exporters import sqlite
from incidents.exporters._package import FLAT, Package, read_package
from incidents.safeio import atomic_write

EXPLORER_DIR = Path(__file__).resolve().parent / "_explorer"
DATABASE = Path(sqlite.FILENAME).stem
PLUGIN = "incidents_explorer"

#: Facets offered on each table or view, where the columns exist.
FACETS = {
    "incidents": ["perpetrator", "incident_type", "disputed"],
    "claims": ["measure", "victims", "stance", "claimant"],
    "claims_by_side": ["side", "measure", "year", "stance"],
    FLAT: ["perpetrator", "perpetrator_side", "incident_type", "disputed"],
    "sources": ["source_type", "publisher", "language"],
    "actors": ["side", "actor_type"],
    "links": ["dataset", "grade"],
}
LABEL_COLUMNS = {"actors": "name", "sources": "publisher", "incidents": "location"}
VIEW_DESCRIPTIONS = {
    "claim_intervals": "Each claim's bounds as its qualifier allows them (hi empty: no ceiling).",
    "claims_by_side": "Claims with the claimant's side, the publisher, the source's address "
                      "and the incident's year.",
    "figure_conflicts": "Pairs of claims from different sides about one incident, measure and "
                        "victim group whose figures cannot both be true.",
    "conflicting_incidents": "Incidents with at least one pair of conflicting figures.",
}


def _queries(package: Package) -> dict:
    source_columns = set(package.tables["sources"].columns)
    if "original_publisher" in source_columns:
        no_original = "s.url IS NULL OR s.original_publisher IS NOT NULL"
        no_original_text = ("Claims whose source is a copy of another publisher's words, or "
                            "has no address: find and cite the original.")
    else:
        no_original = "s.url IS NULL"
        no_original_text = "Claims whose source has no address to check it against."
    claim_columns = ("c.claim_id, c.incident_id, c.claimant, c.measure, c.victims, c.low, "
                     "c.best, c.high, c.qualifier, c.stance, c.quote, s.publisher, "
                     "s.url AS source_url")
    return {
        "conflicting_figures": {
            "title": "Incidents whose sides' figures conflict",
            "description": VIEW_DESCRIPTIONS["figure_conflicts"],
            "sql": ("SELECT f.incident_id, i.date, i.location, f.measure, f.victims, "
                    "f.side_high, f.low_bound, f.side_low, f.high_bound, f.claim_high, "
                    "f.claim_low FROM figure_conflicts f JOIN incidents i "
                    "ON i.incident_id = f.incident_id ORDER BY f.incident_id, f.measure"),
        },
        "claims_of_claimant": {
            "title": "Every claim of one claimant",
            "description": "All figures one actor asserts (enter its actor_id, e.g. sohr).",
            "sql": (f"SELECT {claim_columns} FROM claims c JOIN sources s "
                    "ON s.source_id = c.source_id WHERE c.claimant = :claimant "
                    "ORDER BY c.incident_id, c.claim_id"),
        },
        "claims_without_original_source": {
            "title": "Claims without an original source",
            "description": no_original_text,
            "sql": (f"SELECT {claim_columns} FROM claims c JOIN sources s "
                    f"ON s.source_id = c.source_id WHERE {no_original} "
                    "ORDER BY c.incident_id, c.claim_id"),
        },
    }


def metadata(package: Package, root: Path, charts_dir: Path) -> dict:
    """Datasette metadata for the SQLite export of ``package``.

    Parameters
    ----------
    package : Package
        The loaded tables.
    root : pathlib.Path
        The data package directory (the plugin draws charts from it).
    charts_dir : pathlib.Path
        Where the plugin may keep the charts it draws.

    Returns
    -------
    dict
    """
    descriptor = package.descriptor
    licence = (descriptor.get("licenses") or [{}])[0]
    tables = {}
    for name in package.tables:
        columns = {f["name"]: f.get("description", "") for f in package.fields(name)}
        entry = {"description": package.description(name), "columns": columns}
        facets = [c for c in FACETS.get(name, []) if c in package.tables[name].columns]
        if facets:
            entry["facets"] = facets
        if name in LABEL_COLUMNS and LABEL_COLUMNS[name] in package.tables[name].columns:
            entry["label_column"] = LABEL_COLUMNS[name]
        tables[name] = entry
    for table, owner, column, _ in sqlite.code_lists(package):
        tables[table] = {"description": f"The codes of {owner}.{column} and what each means.",
                         "columns": {"code": "The code.", "definition": "What it means."}}
    for name, text in VIEW_DESCRIPTIONS.items():
        tables.setdefault(name, {"description": text})
    tables["claims_by_side"]["facets"] = FACETS["claims_by_side"]
    return {
        "title": descriptor.get("title", "incidents"),
        "description": descriptor.get("description", ""),
        "license": licence.get("title", licence.get("name", "")),
        "license_url": licence.get("path", ""),
        "source": f"incidents data package {descriptor.get('version', __version__)}: every "
                  "figure with its claimant, source and quote",
        "databases": {DATABASE: {"tables": tables, "queries": _queries(package)}},
        "plugins": {PLUGIN: {"root": str(root), "charts_dir": str(charts_dir)}},
    }


@dataclass
class Site:
    """What Datasette serves: the database, its metadata and the explorer's files."""

    database: Path
    metadata: Path
    templates: Path
    plugins: Path

    def command(self, port: int, host: str = "127.0.0.1") -> list[str]:
        """The Datasette command line that serves this site on ``host:port``."""
        return [sys.executable, "-m", "datasette", "serve", str(self.database),
                "--metadata", str(self.metadata), "--template-dir", str(self.templates),
                "--plugins-dir", str(self.plugins), "--host", host, "--port", str(port),
                "--setting", "sql_time_limit_ms", "5000"]


def build_site(root: Path | None, workdir: Path) -> Site:
    """Build the SQLite export and Datasette metadata of ``root`` into ``workdir``.

    Parameters
    ----------
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    workdir : pathlib.Path
        An existing directory for the database, the metadata and the charts.

    Returns
    -------
    Site
    """
    from incidents._paths import bundled_root

    root = Path(root) if root is not None else bundled_root()
    workdir = Path(workdir)
    package = read_package(root)
    database = sqlite.write(package, workdir)[0]
    charts = workdir / "charts"
    charts.mkdir(exist_ok=True)
    meta_path = workdir / "metadata.json"
    meta = metadata(package, root.resolve(), charts.resolve())
    atomic_write(meta_path, json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"))
    return Site(database, meta_path, EXPLORER_DIR / "templates", EXPLORER_DIR / "plugins")


def _require_datasette() -> None:
    import importlib.util

    if importlib.util.find_spec("datasette") is None:
        raise ImportError("incidents serve needs Datasette: pip install 'incidents[explore]'")


def serve(root: Path | None = None, port: int = 8001) -> int:
    """Build the explorer and run Datasette on 127.0.0.1 until interrupted.

    Parameters
    ----------
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).
    port : int, default 8001
        The local port.

    Returns
    -------
    int
        Datasette's exit code (0 after Ctrl-C).
    """
    _require_datasette()
    with tempfile.TemporaryDirectory(prefix="incidents-serve-") as tmp:
        site = build_site(root, Path(tmp))
        print(f"serving {site.database.name} on http://127.0.0.1:{port}/ (Ctrl-C stops)",
              flush=True)
        child = subprocess.Popen(site.command(port))
        # a terminated `incidents serve` stops its Datasette too, and removes the database
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
