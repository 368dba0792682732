"""Whole-process time of ``incidents.load()`` against pandas reading one CSV file.

Usage::

    python benchmarks/bench_load.py [--pairs 15]

Both commands start a fresh interpreter, so import time counts: the subject imports
``incidents`` and builds the flat view from the bundled package (four CSV files, typed,
joined); the baseline imports pandas and reads the bundled ``data/incidents.csv``. The ratio
is the median over interleaved pairs. Target: at most 1.2.
"""

from __future__ import annotations

import argparse
import sys

from harness import PYTHON, paired, print_machine

TARGET = 1.2


def measure(pairs: int) -> dict:
    """Time the two commands in ``pairs`` pairs; return the figures.

    Parameters
    ----------
    pairs : int
        Number of interleaved pairs.

    Returns
    -------
    dict
        ``ratio``, ``load_s``, ``pandas_s`` and the list of ``ratios``.
    """
    from incidents._paths import bundled_root

    csv = bundled_root() / "data" / "incidents.csv"
    subject = [PYTHON, "-c", "import incidents; incidents.load()"]
    baseline = [PYTHON, "-c", f"import pandas; pandas.read_csv({str(csv)!r})"]
    result = paired(subject, baseline, pairs)
    return {"ratio": result.ratio, "load_s": result.subject_seconds,
            "pandas_s": result.baseline_seconds, "ratios": result.ratios, "pairs": pairs}


def report(figures: dict) -> str:
    """The lines the benchmark prints."""
    verdict = "meets" if figures["ratio"] <= TARGET else "MISSES"
    return (f"load: incidents.load() {figures['load_s']:.3f} s, pandas.read_csv "
            f"{figures['pandas_s']:.3f} s (medians of {figures['pairs']} pairs)\n"
            f"load: ratio {figures['ratio']:.2f} (median of paired ratios; target <= "
            f"{TARGET}: {verdict})")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args(argv)
    print_machine()
    print(report(measure(args.pairs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
