"""What the validator finds, and the three ways it is reported (text, JSON, GitHub)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

#: What to do about each rule, shown with every problem of that rule.
HINTS: dict[str, str] = {
    "file-missing": "Add the file, or restore it from the repository.",
    "file-empty": "A table needs at least its header row.",
    "file-too-large": "Split the import, or raise the limit with --max-bytes if memory allows.",
    "byte-order-mark": "Save the file as UTF-8 without BOM, or run `incidents fmt`.",
    "utf-8": "Save the file as UTF-8; the byte shown is not valid UTF-8.",
    "line-endings": "Use LF line ends; `incidents fmt` converts them.",
    "final-newline": "End the file with one line break; `incidents fmt` adds it.",
    "delimiter": "Separate columns with commas, not semicolons or tabs.",
    "csv-syntax": "Check the quotes on this line: a quoted cell must end with a quote.",
    "row-length": "Each row needs exactly one cell per header column; check for stray commas.",
    "no-rows": "Add at least one row below the header.",
    "column-missing": "Add the column to the header, even if its cells are empty.",
    "column-unknown": "Remove the column or rename it to one the schema knows.",
    "column-duplicate": "Each column name may appear once in the header.",
    "column-order": "Order the columns as the schema does; `incidents fmt` reorders them.",
    "required": "Fill in this cell; the field is required.",
    "type": "Write the value in the field's type (integer, number, YYYY-MM-DD date, true/false).",
    "date-real": "Use a date that exists on the calendar, as YYYY-MM-DD.",
    "enum": "Use one of the codes listed in the codebook for this field.",
    "pattern": "Write the value in the form the codebook gives for this field.",
    "minimum": "Figures are counts: whole numbers, zero or more.",
    "maximum": "The value is above the field's maximum.",
    "max-length": "Shorten the cell; put long explanations in a note.",
    "unique": "Identifiers are unique: give this row a new id.",
    "foreign-key": "Use an id that exists in the referenced table, or add that row there.",
    "low-best-high": "Check the figures: low <= best <= high.",
    "qualifier-fields": "Fill low, best and high as the codebook's rule for this qualifier says.",
    "vague-term": "Keep the source's own vague word in vague_term when the qualifier is vague.",
    "date-not-future": "Dates cannot be after today; check the year.",
    "date-order": "The end date, or the date of a statement, cannot precede the incident's date.",
    "coordinates-pair": "Give latitude and longitude together, or neither.",
    "coordinates-precision": "Say what the coordinates stand for and where they come from.",
    "coordinates-in-country": "Check the coordinates (latitude first) and the country code.",
    "country-code": "Use an ISO 3166-1 alpha-3 country code, such as SYR.",
    "admin1-code": "Use an ISO 3166-2 code of the incident's country, such as SY-DY.",
    "language-code": "Use an ISO 639-1 language code, such as en or ar.",
    "no-formula-prefix": "Start the cell with another character (spreadsheets run = + - @).",
    "no-control-characters": "Remove tabs, line breaks and other control characters.",
    "disputed-consistent": "Set disputed to true and say what is disputed in `dispute`.",
    "dispute-required": (
        "A disputed incident says what is disputed; an undisputed one leaves it empty."
    ),
    "incident-has-claim": "Add at least one claim for the incident, with its source and quote.",
    "duplicate-claim": "Remove the repeated claim; one row per figure per statement.",
    "claim-id-prefix": "Start the claim_id with its incident_id, then -C and a number.",
    "quote-translation": "Add your English translation of the quote in quote_en.",
    "url-note": "Give the page's address, or a note saying why none is known.",
    "likely-duplicate-incident": "Check whether the two rows are one incident; merge them if so.",
    "canonical-form": "Run `incidents fmt` to rewrite the file in canonical form.",
    "datapackage-missing": "Run `incidents build` to generate datapackage.json.",
    "datapackage-malformed": "Run `incidents build` to regenerate datapackage.json.",
    "datapackage-stale": "Run `incidents build` to bring datapackage.json in step with the files.",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data package.

    Attributes
    ----------
    rule : str
        Short name of the rule broken (a key of :data:`HINTS`).
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
        return HINTS.get(self.rule, "")

    def to_dict(self) -> dict:
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

    def counts(self) -> Counter:
        """Number of problems per (severity, rule)."""
        return Counter((p.severity, p.rule) for p in self.problems)

    def to_json(self) -> str:
        """Every problem as JSON, with counts per rule."""
        return json.dumps({
            "root": self.root,
            "valid": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "counts": {f"{s}:{r}": n for (s, r), n in sorted(self.counts().items())},
            "problems": [p.to_dict() for p in self.problems],
        }, indent=2, ensure_ascii=False)

    def to_github(self) -> str:
        """Every problem as a GitHub Actions workflow annotation."""
        lines = []
        for p in self.problems:
            where = f"file={p.file}"
            if p.line is not None:
                where += f",line={p.line}"
            text = _describe(p).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
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
            out.append(f"{file}")
            by_rule: dict[tuple[str, str], list[Problem]] = {}
            for p in problems:
                by_rule.setdefault((p.severity, p.rule), []).append(p)
            for (severity, rule), group in by_rule.items():
                out.append(f"  {severity} [{rule}] x{len(group)}: {HINTS.get(rule, '')}")
                for p in group[:max_per_rule]:
                    out.append(f"    {_describe(p)}")
                if len(group) > max_per_rule:
                    out.append(
                        f"    ... and {len(group) - max_per_rule} more "
                        "(all of them with --format json)"
                    )
        out.append(self.summary_line())
        return "\n".join(out)

    def summary_line(self) -> str:
        """One closing line: valid or not, with counts."""
        state = "valid" if self.ok else "INVALID"
        return (f"{self.root}: {state}, {len(self.errors)} error(s), "
                f"{len(self.warnings)} warning(s)")


def _describe(p: Problem) -> str:
    where = p.file
    if p.line is not None:
        where += f", line {p.line}"
    if p.column is not None:
        where += f", column {p.column}"
    value = "" if p.value is None else f", value {_show(p.value)}"
    return f"{where}{value}: {p.message}"


def _show(value: str, limit: int = 80) -> str:
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)
