"""The command's memory settings apply to its own process, and the environment wins."""

import os
import subprocess
import sys

PROBE = """
import numpy as np, pyarrow as pa
from incidents.memory import tune_for_large_tables
tune_for_large_tables()
switch = np._core.multiarray._set_madvise_hugepage
print(pa.default_memory_pool().backend_name, switch(False))
"""


def _probe(**env) -> list[str]:
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, env={**os.environ, **env})
    return run.stdout.split()


def test_settings_apply():
    backend, hint = _probe()
    if "jemalloc" in __import__("pyarrow").supported_memory_backends():
        assert backend == "jemalloc"
    assert hint == "False"


def test_environment_wins():
    backend, hint = _probe(ARROW_DEFAULT_MEMORY_POOL="system", NUMPY_MADVISE_HUGEPAGE="1")
    assert backend == "system"
    assert hint == "True"
