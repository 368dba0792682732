"""Run every benchmark: ``--quick`` at small sizes (CI), or in full for the real figures.

Usage::

    python benchmarks/run_all.py --quick   # 1k and 10k claims, 3 repeats, no frictionless
    python benchmarks/run_all.py           # the figures in benchmarks/README.md

Timing figures never fail the run (a shared CI machine is too noisy for that); a validator
that misses or invents a problem in the bad-rows package does (exit 1).
"""

from __future__ import annotations

import argparse
import sys
import time

import bench_budget
import bench_export
import bench_gallery
import bench_growth
import bench_load
import bench_validate

QUICK = {
    "load": ["--pairs", "3"],
    "validate": ["--sizes", "1000", "10000", "--pairs", "3", "--no-frictionless",
                 "--bad-size", "10000"],
    "budget": ["--claims", "10000", "--pairs", "1"],
    "growth": ["--sizes", "1000", "10000", "--repeats", "3"],
    "export": ["--claims", "10000", "--xlsx-claims", "2000", "--pairs", "1"],
    "gallery": ["--pairs", "1"],
}
FULL = {
    "load": ["--pairs", "15"],
    "validate": ["--sizes", "100000", "1000000", "--pairs", "5", "--installed"],
    "budget": ["--claims", "1000000", "--pairs", "5", "--installed"],
    "growth": ["--sizes", "1000", "10000", "100000", "1000000", "--repeats", "5"],
    "export": ["--claims", "1000000", "--xlsx-claims", "100000", "--pairs", "3"],
    "gallery": ["--pairs", "3"],
}


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes only, for CI (well under 2 minutes)")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    status = 0
    for name, module in (("load", bench_load), ("validate", bench_validate),
                         ("budget", bench_budget), ("growth", bench_growth),
                         ("export", bench_export), ("gallery", bench_gallery)):
        print(f"\n== bench_{name} {' '.join(plan[name])}", flush=True)
        status |= module.main(plan[name])
    print(f"\nall benchmarks: {time.perf_counter() - started:.0f} s", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
