"""Check a whole data package: read each table, type it, run its model, then the rules.

The contract is :mod:`incidents.schema`: the models' field checks run through pandera, the
rules between fields and tables are the entries of :data:`incidents.schema.RULES`. The
package's own ``datapackage.json`` says where each file is (what validates is what loads)
and must be in step with the files and with the schema.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from incidents import fmt, schema
from incidents._paths import bundled_root, descriptor_path
from incidents.descriptor import (
    MissingFile,
    NotRegularFile,
    PackageError,
    parse_descriptor,
    resource_path,
)
from incidents.validate.fields import Finding, table_findings, typed_table
from incidents.validate.read import DEFAULT_MAX_BYTES, TextTable, read_text_table
from incidents.validate.report import Problem, Report, UsageError
from incidents.vocab import TABLES

#: Packages with more rows than this run the models in a forked process beside the rules.
FORK_ROWS = 100_000
T = TypeVar("T")


@dataclass
class Typed:
    """One table as read: the typed frame, the text it came from, and what did not convert."""

    frame: pd.DataFrame
    text: TextTable
    conversion: list[Finding]


def _header_problems(rel: str, header: list[str], expected: list[str]) -> list[Problem]:
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        sep = next(s for s in (";", "\t", "|") if s in header[0])
        return [Problem("delimiter", f"the header is one cell holding {sep!r}: the file is "
                        "not comma-separated", rel, line=1, value=header[0])]
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem("column-duplicate", f"column {name!r} appears twice", rel,
                                    line=1, column=name))
        seen.add(name)
    missing = [n for n in expected if n not in seen]
    unknown = list(dict.fromkeys(n for n in header if n not in expected))
    for name in missing:
        near = difflib.get_close_matches(name, unknown, n=1, cutoff=0.6)
        extra = f" (is {near[0]!r} meant to be it?)" if near else ""
        problems.append(Problem("column-missing", f"the header lacks column {name!r}{extra}",
                                rel, line=1, column=name))
    problems += [Problem("column-unknown", f"column {name!r} is not in the schema", rel, line=1,
                         column=name) for name in unknown]
    if not missing and not unknown and len(header) == len(expected) and header != expected:
        problems.append(Problem("column-order", "the columns are not in the schema's order "
                                f"({', '.join(expected)})", rel, line=1))
    return problems


def _canonical_problems(rel: str, parsed: TextTable, expected: list[str],
                        key: list[str]) -> list[Problem]:
    """Compare the file with what ``incidents fmt`` would write from its cells."""
    table = parsed.table
    assert table is not None
    order = fmt.sort_indices(table, key).to_numpy()
    moved = np.flatnonzero(order != np.arange(len(order)))
    if len(moved):
        return [Problem("canonical-form", f"rows are not sorted by {', '.join(key)}", rel,
                        line=int(parsed.lines[moved[0]]), column=key[0])]
    raw, at = pa.py_buffer(parsed.raw), 0
    for block in fmt.render(expected, table):
        if at + block.size > raw.size or not raw.slice(at, block.size).equals(block):
            break
        at += block.size
    else:
        if at == raw.size:
            return []
    return [Problem("canonical-form", "cells are not quoted the canonical way (quotes only "
                    "where a cell holds a comma, a quote or a line break)", rel)]


def _problems(rel: str, lines: np.ndarray, text: pa.Table | None, finding: Finding,
              severity: str | None = None) -> list[Problem]:
    """One problem per row of ``finding``, with its line and the cell as written."""
    rows = finding.rows
    if finding.values is not None:
        values: list[Any] = list(finding.values)
    elif finding.column is not None and text is not None and finding.column in text.column_names:
        values = text.column(finding.column).take(pa.array(rows, pa.int64())).to_pylist()
    else:
        values = [None] * len(rows)
    messages = ([finding.message] * len(rows) if isinstance(finding.message, str)
                else finding.message)
    return [Problem(finding.rule, message, rel, line=int(lines[row]), column=finding.column,
                    value=None if value is None else str(value),
                    severity=severity or finding.severity)
            for row, value, message in zip(rows, values, messages, strict=True)]


def _read_json(path: Path) -> tuple[Any, Problem | None]:
    """The package's descriptor, read within the loader's limits, or what keeps it unread."""
    try:
        found = parse_descriptor(path)
    except (MissingFile, NotRegularFile):
        return None, Problem("datapackage-missing", "datapackage.json does not exist or is not "
                             "a regular file", path.name)
    except PackageError as exc:
        cause = exc.__cause__
        line = cause.lineno if isinstance(cause, json.JSONDecodeError) else None
        return None, Problem("datapackage-malformed", str(exc).removeprefix(f"{path}: "),
                             path.name, line=line)
    if not isinstance(found.get("resources"), list):
        return None, Problem("datapackage-malformed", "it has no list of resources", path.name)
    return found, None


def _descriptor_problems(actual: dict, files: dict[str, Future[tuple[int, str]]]
                         ) -> list[Problem]:
    """Check that the package's datapackage.json is in step with its files and the schema."""
    from incidents.datapackage import table_schema

    rel = "datapackage.json"
    problems = []
    by_name = {r.get("name"): r for r in actual["resources"]
               if isinstance(r, dict) and isinstance(r.get("name"), str)}
    for table in TABLES:
        res = by_name.get(table)
        if res is None:
            problems.append(Problem("datapackage-stale", f"no resource {table!r}", rel))
            continue
        if res.get("schema") != table_schema(table):
            problems.append(Problem("datapackage-stale", f"the schema of resource {table!r} is "
                                    "not the one incidents.schema generates", rel, column=table))
        if table in files:
            size, sha256 = files[table].result()
            if res.get("bytes") != size or res.get("hash") != f"sha256:{sha256}":
                problems.append(Problem(
                    "datapackage-stale", f"{res.get('path')} has {size} bytes and sha256 "
                    f"{sha256[:12]}…, the descriptor says {res.get('bytes')} bytes and "
                    f"{str(res.get('hash'))[7:19]}…", rel, column=table))
    return problems


