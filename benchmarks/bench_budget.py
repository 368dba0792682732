"""Where ``incidents validate`` spends its CPU, and the fastest it could be on this machine.

Usage::

    python benchmarks/bench_budget.py [--claims 1000000] [--pairs 3] [--installed]

The subject is ``budget_steps.py DIR``: every step of the validator run alone, one after
the other, each step's CPU time measured; the baseline, in interleaved pairs, is the pandas
read of ``bench_validate.py``. From the medians it prints each step's CPU time and the
floor: the imports, which nothing can overlap, plus every other step spread perfectly over
the machine's cores. No schedule of this work finishes sooner, so a target below the floor
needs less work, not more overlap. ``--installed`` runs both in a fresh ``pip install`` of
the checkout, as ``bench_validate.py --installed`` does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys

from bench_validate import RATIO_TARGET
from harness import (
    HERE,
    PYTHON,
    add_installed_option,
    environment,
    package,
    paired,
    pandas_baseline,
    print_machine,
)

SERIAL = "imports"  # the step nothing can overlap: the checks need their modules


def budget(claims: int, pairs: int, python: str = PYTHON) -> dict:
    """Paired runs of the step-by-step validation and the pandas read of one package.

    Parameters
    ----------
    claims : int
        Size of the generated package.
    pairs : int
        Number of interleaved pairs.
    python : str
        The interpreter of the environment both commands run in.

    Returns
    -------
    dict
        Median CPU seconds per step, the cores, the floor and its ratio to the pandas read.
    """
    root = package(claims)
    result = paired([python, str(HERE / "budget_steps.py"), str(root)],
                    pandas_baseline(root, python), pairs, capture=True)
    runs = [json.loads(run.stdout) for run in result.subject]
    steps = {step: statistics.median(r["cpu"][step] for r in runs) for step in runs[0]["cpu"]}
    cores = runs[0]["cores"]
    floors = [r["cpu"][SERIAL] + (sum(r["cpu"].values()) - r["cpu"][SERIAL]) / cores
              for r in runs]
    ratios = [f / b.seconds for f, b in zip(floors, result.baseline, strict=True)]
    return {"claims": claims, "pairs": pairs, "steps": steps, "cores": cores,
            "cpu_s": sum(steps.values()), "floor_s": statistics.median(floors),
            "pandas_s": result.baseline_seconds, "floor_x": statistics.median(ratios),
            "serial_wall_s": statistics.median(r["wall"] for r in runs)}


def report(f: dict) -> str:
    """The budget as printed lines."""
    steps = " | ".join(f"{step} {seconds:.2f}" for step, seconds in f["steps"].items())
    target = RATIO_TARGET.get(f["claims"])
    verdict = ("no target" if target is None
               else f"target <= {target:g}x: the work alone misses it" if f["floor_x"] > target
               else f"target <= {target:g}x: within reach of a perfect schedule")
    runs = f"{f['pairs']} runs" if f["pairs"] != 1 else "1 run"
    return (f"budget {f['claims']:,} claims, CPU seconds per step (median of {runs}): "
            f"{steps}\n"
            f"budget {f['claims']:,} claims: {f['cpu_s']:.2f} s of CPU in all, "
            f"{f['serial_wall_s']:.2f} s one step after another; pandas reads the files in "
            f"{f['pandas_s']:.2f} s\n"
            f"floor on {f['cores']} cores: {f['steps'][SERIAL]:.2f} s of {SERIAL}, then the "
            f"rest spread evenly = {f['floor_s']:.2f} s, {f['floor_x']:.2f}x the pandas read "
            f"({verdict})")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=3)
    add_installed_option(parser)
    args = parser.parse_args(argv)
    print_machine()
    python = environment(args.installed)
    print(report(budget(args.claims, args.pairs, python)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
