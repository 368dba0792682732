"""Whole-process time of ``incidents charts`` (the PNG gallery) against a baseline.

Usage::

    python benchmarks/bench_gallery.py [--pairs 3]

Subject: ``incidents charts --out DIR`` on the bundled data, PNG at the default 125 dpi
(1,600 px wide), drawn in parallel across the cores. Baseline, in the same run: the same
gallery with ``--workers 1``, every chart drawn one after the other in one process. Both
start a fresh interpreter, so imports count. Printed: the gallery's seconds (median of the
pairs), the serial seconds, the ratio parallel/serial (median of paired ratios) and the CPU
seconds the parallel run spent. Target: the 44-chart gallery of 0.1 (three overviews and 41
incidents) in at most 8 s on a 2-core machine, and the same time per chart for a larger one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from harness import incidents_command, paired, print_machine

TARGET_S = 8.0
#: The target was set for the 44-chart gallery of 0.1; a larger package is held to the same
#: time per chart.
TARGET_CHARTS = 44


def _charts() -> int:
    from incidents.gallery import _incident_ids, charts

    return len(charts(_incident_ids(None, None)))


def measure(pairs: int) -> dict:
    """Time the parallel gallery against the serial one in ``pairs`` interleaved pairs.

    Parameters
    ----------
    pairs : int
        Number of pairs.

    Returns
    -------
    dict
        ``seconds``, ``serial_s``, ``ratio``, ``cpu_s``, ``charts`` and ``pairs``.
    """
    with tempfile.TemporaryDirectory(prefix="incidents-gallery-") as tmp:
        out = Path(tmp)
        command = incidents_command()
        subject = [*command, "charts", "--out", str(out / "parallel")]
        baseline = [*command, "charts", "--out", str(out / "serial"), "--workers", "1"]
        result = paired(subject, baseline, pairs)
    return {"seconds": result.subject_seconds, "serial_s": result.baseline_seconds,
            "ratio": result.ratio, "cpu_s": result.subject_cpu_seconds, "charts": _charts(),
            "pairs": pairs}


def report(figures: dict) -> str:
    """The lines the benchmark prints."""
    target = TARGET_S * max(figures["charts"], TARGET_CHARTS) / TARGET_CHARTS
    verdict = "meets" if figures["seconds"] <= target else "MISSES"
    return (f"gallery: {figures['charts']} PNG charts in {figures['seconds']:.1f} s parallel, "
            f"{figures['serial_s']:.1f} s serial (medians of {figures['pairs']} pairs; "
            f"parallel CPU {figures['cpu_s']:.1f} s)\n"
            f"gallery: ratio parallel/serial {figures['ratio']:.2f}; target <= {target:.0f} s "
            f"({TARGET_S:.0f} s per {TARGET_CHARTS} charts): {verdict}")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    print_machine()
    print(report(measure(args.pairs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