def _stats(raw: bytes) -> tuple[int, str]:
    return len(raw), hashlib.sha256(raw).hexdigest()


def read_tables(root: Path, descriptor: dict, pool: ThreadPoolExecutor,
                hashes: dict[str, Future[tuple[int, str]]], max_bytes: int = DEFAULT_MAX_BYTES
                ) -> tuple[dict[str, Typed], list[list[Problem] | str]]:
    """Read and type every table of the package at ``root``, hashing each file on ``pool``.

    Returns every table whose cells could be read, and the problems found, in report
    order; a table's name stands where its model's problems go (see :func:`model_problems`).
    """
    from incidents.datapackage import table_schema

    tables: dict[str, Typed] = {}
    # each table's problems in order; a canonical-form check may still be running on the
    # pool (Arrow lets go of the GIL) while the next table is read and typed
    parts: list[list[Problem] | str | Future[list[Problem]]] = []
    reading: list[tuple[TextTable, list[Future[Any]]]] = []
    for name in TABLES:
        _release(reading, wait=False)
        try:
            path = resource_path(root, descriptor, name)
        except (MissingFile, NotRegularFile) as exc:
            # the file's own problem, reported on the file the descriptor names
            rel, _, what = str(exc).partition(": ")
            parts.append([Problem("file-missing", what or str(exc), rel)])
            continue
        except PackageError as exc:
            parts.append([Problem("resource-path", str(exc), "datapackage.json", column=name)])
            continue
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            rel = str(path)
        parsed = read_text_table(path, rel, max_bytes=max_bytes)
        problems = list(parsed.problems)
        parts.append(problems)
        if (parsed.table is not None and parsed.table.num_rows == 0 and not problems
                and (schema.MODELS[name].Config.metadata or {}).get("rows_required", True)):
            problems.append(Problem("no-rows", "the file has a header but no rows", rel, line=1))
        busy: list[Future[Any]] = []
        if parsed.raw:
            busy.append(hashes.setdefault(name, pool.submit(_stats, parsed.raw)))
        reading.append((parsed, busy))
        if parsed.table is None:
            continue
        fields = [f["name"] for f in table_schema(name)["fields"]]
        header = _header_problems(rel, parsed.header, fields)
        problems += header
        if any(p.rule == "delimiter" for p in header):
            continue
        canonical: list[Problem] | Future[list[Problem]] = []
        if not parsed.problems and parsed.header == fields:
            canonical = pool.submit(_canonical_problems, rel, parsed, fields,
                                    schema.primary_key(name))
            busy.append(canonical)
        frame, conversion = typed_table(name, parsed.table)
        for finding in conversion:
            problems += _problems(rel, parsed.lines, parsed.table, finding)
        parts += [name, canonical]
        tables[name] = Typed(frame, parsed, conversion)
    _release(reading, wait=True)
    return tables, [p.result() if isinstance(p, Future) else p for p in parts]


