"""Screenshot an incident's page in the explorer (``incidents serve``) for the README.

Usage::

    python scripts/explorer_screenshot.py [--incident ID] [--out docs/explorer-incident.png]

Starts ``incidents serve`` on a free local port, opens the page in headless Chromium (Debian's
``chromium`` and ``chromium-driver``, through Selenium) and writes the PNG atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_explorer(timeout: float = 60.0) -> Iterator[str]:
    """Run ``incidents serve`` on a free port; yield its base URL; always stop it."""
    port = free_port()
    env = dict(os.environ, MPLBACKEND="Agg")
    cmd = [sys.executable, "-m", "incidents.cli", "serve", "--port", str(port)]
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if child.poll() is not None:
                raise RuntimeError(f"incidents serve exited: {child.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"incidents serve did not answer in {timeout:.0f} s") from exc
                time.sleep(0.3)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, 15)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, 9)
            child.wait()


@contextlib.contextmanager
def chromium(width: int = 1400, height: int = 1800) -> Iterator:
    """A headless Debian Chromium driven by Selenium, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if binary is None or driver_path is None:
        raise RuntimeError("needs Debian's chromium and chromium-driver")
    profile = tempfile.mkdtemp(prefix="incidents-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in [*CHROME_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incident", default="SYR-2019-0001")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "explorer-incident.png")
    args = parser.parse_args(argv)
    from incidents.safeio import atomic_write

    with running_explorer() as base, chromium() as driver:
        driver.get(f"{base}/incidents/incidents/{args.incident}")
        driver.execute_script(
            "return Promise.all([...document.images].map(i => i.complete ? 1 :"
            " new Promise(r => { i.onload = i.onerror = r; })))")
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1400, min(max(height, 900), 4000))
        png = driver.get_screenshot_as_png()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(args.out, png)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
