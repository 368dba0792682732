r"""What the validator finds, and the three ways it is reported (text, JSON, GitHub).

Every value, column name and message is escaped before it is printed: a cell holding an
escape sequence or a bidi override reaches a terminal or a CI log as visible ``\\x1b`` or
``\\u202e``, never as a control that rewrites what is shown.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


class UsageError(Exception):
    """The validator was asked to check something that is not a data package directory."""


def _hint(rule: str) -> str:
    # the hints live with the rules in incidents.schema; a report is only printed after a
    # validation, which has imported it already
    from incidents.schema import RULES

    found = RULES.get(rule)
    return found.hint if found is not None else ""


def escape(text: str) -> str:
    r"""``text`` with every unprintable character written as a Python escape (``\\x1b``)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data package.

    Attributes
    ----------
    rule : str
        Short name of the rule broken (a key of :data:`incidents.schema.RULES`).
    message : str
        What is wrong, in a sentence.
    file : str
        Path of the file, relative to the package directory.
    line : int or None
        1-based line in that file (the header is line 1).
    column : str or None
        Column name.
    value : str or None
        The offending value as written.
    severity : {"error", "warning"}
        Warnings do not make the package invalid.
    """

    rule: str
    message: str
    file: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = "error"

    @property
    def hint(self) -> str:
        """What to do about it."""
        return _hint(self.rule)

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready dict, hint included."""
        return {**asdict(self), "hint": self.hint}


@dataclass
class Report:
    """Every problem found in one run, in the order found."""

    root: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the package invalid."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth a look that do not make the package invalid."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors

    def counts(self) -> Counter[tuple[str, str]]:
        """Number of problems per (severity, rule)."""
        return Counter((p.severity, p.rule) for p in self.problems)

    def to_json(self) -> str:
        """Every problem as JSON, with counts per rule (non-ASCII written as escapes)."""
        return json.dumps({
            "root": self.root,
            "valid": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "counts": {f"{s}:{r}": n for (s, r), n in sorted(self.counts().items())},
            "problems": [p.to_dict() for p in self.problems],
        }, indent=2, ensure_ascii=True)

    def to_github(self) -> str:
        """Every problem as a GitHub Actions workflow annotation."""
        lines = []
        for p in self.problems:
            where = f"file={escape(p.file)}"
            if p.line is not None:
                where += f",line={p.line}"
            text = describe(p).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            lines.append(f"::{p.severity} {where},title={p.rule}::{text}")
        lines.append(self.summary_line())
        return "\n".join(lines)

    def to_text(self, max_per_rule: int = 20) -> str:
        """A readable report grouped by file, then rule, with the first examples of each."""
        out: list[str] = []
        by_file: dict[str, list[Problem]] = {}
        for p in self.problems:
            by_file.setdefault(p.file, []).append(p)
        for file, problems in by_file.items():
            out.append(escape(file))
            by_rule: dict[tuple[str, str], list[Problem]] = {}
            for p in problems:
                by_rule.setdefault((p.severity, p.rule), []).append(p)
            for (severity, rule), group in by_rule.items():
                out.append(f"  {severity} [{rule}] x{len(group)}: {_hint(rule)}")
                out += [f"    {describe(p)}" for p in group[:max_per_rule]]
                if len(group) > max_per_rule:
                    out.append(f"    ... and {len(group) - max_per_rule} more "
                               "(all of them with --format json)")
        out.append(self.summary_line())
        return "\n".join(out)

    def summary_line(self) -> str:
        """One closing line: valid or not, with counts."""
        state = "valid" if self.ok else "INVALID"
        return (f"{escape(self.root)}: {state}, {len(self.errors)} error(s), "
                f"{len(self.warnings)} warning(s)")


def describe(p: Problem) -> str:
    """One problem in one line: where, the value as written (escaped), what is wrong."""
    where = p.file
    if p.line is not None:
        where += f", line {p.line}"
    if p.column is not None:
        where += f", column {p.column}"
    value = "" if p.value is None else f", value {_show(p.value)}"
    return escape(f"{where}{value}: {p.message}")


def _show(value: str, limit: int = 80) -> str:
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)
