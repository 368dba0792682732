"""Plain-text and Markdown renderings: the incident summary, counts, and the codebook."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from incidents.load import TABLES, codebook, load

#: The width :func:`render_summary` keeps to.
WIDTH = 100

LEGEND = (
    "killed, injured: the smallest and largest figure any claim gives for the incident, "
    "over all claims and victim groups (children, counted inside other groups, left out); "
    "one number when every claim agrees; \"-\" when no claim gives a figure. Figures are "
    "as stated: \"at least 30\" counts as 30. claims: figures recorded; sources: distinct "
    "sources citing them; disputed: whether the incident is coded as disputed."
)


def _figure(lo, hi) -> str:
    if pd.isna(lo) and pd.isna(hi):
        return "-"
    if pd.isna(lo) or pd.isna(hi) or lo == hi:
        return f"{lo if not pd.isna(lo) else hi}"
    return f"{lo}–{hi}"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=True, break_on_hyphens=False) or [indent.rstrip()]


def render_summary(root: Path | None = None) -> str:
    """Incidents with their claimed killed/injured ranges, at most 100 characters wide.

    Each incident takes a line of fixed columns (id, date, killed, injured, claims, sources,
    disputed) followed by its place and perpetrator, wrapped onto indented lines rather than
    cut. A legend explains the ranges and "-"; the package's counts follow.

    Parameters
    ----------
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    str
        The text for the terminal; no line is longer than :data:`WIDTH`.
    """
    flat = load(root=root)
    rows = [[str(i), d, _figure(kl, kh), _figure(il, ih), str(c), str(s),
             "yes" if flag else "no"]
            for i, d, kl, kh, il, ih, c, s, flag in zip(
                flat["incident_id"], flat["date"].dt.strftime("%Y-%m-%d").fillna("-"),
                flat["killed_low"], flat["killed_high"], flat["injured_low"],
                flat["injured_high"], flat["claims"], flat["sources"], flat["disputed"],
                strict=True)]
    head = ["id", "date", "killed", "injured", "claims", "sources", "disputed"]
    widths = [max([len(h)] + [len(r[k]) for r in rows]) for k, h in enumerate(head)]
    right = {2, 3, 4, 5}

    def line(cells: list[str]) -> str:
        parts = [c.rjust(w) if k in right else c.ljust(w)
                 for k, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip()

    out = [*_wrap(LEGEND, ""), "", line(head)]
    for cells, place, by in zip(rows, flat["location"].fillna(""),
                                flat["perpetrator"].fillna("unknown"), strict=True):
        out.append(line(cells))
        out += _wrap(f"{place} · by {by}", "    ")
    return "\n".join(out) + "\n\n" + counts_table(root, markdown=False)


def conflicting(claims: pd.DataFrame, actors: pd.DataFrame) -> list[str]:
    """incident_ids where two sides' figures for one measure and victims cannot both hold.

    The rule the validator applies (:func:`incidents.table_rules.figure_conflicts`): per
    incident, measure, victims and side, the claims' intervals (see
    :func:`incidents.claims.intervals`) narrow to the largest lower and smallest upper bound;
    two different sides conflict when one's lower bound is above the other's upper bound.
    A speaker whose side is ``unknown`` is on no side.

    Parameters
    ----------
    claims, actors : pandas.DataFrame
        The tables as :func:`incidents.load` returns them.

    Returns
    -------
    list of str
        The incident ids, sorted.
    """
    from incidents.table_rules import Context, figure_conflicts

    return figure_conflicts(Context({"claims": claims, "actors": actors}))


def _share(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.0f} %)" if whole else "0"


def both_voices(incidents: pd.DataFrame, claims: pd.DataFrame, actors: pd.DataFrame) -> int:
    """Incidents with words from the accused side and a figure from an independent claimant.

    The accused side is the perpetrator's side; where that side is ``unknown``, a claim from
    any party to the conflict (neither independent nor unknown) counts as an accused party's.
    """
    side = actors.set_index("actor_id")["side"].astype(object)
    claim_side = claims["claimant"].map(side)
    accused = incidents.set_index("incident_id")["perpetrator"].map(side)
    by_claim = claims["incident_id"].map(accused)
    partisan = ~claim_side.isin(["independent", "unknown"])
    speaks = (claim_side == by_claim) | ((by_claim == "unknown") & partisan)
    figure = claims[["low", "best", "high"]].notna().any(axis=1)
    counted = (claim_side == "independent") & figure
    have = set(claims.loc[speaks.fillna(False), "incident_id"]) & set(
        claims.loc[counted.fillna(False), "incident_id"])
    return len(have)


def counts(root: Path | None = None) -> dict[str, int | str]:
    """Headline counts of a data package, from the loaded tables."""
    incidents = load("incidents", root)
    claims = load("claims", root)
    sources = load("sources", root)
    actors = load("actors", root)
    links = load("links", root)
    flat = load(root=root)
    copies = sources.set_index("source_id")["original_publisher"].notna()
    original = int((~claims["source_id"].map(copies).fillna(False).astype(bool)).sum())
    airwars = links.loc[links["dataset"] == "airwars", "incident_id"].nunique()
    return {
        "incidents": len(incidents),
        "disputed incidents": int(incidents["disputed"].sum()),
        "incidents whose figures conflict between sides": len(conflicting(claims, actors)),
        "claims": len(claims),
        "sources": len(sources),
        "publishers": sources["publisher"].nunique(),
        "claimants": claims["claimant"].nunique(),
        "incidents with two or more publishers": int((flat["publishers"].str.count("; ")
                                                      >= 1).sum()),
        "claims citing an original publication": _share(original, len(claims)),
        "incidents with the accused side's words and an independent figure": _share(
            both_voices(incidents, claims, actors), len(incidents)),
        "incidents linked to Airwars": airwars,
    }


def counts_table(root: Path | None = None, markdown: bool = True) -> str:
    """The headline counts as a Markdown (or plain) table."""
    rows = counts(root)
    if not markdown:
        return "\n".join(f"{k:>47}: {v}" for k, v in rows.items())
    lines = ["| what | count |", "| --- | ---: |"]
    lines += [f"| {k} | {v} |" for k, v in rows.items()]
    return "\n".join(lines)


def tables_text() -> str:
    """The tables ``incidents codebook TABLE`` describes, one line each."""
    from incidents.descriptor import read_descriptor, resource

    descriptor = read_descriptor()
    lines = ["Tables (incidents codebook TABLE shows a table's fields and codes):", ""]
    for table in TABLES:
        res = resource(descriptor, table)
        first = str(res.get("title") or res.get("description") or "").strip().splitlines()
        lines += _wrap(f"{table}: {first[0] if first else ''}", "  ")
    lines += _wrap("flat: one row per incident with names, figure ranges and source counts, "
                   "as incidents.load() returns it", "  ")
    return "\n".join(lines)


def codebook_text(table: str) -> str:
    """The codebook of ``table`` for the terminal.

    Each field with its type and definition, then its codes with their definitions, wrapped
    to :data:`WIDTH` columns.
    """
    book = codebook(table)
    lines = [f"{table}", ""]
    for row in book.itertuples():
        kind = ", ".join(x for x in (row.type, "required" if row.required else "") if x)
        lines.append(f"{row.field}" + (f" ({kind})" if kind else ""))
        lines += _wrap(str(row.description), "    ")
        for code, text in (row.codes or {}).items():
            lines += textwrap.wrap(f"{code}: {text}", WIDTH, initial_indent="      - ",
                                   subsequent_indent="        ") or [f"      - {code}"]
        lines.append("")
    return "\n".join(lines).rstrip()


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
