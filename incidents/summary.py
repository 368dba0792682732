"""Plain-text and Markdown renderings: the incident summary, counts, and the codebook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from incidents.load import codebook, load
from incidents.validate import conflicting_incidents


def _figure(lo, hi) -> str:
    if pd.isna(lo) and pd.isna(hi):
        return "-"
    if lo == hi:
        return f"{lo}"
    return f"{lo}–{hi}"


def render_summary(root: Path | None = None) -> str:
    """One line per incident: date, place, perpetrator, claimed killed/injured ranges, flag.

    Parameters
    ----------
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    str
        A table for the terminal, followed by the package's counts.
    """
    flat = load(root=root)
    view = pd.DataFrame({
        "id": flat["incident_id"],
        "date": flat["date"].dt.strftime("%Y-%m-%d"),
        "location": flat["location"].str.slice(0, 34),
        "perpetrator": flat["perpetrator"].str.slice(0, 28),
        "killed": list(map(_figure, flat["killed_low"], flat["killed_high"])),
        "injured": list(map(_figure, flat["injured_low"], flat["injured_high"])),
        "claims": flat["claims"],
        "sources": flat["sources"],
        "disputed": flat["disputed"].map({True: "yes", False: "no"}),
    })
    with pd.option_context("display.width", 200, "display.max_rows", None):
        body = view.to_string(index=False)
    return body + "\n\n" + counts_table(root, markdown=False)


def counts(root: Path | None = None) -> dict[str, int]:
    """Headline counts of a data package."""
    incidents = load("incidents", root)
    claims = load("claims", root)
    sources = load("sources", root)
    flat = load(root=root)
    return {
        "incidents": len(incidents),
        "disputed incidents": int(incidents["disputed"].sum()),
        "incidents whose figures conflict between sides": len(conflicting_incidents(root)),
        "claims": len(claims),
        "sources": len(sources),
        "publishers": sources["publisher"].nunique(),
        "claimants": claims["claimant"].nunique(),
        "incidents with two or more publishers": int((flat["publishers"].str.count("; ")
                                                      >= 1).sum()),
    }


def counts_table(root: Path | None = None, markdown: bool = True) -> str:
    """The headline counts as a Markdown (or plain) table."""
    rows = counts(root)
    if not markdown:
        return "\n".join(f"{k:>40}: {v}" for k, v in rows.items())
    lines = ["| what | count |", "| --- | ---: |"]
    lines += [f"| {k} | {v} |" for k, v in rows.items()]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook_markdown(table: str) -> str:
    """The codebook of ``table`` as Markdown: a field table, then each coded field's values."""
    book = codebook(table)
    lines = [f"#### `{table}`", "", "| field | type | required | description |",
             "| --- | --- | --- | --- |"]
    for row in book.itertuples():
        lines.append(f"| `{row.field}` | {row.type} | {'yes' if row.required else ''} | "
                     f"{_cell(row.description)} |")
    for row in book.itertuples():
        if row.codes:
            lines += ["", f"`{table}.{row.field}`:", ""]
            lines += [f"- `{code}`: {_cell(text)}" for code, text in row.codes.items()]
    return "\n".join(lines)
