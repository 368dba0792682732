"""Regenerate the generated blocks of README.md (counts, codebook) from the data and schema.

A block sits between ``<!-- BEGIN generated: NAME -->`` and ``<!-- END generated: NAME -->``;
everything else in README.md is written by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from incidents.summary import codebook_markdown, counts_table
from incidents.vocab import TABLES as VOCAB_TABLES

TABLES = (*VOCAB_TABLES, "flat")


def rules_markdown() -> str:
    """The validator's rules as a Markdown table, from the registry in incidents.schema."""
    from incidents.schema import RULES

    lines = ["| rule | severity | what it says | what to do |", "| --- | --- | --- | --- |"]
    for name, rule in RULES.items():
        cells = (f"`{name}`", rule.severity, rule.text, rule.hint)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def blocks(root: Path | None = None) -> dict[str, str]:
    """The current content of every generated block."""
    return {
        "counts": counts_table(root),
        "codebook": "\n\n".join(codebook_markdown(t) for t in TABLES),
        "rules": rules_markdown(),
    }


def render(readme: str, root: Path | None = None) -> str:
    """Return ``readme`` with every generated block replaced by its current content."""
    for name, body in blocks(root).items():
        pattern = re.compile(
            rf"(<!-- BEGIN generated: {name} -->\n).*?(<!-- END generated: {name} -->)",
            re.DOTALL,
        )
        if not pattern.search(readme):
            raise ValueError(f"README.md has no generated block {name!r}")
        readme = pattern.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(2),
                             readme)
    return readme
