"""Run each step of ``incidents validate`` alone, one after the other; print their CPU time.

Usage::

    python benchmarks/budget_steps.py DIR

Prints one JSON object: the CPU seconds (user + system, every thread of the process) of
each step, the wall time of the whole run, and the cores this process may use. The steps
are the validator's own functions, called in the order ``incidents validate`` needs them,
on one thread of control (Arrow's parser still uses its threads), so that no step hides
behind another. Run as a script, it imports the ``incidents`` of the interpreter's
environment (see ``bench_budget.py``, which runs it against the pandas baseline).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

STARTED = time.perf_counter()


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


class Steps:
    """CPU seconds per step, each step measured from where the last one ended.

    The first step counts from the start of the process, interpreter start-up included.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = 0.0

    def done(self, step: str) -> None:
        now = _cpu()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - self._mark
        self._mark = now


def main(root: Path) -> dict:
    """The CPU time of every step of validating the package at ``root``."""
    steps = Steps()
    package = importlib.import_module("incidents.validate.package")
    from incidents import schema
    from incidents.datapackage import table_schema
    from incidents.descriptor import read_descriptor, resource_path
    from incidents.validate.fields import table_findings, typed_table
    from incidents.validate.read import read_text_table
    from incidents.vocab import TABLES

    descriptor = read_descriptor(root)
    steps.done("imports")
    tables = {}
    for name in TABLES:
        path = resource_path(root, descriptor, name)
        parsed = read_text_table(path, path.relative_to(root).as_posix())
        steps.done("reading")
        hashlib.sha256(parsed.raw).hexdigest()
        steps.done("file hashes")
        fields = [f["name"] for f in table_schema(name)["fields"]]
        if parsed.table is None:
            continue
        if not parsed.problems and parsed.header == fields:
            package._canonical_problems(parsed.rel, parsed, fields, schema.primary_key(name))
        steps.done("canonical form")
        parsed.raw = b""
        frame, conversion = typed_table(name, parsed.table)
        tables[name] = package.Typed(frame, parsed, conversion)
        steps.done("typing")
    package.run_rules(tables, date.today())
    steps.done("rules")
    for name, typed in tables.items():
        table_findings(name, typed.frame, typed.conversion)
        steps.done("pandera models")
    return {"cpu": steps.seconds, "wall": time.perf_counter() - STARTED,
            "cores": len(os.sched_getaffinity(0))}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
