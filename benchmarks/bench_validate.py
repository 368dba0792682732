"""``incidents validate`` on generated packages, against pandas reading the same files.

Usage::

    python benchmarks/bench_validate.py [--sizes 100000 1000000] [--pairs 5]
        [--frictionless-size 1000000 | --no-frictionless] [--bad-size 1000000] [--installed]

For each size, the subject is ``incidents validate DIR`` (every check, the text report) and
the baseline a process that imports pandas and reads the four CSV files with
``pandas.read_csv``; the ratio is the median over interleaved pairs. Target at 1M claims:
at most 3x (goal 2x); smaller sizes are reported without a target. Peak memory is the
child's ``ru_maxrss`` as a multiple of the CSV files' size (target < 5x).

With ``--installed`` both commands run in a fresh environment where ``pip install`` put
this checkout, as a user has it (the development environment also holds the test tools,
which pandera imports at start-up when they are there).

Then one pair against ``frictionless validate DIR/datapackage.json`` (time limit 900 s;
target: incidents at least 10x faster), and a package with 1% bad rows: the validator must
report exactly the problems injected, by file and rule, and keep its text report short.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

from harness import (
    PYTHON,
    add_installed_option,
    csv_bytes,
    environment,
    incidents_command,
    package,
    paired,
    pandas_baseline,
    print_machine,
    run,
)

RATIO_TARGET = {1_000_000: 3.0}
RATIO_GOAL = 2.0
MEMORY_TARGET = 5.0
FRICTIONLESS_TARGET = 10.0
FRICTIONLESS_TIMEOUT = 900.0
MAX_EXAMPLES = 20  # the text report's default examples per rule


def speed(claims: int, pairs: int, python: str = PYTHON) -> dict:
    """Paired runs of ``incidents validate`` and the pandas baseline on one package.

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
        Times, ratio, peak memory and its multiple of the CSV size.
    """
    root = package(claims)
    result = paired([*incidents_command(python), "validate", str(root)],
                    pandas_baseline(root, python), pairs)
    size = csv_bytes(root)
    rss = result.subject_rss_kb * 1024
    return {"claims": claims, "validate_s": result.subject_seconds,
            "pandas_s": result.baseline_seconds, "ratio": result.ratio, "pairs": pairs,
            "csv_mb": size / 1e6, "rss_mb": rss / 1e6, "memory_x": rss / size}


def frictionless(claims: int) -> dict:
    """One pair: ``frictionless validate`` against ``incidents validate``, same package."""
    root = package(claims)
    tool = Path(PYTHON).parent / "frictionless"
    if not tool.exists() and shutil.which("frictionless") is None:
        return {"claims": claims, "skipped": "frictionless is not installed"}
    ours = run([*incidents_command(), "validate", str(root)])
    theirs = run([str(tool) if tool.exists() else "frictionless", "validate",
                  str(root / "datapackage.json")], timeout=FRICTIONLESS_TIMEOUT)
    timed_out = theirs.returncode == -9
    return {"claims": claims, "incidents_s": ours.seconds, "frictionless_s": theirs.seconds,
            "speedup": theirs.seconds / ours.seconds, "timed_out": timed_out,
            "frictionless_exit": theirs.returncode}


def bad_rows(claims: int, share: float = 0.01) -> dict:
    """Does the validator report every injected problem, and a readable text report?

    Returns
    -------
    dict
        Injected and reported counts by (file, rule), whether they match, and the text
        report's size.
    """
    root = package(claims, bad_share=share)
    expected = json.loads((root / "injected.json").read_text())
    want = Counter({(f, r): n for f, rules in expected.items() for r, n in rules.items()})
    as_json = run([*incidents_command(), "validate", "--format", "json", str(root)],
                  capture=True)
    found = json.loads(as_json.stdout)
    got = Counter((p["file"], p["rule"]) for p in found["problems"] if p["severity"] == "error")
    text = run([*incidents_command(), "validate", str(root)], capture=True)
    lines = text.stdout.splitlines()
    groups = sum(1 for line in lines if line.startswith("  ") and not line.startswith("    "))
    files = sum(1 for line in lines if line and not line.startswith(" ")) - 1
    bound = files + groups * (MAX_EXAMPLES + 2) + 1
    return {"claims": claims, "share": share, "injected": sum(want.values()),
            "reported": sum(got.values()), "match": want == got,
            "missing": dict(want - got), "extra": dict(got - want),
            "exit": as_json.returncode, "text_lines": len(lines), "text_bound": bound,
            "text_kb": len(text.stdout.encode()) / 1e3, "rules": len(want),
            "readable": len(lines) <= bound and text.returncode == 1}


def report_speed(f: dict) -> str:
    """Lines for one size."""
    target = RATIO_TARGET.get(f["claims"])
    verdict = (f"target <= {target:g}x: {'meets' if f['ratio'] <= target else 'MISSES'}, "
               f"goal {RATIO_GOAL:g}x: {'meets' if f['ratio'] <= RATIO_GOAL else 'misses'}"
               if target else "no target")
    mem = (f"target < {MEMORY_TARGET:g}x: "
           f"{'meets' if f['memory_x'] < MEMORY_TARGET else 'MISSES'}"
           if f["claims"] in RATIO_TARGET else "no target: the interpreter dominates")
    return (f"validate {f['claims']:>9,} claims: incidents {f['validate_s']:.2f} s, pandas "
            f"{f['pandas_s']:.2f} s, ratio {f['ratio']:.2f}x ({verdict}; median of "
            f"{f['pairs']} pairs)\n"
            f"memory   {f['claims']:>9,} claims: peak RSS {f['rss_mb']:.0f} MB for "
            f"{f['csv_mb']:.0f} MB of CSV = {f['memory_x']:.2f}x ({mem})")


def report_frictionless(f: dict) -> str:
    """Lines for the frictionless comparison."""
    if "skipped" in f:
        return f"frictionless: skipped ({f['skipped']})"
    bound = ">= " if f["timed_out"] else ""
    verdict = "meets" if f["speedup"] >= FRICTIONLESS_TARGET else "MISSES"
    note = f" (stopped at the {FRICTIONLESS_TIMEOUT:.0f} s limit)" if f["timed_out"] else ""
    return (f"frictionless {f['claims']:,} claims: frictionless {f['frictionless_s']:.1f} s"
            f"{note}, incidents {f['incidents_s']:.2f} s, speed-up {bound}"
            f"{f['speedup']:.1f}x (one pair; target >= {FRICTIONLESS_TARGET:g}x: {verdict})")


def report_bad(f: dict) -> str:
    """Lines for the bad-rows check."""
    status = "every injected problem reported" if f["match"] else (
        f"MISMATCH: missing {f['missing']}, extra {f['extra']}")
    readable = "readable" if f["readable"] else "NOT readable"
    return (f"bad rows {f['claims']:,} claims, share {f['share']}: {f['injected']:,} problems "
            f"injected over {f['rules']} (file, rule) pairs, {f['reported']:,} reported: "
            f"{status}\n"
            f"bad rows text report: {f['text_lines']} lines, {f['text_kb']:.0f} kB (bound "
            f"{f['text_bound']} lines at {MAX_EXAMPLES} examples per rule): {readable}")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--frictionless-size", type=int, default=1_000_000)
    parser.add_argument("--no-frictionless", action="store_true")
    parser.add_argument("--bad-size", type=int, default=1_000_000)
    add_installed_option(parser)
    args = parser.parse_args(argv)
    print_machine()
    python = environment(args.installed)
    for claims in args.sizes:
        figures = speed(claims, args.pairs, python)
        print(report_speed(figures), flush=True)
    if not args.no_frictionless:
        print(report_frictionless(frictionless(args.frictionless_size)), flush=True)
    bad = bad_rows(args.bad_size)
    print(report_bad(bad), flush=True)
    ok = bad["match"] and bad["readable"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
