"""The ``incidents`` command: validate, summary, charts, build, fmt, codebook, export, serve.

Exit codes: 0 success (valid data), 1 invalid data, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _int_in(low: int, high: int):
    """An argparse type: an integer from ``low`` to ``high``, the range said when refused."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
        return value

    parse.__name__ = f"integer from {low} to {high}"
    return parse


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
    val.add_argument("--max-examples", type=_int_in(1, 100_000), default=20, metavar="N",
                     help="examples shown per rule in the text report, 1..100000 (default 20)")
    val.add_argument("--max-bytes", type=_int_in(1, 1 << 40), default=None, metavar="N",
                     help="refuse table files larger than N bytes, 1..2**40 (default 1 GiB)")

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

    exp = sub.add_parser("export", help="write the data as parquet, sqlite, xlsx, geojson ...")
    exp.add_argument("path", nargs="?", type=Path, help="data package directory")
    exp.add_argument("--to", default="all", metavar="FORMAT",
                     choices=("parquet", "sqlite", "xlsx", "geojson", "hxl", "datawrapper",
                              "all"),
                     help="parquet, sqlite, xlsx, geojson, hxl, datawrapper or all (default)")
    exp.add_argument("--out", type=Path, required=True, help="directory to write into")

    srv = sub.add_parser("serve", help="browse the data in Datasette on 127.0.0.1")
    srv.add_argument("path", nargs="?", type=Path, help="data package directory")
    srv.add_argument("--port", type=int, default=8001, help="port (default 8001)")

    book = sub.add_parser("codebook", help="print the field definitions")
    book.add_argument("table", nargs="?", default=None,
                      choices=("flat", "incidents", "claims", "sources", "actors", "links"),
                      help="the table to describe (default: list the tables)")
    book.add_argument("--markdown", action="store_true", help="as Markdown tables")
    return parser


def _root(path: Path | None, writes: bool = False, stream=None) -> Path:
    """The package a command works on (see ``package_root``), announced on the first line.

    A command that writes refuses the copy installed with the package unless given its path.
    """
    from incidents._paths import describe_root, is_installed_copy, package_root

    root = package_root(path)
    if not root.is_dir():
        raise _Usage(f"{root} is not a directory")
    if writes and path is None and is_installed_copy(root):
        raise _Usage(f"{root} is the data installed with incidents, which this command does "
                     "not rewrite; run it inside a checkout (a directory holding "
                     "datapackage.json) or give the package directory")
    print(describe_root(root), file=stream or sys.stdout)
    return root


class _Usage(Exception):
    pass


def _refuse_unsafe(root: Path, form: str = "text") -> bool:
    """Print why a package is unsafe to read (links out, devices, FIFOs, ...); True if it is.

    Nothing else is read then. ``form`` is the report format: text, json or github.
    """
    from incidents.descriptor import confinement_problems
    from incidents.validate.report import Problem, Report

    report = Report(str(root))
    for message in map(_one_line, confinement_problems(root)):
        file, _, text = message.partition(": ")
        report.problems.append(Problem("unsafe-path", text, file))
    if not report.problems:
        return False
    if form != "text":
        print(report.to_json() if form == "json" else report.to_github())
        return True
    for problem in report.problems:
        print(f"error: {problem.file}: {problem.message}")
    print(f"invalid: {len(report.problems)} file(s) the package names cannot be read safely; "
          f"nothing else was checked. {report.problems[0].hint}")
    return True


def _validate(args) -> int:
    from incidents.validate import DEFAULT_MAX_BYTES
    from incidents.validate.package import validate_package

    # a JSON report stays one JSON document: the package line goes to stderr then
    root = _root(args.path, stream=sys.stderr if args.format == "json" else None)
    if _refuse_unsafe(root, args.format):
        return EXIT_INVALID
    report = validate_package(root, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
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

    root = _root(args.path, writes=not args.check)
    if args.check:
        from incidents.descriptor import MAX_DESCRIPTOR_BYTES, checked_file, read_limited

        current = root / "datapackage.json"
        fresh = render(build_descriptor(root)).encode("utf-8")
        present = current.exists() or current.is_symlink()
        if not present or read_limited(checked_file(current, root),
                                       MAX_DESCRIPTOR_BYTES) != fresh:
            print(f"{current}: not what `incidents build` generates; run it", file=sys.stderr)
            return EXIT_INVALID
        print(f"{current}: up to date")
        return EXIT_OK
    print(f"wrote {write_descriptor(root)}")
    return EXIT_OK


def _fmt(args) -> int:
    from incidents.fmt import format_package

    root = _root(args.path, writes=not args.check)
    if _refuse_unsafe(root):
        return EXIT_USAGE
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

    root = _root(args.path)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
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
    from incidents.summary import codebook_markdown, codebook_text, tables_text

    if args.table is None:
        print(tables_text())
    elif args.markdown:
        print(codebook_markdown(args.table))
    else:
        print(codebook_text(args.table))
    return EXIT_OK


def _one_line(exc: object) -> str:
    """The error's message with control characters escaped.

    A hostile path or value then cannot move the terminal's cursor or write escape
    sequences into a CI log.
    """
    text = str(exc)
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode()
                   for c in text)


def _export(args) -> int:
    from incidents.exporters import export

    try:
        written = export(args.to, out=args.out, root=_root(args.path))
    except ImportError as exc:  # an optional library of one format is not installed
        raise _Usage(str(exc)) from exc
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _serve(args) -> int:
    from incidents.serve import serve

    try:
        return serve(_root(args.path), port=args.port)
    except ImportError as exc:  # Datasette is an optional dependency
        raise _Usage(str(exc)) from exc


_COMMANDS = {"validate": _validate, "summary": _summary, "build": _build, "fmt": _fmt,
             "charts": _charts, "codebook": _codebook, "export": _export, "serve": _serve}


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
    from incidents.validate.package import UsageError

    if argv is None:
        # the console script is a process of its own, and what it has imported lives as long
        # as it does: frozen, no collection walks those objects again, nor writes to their
        # pages in a child the validator forks (what gc.freeze is for; `incidents validate`
        # of a million claims takes 0.92 of the time)
        gc.freeze()
    try:
        return _COMMANDS[args.command](args)
    except (UsageError, _Usage, ValueError, DataError, OSError) as exc:
        print(f"incidents {args.command}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except (RecursionError, MemoryError, Exception) as exc:
        # no input may end in a traceback; this names the failure so it can be reported
        print(f"incidents {args.command}: could not finish: {type(exc).__name__}: "
              f"{_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
