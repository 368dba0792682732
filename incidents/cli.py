"""The ``incidents`` command: validate, summary, charts, build, fmt, codebook.

Exit codes: 0 success (valid data), 1 invalid data, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="incidents",
        description="Conflict incidents and the casualty figures each party claims.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")

    val = sub.add_parser("validate", help="check a data package; exit 1 when it is invalid")
    val.add_argument("path", nargs="?", type=Path,
                     help="directory holding datapackage.json and data/ (default: bundled)")
    val.add_argument("--format", choices=("text", "json", "github"), default="text")
    val.add_argument("--max-examples", type=int, default=20, metavar="N",
                     help="examples shown per rule in the text report (default 20)")
    val.add_argument("--max-bytes", type=int, default=None, metavar="N",
                     help="refuse table files larger than N bytes (default 1 GiB)")

    summ = sub.add_parser("summary", help="print the incidents with their claimed figures")
    summ.add_argument("path", nargs="?", type=Path, help="data package directory")

    charts = sub.add_parser(
        "charts", help="write the chart gallery for a data package",
        description="Write the overview, gap and timeline charts and one claims chart per "
                    "incident, each with its alt text (.txt), drawn in parallel.")
    charts.add_argument("path", nargs="?", type=Path,
                        help="data package directory (default: the bundled data)")
    charts.add_argument("--out", type=Path, required=True,
                        help="directory to write into (created if missing; required)")
    charts.add_argument("--incident", action="append", default=None, metavar="ID",
                        help="only this incident's chart (repeatable; default: every incident "
                             "with claims, plus the overviews)")
    charts.add_argument("--format", default="png",
                        help="comma-separated formats from png, svg, pdf (default: png)")
    charts.add_argument("--size", default="web",
                        choices=("web", "square", "column", "two-column"),
                        help="figure size (default: web, 12.8 x 7.2 in)")
    charts.add_argument("--dpi", type=_chart_dpi, default=125, metavar="N",
                        help="PNG resolution, 50 to 600 (default: 125, the web size 1,600 px "
                             "wide)")
    charts.add_argument("--workers", type=int, default=None, metavar="N",
                        help="worker processes (default: one per core)")

    build = sub.add_parser("build", help="regenerate datapackage.json from the schema")
    build.add_argument("path", nargs="?", type=Path, help="data package directory")
    build.add_argument("--check", action="store_true",
                       help="exit 1 if datapackage.json is not what build would write")

    fmt = sub.add_parser("fmt", help="rewrite the CSV files in canonical form")
    fmt.add_argument("path", nargs="?", type=Path, help="data package directory")
    fmt.add_argument("--check", action="store_true",
                     help="exit 1 if a file is not canonical, without writing")

    book = sub.add_parser("codebook", help="print the field definitions")
    book.add_argument("table", nargs="?", default="flat",
                      choices=("flat", "incidents", "claims", "sources", "actors"))
    book.add_argument("--markdown", action="store_true", help="as Markdown tables")
    return parser


def _root(path: Path | None) -> Path:
    from incidents._paths import bundled_root

    root = path if path is not None else bundled_root()
    if not root.is_dir():
        raise _Usage(f"{root} is not a directory")
    return root


class _Usage(Exception):
    pass


def _validate(args) -> int:
    from incidents.csvread import DEFAULT_MAX_BYTES
    from incidents.validation import validate_package

    report = validate_package(args.path, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
    if args.format == "json":
        print(report.to_json())
    elif args.format == "github":
        print(report.to_github())
    else:
        print(report.to_text(max_per_rule=args.max_examples))
    return EXIT_OK if report.ok else EXIT_INVALID


def _summary(args) -> int:
    from incidents.summary import render_summary

    print(render_summary(_root(args.path)))
    return EXIT_OK


def _build(args) -> int:
    from incidents.datapackage import build_descriptor, render, write_descriptor

    root = _root(args.path)
    if args.check:
        current = (root / "datapackage.json")
        fresh = render(build_descriptor(root))
        if not current.is_file() or current.read_text(encoding="utf-8") != fresh:
            print(f"{current}: not what `incidents build` generates; run it", file=sys.stderr)
            return EXIT_INVALID
        print(f"{current}: up to date")
        return EXIT_OK
    print(f"wrote {write_descriptor(root)}")
    return EXIT_OK


def _fmt(args) -> int:
    from incidents.formatting import format_package

    root = _root(args.path)
    changed, errors = format_package(root, check=args.check)
    for message in errors:
        print(message, file=sys.stderr)
    for path in changed:
        print(f"{'not canonical' if args.check else 'rewrote'}: {path}")
    if errors:
        return EXIT_USAGE
    if args.check and changed:
        return EXIT_INVALID
    if not changed:
        print("all files canonical")
    return EXIT_OK


def _chart_dpi(text: str) -> int:
    from incidents.gallery import DPI_RANGE

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not DPI_RANGE[0] <= value <= DPI_RANGE[1]:
        raise argparse.ArgumentTypeError(
            f"{value} is outside {DPI_RANGE[0]}-{DPI_RANGE[1]} (web: 125; print: 300)")
    return value


def _charts(args) -> int:
    from incidents.gallery import write_gallery

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    root = _root(args.path) if args.path is not None else None
    if args.workers is not None and args.workers < 1:
        raise _Usage(f"--workers must be at least 1, not {args.workers}")
    bar = _progress_bar(sys.stderr) if sys.stderr.isatty() else None
    written = write_gallery(args.out, formats=formats, incident_ids=args.incident,
                            size=args.size, dpi=args.dpi, root=root, workers=args.workers,
                            progress=bar)
    if bar is not None:
        sys.stderr.write("\n")
    charts = sum(1 for p in written if p.suffix == ".txt")
    noun = "chart" if charts == 1 else "charts"
    print(f"wrote {charts} {noun} ({len(written)} files) to {args.out}")
    return EXIT_OK


def _progress_bar(stream):
    """A one-line progress bar for a terminal, redrawn in place after each chart."""
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} charts")
        stream.flush()

    return show


def _codebook(args) -> int:
    from incidents.load import codebook
    from incidents.summary import codebook_markdown

    if args.markdown:
        print(codebook_markdown(args.table))
    else:
        import pandas as pd

        with pd.option_context("display.max_colwidth", 100, "display.width", 200):
            print(codebook(args.table).drop(columns="codes").to_string(index=False))
    return EXIT_OK


_COMMANDS = {"validate": _validate, "summary": _summary, "build": _build, "fmt": _fmt,
             "charts": _charts, "codebook": _codebook}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 when the data is invalid, 2 on a usage error or unreadable input.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return EXIT_USAGE if exc.code else EXIT_OK
    if args.version:
        from incidents import __version__

        print(__version__)
        return EXIT_OK
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    from incidents.load import DataError
    from incidents.memory import tune_for_large_tables
    from incidents.validation import UsageError

    tune_for_large_tables()
    try:
        return _COMMANDS[args.command](args)
    except (UsageError, _Usage, ValueError, DataError, OSError) as exc:
        print(f"incidents {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
