"""How load and validate time grow with the number of claims.

Usage::

    python benchmarks/bench_growth.py [--sizes 1000 10000 100000 1000000] [--repeats 3]

For each size, the median whole-process time of ``incidents.load(root=DIR)`` (the flat view)
and of ``incidents validate DIR``, each paired with the pandas baseline that reads the same
four files. The table gives the cost per claim and the marginal cost per claim between one
size and the next, (t2 - t1) / (n2 - n1), which start-up does not blur. The verdict turns
the last two marginal costs into a growth exponent of the time spent on the data: 1 is
linear (up to 1.05 counts as such), up to 1.15 is what sorting (n log n) and cache misses
give, above that is faster than linear.

The same verdict is given on CPU time (user + system, every thread of the child): wall time
at 100k claims is mostly start-up, and a few hundredths of a second of noise there move the
wall-time exponent by a tenth; the work done does not depend on how busy the machine is.
"""

from __future__ import annotations

import argparse
import math
import sys

from harness import (
    PYTHON,
    fmt_rows,
    incidents_command,
    package,
    paired,
    pandas_baseline,
    print_machine,
)

LINEAR = 1.05  # growth exponents up to this count as linear (noise)
NEAR_LINEAR = 1.15  # ... and up to this as n log n at most


def measure(sizes: list[int], repeats: int) -> list[dict]:
    """Time load and validate at each size (``repeats`` pairs each with the baseline).

    Parameters
    ----------
    sizes : list of int
        Numbers of claims, ascending.
    repeats : int
        Pairs per command and size.

    Returns
    -------
    list of dict
        One dict per size: ``claims``, ``load_s``, ``validate_s``, ``pandas_s`` and the
        ratios to pandas.
    """
    rows = []
    for claims in sizes:
        root = package(claims)
        load = paired([PYTHON, "-c", f"import incidents; incidents.load(root=__import__("
                       f"'pathlib').Path({str(root)!r}))"], pandas_baseline(root), repeats)
        check = paired([*incidents_command(), "validate", str(root)], pandas_baseline(root),
                       repeats)
        pandas_s = sorted([*load.baseline, *check.baseline], key=lambda r: r.seconds)
        rows.append({"claims": claims, "load_s": load.subject_seconds,
                     "validate_s": check.subject_seconds,
                     "load_cpu_s": load.subject_cpu_seconds,
                     "validate_cpu_s": check.subject_cpu_seconds,
                     "pandas_s": pandas_s[len(pandas_s) // 2].seconds,
                     "load_ratio": load.ratio, "validate_ratio": check.ratio})
        print(f"growth {claims:>9,} claims: load {load.subject_seconds:.2f} s, validate "
              f"{check.subject_seconds:.2f} s", flush=True)
    return rows


def marginal(sizes: list[int], seconds: list[float]) -> list[float | None]:
    """Marginal cost per claim, in seconds, from each size to the next."""
    return [None] + [(seconds[i] - seconds[i - 1]) / (sizes[i] - sizes[i - 1])
                     for i in range(1, len(sizes))]


def verdict(sizes: list[int], costs: list[float | None]) -> str:
    """Growth exponent of the time above start-up over the last step, classified.

    From the marginal costs of the last two steps, r = last / previous, the time spent on
    the data grows as n ** e with e = 1 + log(r) / log(step ratio). A linear pass gives 1,
    sorting (n log n) about 1.08 from 100k to 1M, a quadratic step 2.
    """
    known = [(n, c) for n, c in zip(sizes, costs, strict=True) if c is not None]
    if len(known) < 2 or known[-2][1] <= 0 or known[-1][1] <= 0:
        return "not judged (needs three sizes)"
    step = (sizes[-1] - sizes[-2]) / (sizes[-2] - sizes[-3])
    growth = known[-1][1] / known[-2][1]
    exponent = 1 + math.log(growth) / math.log(step)
    if exponent <= LINEAR:
        word = "linear"
    elif exponent <= NEAR_LINEAR:
        word = "near-linear (no faster than n log n: sorts and cache misses)"
    else:
        word = "FASTER than linear"
    return f"last marginal cost {growth:.2f}x the one before, exponent {exponent:.2f}: {word}"


def table(rows: list[dict]) -> str:
    """The growth table, costs per claim in microseconds."""
    sizes = [r["claims"] for r in rows]
    load_m = marginal(sizes, [r["load_s"] for r in rows])
    val_m = marginal(sizes, [r["validate_s"] for r in rows])
    show = lambda m: "" if m is None else f"{m * 1e6:.1f}"  # noqa: E731
    body = [[f"{r['claims']:,}", f"{r['pandas_s']:.2f}", f"{r['load_s']:.2f}",
             f"{r['load_ratio']:.2f}", f"{r['load_s'] / r['claims'] * 1e6:.1f}", show(lm),
             f"{r['validate_s']:.2f}", f"{r['validate_ratio']:.2f}",
             f"{r['validate_s'] / r['claims'] * 1e6:.1f}", show(vm)]
            for r, lm, vm in zip(rows, load_m, val_m, strict=True)]
    header = ["claims", "pandas s", "load s", "load/pandas", "load µs/claim",
              "load marginal µs/claim", "validate s", "validate/pandas", "validate µs/claim",
              "validate marginal µs/claim"]
    load_cpu = marginal(sizes, [r["load_cpu_s"] for r in rows])
    val_cpu = marginal(sizes, [r["validate_cpu_s"] for r in rows])
    cpu = fmt_rows(["claims", "load CPU s", "load marginal CPU µs/claim", "validate CPU s",
                    "validate marginal CPU µs/claim"],
                   [[f"{r['claims']:,}", f"{r['load_cpu_s']:.2f}", show(lm),
                     f"{r['validate_cpu_s']:.2f}", show(vm)]
                    for r, lm, vm in zip(rows, load_cpu, val_cpu, strict=True)])
    return (fmt_rows(header, body) + f"\ngrowth of load: {verdict(sizes, load_m)}"
            f"\ngrowth of validate: {verdict(sizes, val_m)}\n{cpu}"
            f"\ngrowth of load, CPU time: {verdict(sizes, load_cpu)}"
            f"\ngrowth of validate, CPU time: {verdict(sizes, val_cpu)}")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print_machine()
    print(table(measure(sorted(args.sizes), args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
