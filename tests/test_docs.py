"""Every code sample in README.md, CONTRIBUTING.md and CHANGELOG.md runs.

The samples are extracted from the files themselves, so they cannot drift from what the
package does: Python blocks are executed, each ``incidents ...`` command of a bash block is
run, and inline expressions such as `incidents.load()` are evaluated, all inside a copy of
the data package in a temporary directory (the commands use the package in the current
directory, as a contributor's would).
"""

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import copy_package

REPO = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "CONTRIBUTING.md", "CHANGELOG.md")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"`(incidents\.[^`\n]*\))`")
TIMEOUT = 600


def blocks(language: str) -> list[tuple[str, int, str]]:
    """(file, block number, code) of every fenced block in ``language``."""
    found = []
    for name in DOCS:
        text = (REPO / name).read_text(encoding="utf-8")
        for number, match in enumerate(FENCE.finditer(text), start=1):
            if match.group(1) == language:
                found.append((name, number, match.group(2)))
    return found


def incidents_commands() -> list[tuple[str, list[str]]]:
    """Every ``incidents ...`` command in the bash blocks, as (where, arguments)."""
    commands = []
    for name, number, code in blocks("bash"):
        for line in code.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words and Path(words[0]).name == "incidents":
                    commands.append((f"{name} block {number}: {part.strip()}", words[1:]))
    return commands


def env() -> dict:
    return {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(REPO)}


@pytest.fixture
def workdir(tmp_path):
    return copy_package(tmp_path / "pkg")


def test_samples_are_found():
    # the tests below are only worth something while they find the samples
    assert len(blocks("python")) >= 2
    assert len(incidents_commands()) >= 6
    assert any("schema" in m for m in INLINE.findall((REPO / "README.md").read_text()))


@pytest.mark.parametrize("where,code", [(f"{n} block {k}", c) for n, k, c in blocks("python")])
def test_python_block_runs(where, code, workdir):
    result = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env(),
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, f"{where}:\n{result.stderr}"


def serves(args: list[str], workdir: Path) -> None:
    """Run ``incidents serve ...`` until it answers over HTTP on a free port, then stop it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    if "--port" in args:
        args = args[:args.index("--port")] + args[args.index("--port") + 2:]
    server = subprocess.Popen([sys.executable, "-m", "incidents.cli", *args, "--port", str(port)],
                              cwd=workdir, env=env(), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200
                    return
            except OSError:
                time.sleep(0.5)
        pytest.fail("incidents serve did not answer within 120 s")
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("where,args", incidents_commands())
def test_incidents_command_runs(where, args, workdir):
    if args[0] == "serve":  # a server runs until stopped: it must answer, then it is stopped
        serves(args, workdir)
        return
    result = subprocess.run([sys.executable, "-m", "incidents.cli", *args], cwd=workdir,
                            env=env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, f"{where}:\n{result.stdout}\n{result.stderr}"
    # the command worked on the copy in the current directory, and said so first
    assert result.stdout.splitlines()[0] == f"package: {workdir.resolve()} (current directory)"


@pytest.mark.parametrize("expression", sorted({m for name in DOCS for m in INLINE.findall(
    (REPO / name).read_text(encoding="utf-8"))}))
def test_inline_expression_runs(expression, workdir):
    code = f"import incidents\n{expression}\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env(),
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, f"{expression}:\n{result.stderr}"


PATHS = re.compile(r"\]\(([^)#\s]+)\)|`([\w./-]+\.(?:md|py|cff|json|csv|yml))`"
                   r"|\b((?:benchmarks|scripts|incidents|docs|data)/[\w./-]*\.(?:md|py|csv|png))")


def test_docs_cite_only_places_that_exist():
    cited = set()
    for name in DOCS:
        text = (REPO / name).read_text(encoding="utf-8")
        for match in PATHS.finditer(text):
            cited.add(next(g for g in match.groups() if g))
        # no package index page: the package is not published on one
        assert "pypi.org/project" not in text, name
    assert "CITATION.cff" in cited
    missing = sorted(p for p in cited if not p.startswith("http") and not (REPO / p).exists())
    assert not missing