def model_problems(tables: dict[str, Typed]) -> dict[str, list[Problem]]:
    """Each table's problems found by its pandera model, past what the conversion found."""
    return {name: [problem for finding in table_findings(name, t.frame, t.conversion)
                   for problem in _problems(t.text.rel, t.text.lines, t.text.table, finding)]
            for name, t in tables.items()}


def _release(reading: list[tuple[TextTable, list[Future[Any]]]], wait: bool) -> None:
    """Let a file's bytes go once its hash and canonical-form check are done.

    The rules need only the cells; a million claims' bytes are better freed first.
    """
    for parsed, busy in reading:
        if wait or all(f.done() for f in busy):
            for future in busy:
                future.result()
            parsed.raw = b""


def _bundled() -> dict:
    from incidents.descriptor import read_descriptor

    return read_descriptor(bundled_root())


def validate_package(path: str | Path | None = None, *, today: date | None = None,
                     max_bytes: int = DEFAULT_MAX_BYTES,
                     check_descriptor: bool = True) -> Report:
    """Check a data package directory and report every problem at once.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A directory holding ``datapackage.json`` and the table files (default: the bundled
        data).
    today : datetime.date, optional
        The date after which dates count as future (default: today).
    max_bytes : int
        Refuse any table file larger than this.
    check_descriptor : bool
        Also check that ``datapackage.json`` is in step with the files and the schema.

    Returns
    -------
    Report
        Every problem found; ``report.ok`` tells whether the package is valid.

    Raises
    ------
    UsageError
        When ``path`` is not a directory.
    """
    root = Path(path) if path is not None else bundled_root()
    if not root.is_dir():
        raise UsageError(f"{root} is not a directory holding datapackage.json and data/")
    report = Report(str(root))
    actual, trouble = _read_json(descriptor_path(root))
    hashes: dict[str, Future[tuple[int, str]]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        tables, parts = read_tables(root, actual or _bundled(), pool, hashes, max_bytes)
    # the largest table's model runs beside the rules, the other models after them; forked
    # only where no other thread of the caller's (a notebook's, a server's) could hold a lock
    largest = max(tables, key=lambda name: len(tables[name].frame), default=None)
    models = _beside(lambda: model_problems({k: v for k, v in tables.items() if k == largest}),
                     fork=sum(map(len, (t.frame for t in tables.values()))) > FORK_ROWS
                     and sys.platform == "linux" and threading.active_count() == 1)
    rules = run_rules(tables, today or date.today())
    found = model_problems({k: v for k, v in tables.items() if k != largest}) | models()
    for part in parts:
        report.problems += found[part] if isinstance(part, str) else part
    report.problems += rules
    if check_descriptor:
        if trouble is not None:
            report.problems.append(trouble)
        else:
            assert actual is not None
            report.problems += _descriptor_problems(actual, hashes)
    return report


def _beside(work: Callable[[], T], fork: bool) -> Callable[[], T]:
    """Start ``work`` in a forked process (when ``fork``); returns what waits for its result.

    On a million claims the models and the rules each take seconds, and both hold the GIL,
    so threads cannot run them side by side; a forked child sees the typed tables without
    a copy. Should the child die (killed, out of memory), the work is done here instead.
    """
    if not fork:
        done = work()
        return lambda: done
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_send, args=(work, send), daemon=True)
    child.start()
    send.close()

    def result() -> T:
        try:
            ok, value = receive.recv()
        except (EOFError, OSError):
            ok, value = True, work()
        child.join()
        if not ok:
            raise value
        return value

    return result


def _send(work: Callable[[], Any], send: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
    try:
        outcome = (True, work())
    except BaseException as exc:  # raised in the parent, as if the work had run there
        outcome = (False, exc)
    send.send(outcome)


def run_rules(tables: dict[str, Typed], today: date) -> list[Problem]:
    """Run every rule of :data:`incidents.schema.RULES` over the typed tables."""
    ctx = schema.Context({name: t.frame for name, t in tables.items()}, today)
    problems: list[Problem] = []
    for rule in schema.RULES.values():
        if rule.check is None:
            continue
        try:
            hits = rule.check(ctx)
        except KeyError:  # a table or column the package lacks: reported already
            continue
        except Exception as exc:  # a rule must never end the report: say it could not run
            problems.append(Problem(rule.name, f"the rule could not be checked "
                                    f"({type(exc).__name__}: {exc})", "datapackage.json"))
            continue
        for hit in hits:
            text = tables[hit.table].text
            finding = Finding(rule.name, hit.column, hit.rows, hit.message, rule.severity,
                              hit.values)
            problems += _problems(text.rel, text.lines, text.table, finding, rule.severity)
    return problems
