"""The explorer: Datasette metadata from the schema, pages over HTTP, a real headless browser."""

import json
import os
import re
import shutil
import sqlite3
import sys
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest

from incidents.exporters import read_package
from incidents.serve import build_site, metadata

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from explorer_screenshot import chromium, running_explorer

INCIDENT = "SYR-2019-0001"


def fetch(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return (response.status, response.headers.get("content-type", ""),
                response.read().decode("utf-8"))


def test_metadata_comes_from_the_descriptor(tmp_path):
    package = read_package()
    meta = metadata(package, tmp_path, tmp_path)
    assert meta["title"] == package.descriptor["title"]
    assert meta["license"] and meta["license_url"].startswith("https://")
    tables = meta["databases"]["incidents"]["tables"]
    for name, frame in package.tables.items():
        described = tables[name]["columns"]
        assert set(described) == set(frame.columns)
        assert all(described.values()), name
    assert {"side", "measure", "year"} <= set(tables["claims_by_side"]["facets"])
    assert "perpetrator" in tables["incidents"]["facets"]
    assert tables["actors"]["label_column"] == "name"


def test_canned_queries_run(tmp_path):
    site = build_site(None, tmp_path)
    meta = json.loads(site.metadata.read_text(encoding="utf-8"))
    queries = meta["databases"]["incidents"]["queries"]
    assert set(queries) == {"conflicting_figures", "claims_of_claimant",
                            "claims_without_original_source"}
    con = sqlite3.connect(site.database)
    assert con.execute(queries["conflicting_figures"]["sql"]).fetchall()
    sohr = con.execute(queries["claims_of_claimant"]["sql"], {"claimant": "sohr"}).fetchall()
    assert sohr and all(row[2] == "sohr" for row in sohr)
    con.execute(queries["claims_without_original_source"]["sql"]).fetchall()


@pytest.fixture(scope="module")
def explorer():
    pytest.importorskip("datasette")
    with running_explorer(timeout=90) as base:
        yield base


def test_serve_answers_over_http(explorer):
    status, _, home = fetch(explorer + "/")
    assert status == 200 and "Contested casualty figures" in home
    status, _, page = fetch(f"{explorer}/incidents/claims?incident_id={INCIDENT}")
    # foreign keys are links to the rows they name
    assert f'href="/incidents/incidents/{INCIDENT}"' in page
    assert 'href="/incidents/sources/' in page and 'href="/incidents/actors/' in page
    # every source address is clickable
    _, _, sources = fetch(f"{explorer}/incidents/sources?_size=5")
    assert re.search(r'<a href="https?://[^"]+">https?://', sources)
    _, kind, body = fetch(f"{explorer}/incidents/conflicting_figures.json?_shape=array")
    assert kind.startswith("application/json") and json.loads(body)
    _, _, body = fetch(f"{explorer}/incidents/claims_by_side.json?_facet=side&_size=0")
    assert "side" in json.loads(body)["facet_results"]
    _, kind, svg = fetch(f"{explorer}/-/incidents/chart/{INCIDENT}.svg")
    assert kind.startswith("image/svg+xml") and "<svg" in svg


def test_incident_page_in_headless_chromium(explorer):
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI is set but Debian's chromium and chromium-driver are missing")
        pytest.skip("headless test needs Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver)")
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    import incidents

    claims = incidents.load("claims")
    mine = claims[claims["incident_id"] == INCIDENT]
    with chromium() as driver:
        driver.get(f"{explorer}/incidents/incidents/{INCIDENT}")
        wait = WebDriverWait(driver, 60)
        table = wait.until(ec.presence_of_element_located((By.ID, "incident-claims")))
        rows = table.find_elements(By.CSS_SELECTOR, "tbody tr.claim")
        assert len(rows) == len(mine)
        text = table.text
        first_quote = mine["quote"].iloc[0]
        assert first_quote.split("\n")[0][:40] in text
        links = table.find_elements(By.CSS_SELECTOR, "a.source-link")
        hrefs = {unquote(a.get_attribute("href")) for a in links}
        urls = {unquote(u) for u in incidents.load("sources").set_index("source_id")["url"]
                .reindex(mine["source_id"]).dropna()}
        assert hrefs and hrefs <= urls | {u + "/" for u in urls}
        image = driver.find_element(By.CSS_SELECTOR, "#incident-chart img")
        loaded = wait.until(lambda d: d.execute_script(
            "const i = arguments[0]; return i.complete && i.naturalWidth > 0;", image))
        assert loaded
        assert image.size["width"] > 300
