"""A sourced table of one incident's claims, ready for an article.

>>> import incidents
>>> t = incidents.table("SYR-2017-0005")     # a DataFrame, one row per claim
>>> print(incidents.table.to_markdown(t))    # doctest: +SKIP

Each row says who claims what, on which side, the figure as worded (the same words the
charts' alt text uses, from :mod:`incidents.marks`), the date, the original outlet with its
link, and the quote. :func:`to_markdown`, :func:`to_html` and :func:`to_datawrapper_csv`
give it as a Markdown table, an HTML table and a CSV that Datawrapper's table tool reads
(links as Markdown, which Datawrapper renders). Only pandas is used: no matplotlib.
"""

from __future__ import annotations

import csv
import html
import io
import sys
import types
from pathlib import Path

import pandas as pd

from incidents.load import load_table
from incidents.marks import mark
from incidents.vocab import MEASURE, VICTIMS

#: The columns of :func:`table`, in order.
COLUMNS = ("claimant", "side", "figure", "measure", "victims", "stance", "date", "outlet",
           "url", "quote", "claim_id")

_SIDE_WORDS = {"independent": "independent", "unknown": "no side"}


def table(incident_id: str, root: str | Path | None = None) -> pd.DataFrame:
    """The claims about one incident as a sourced table.

    Parameters
    ----------
    incident_id : str
        The incident.
    root : str or pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    pandas.DataFrame
        One row per claim, ordered by measure, victim group and date (undated last), with
        the columns of :data:`COLUMNS`: ``figure`` is the figure as worded ("at least 83",
        "denies"); ``date`` is ``claimed_on``, else the source's publication date;
        ``outlet`` and ``url`` name the original publication where the package records one
        (``original_publisher`` / ``original_url``), else the source's own; ``quote`` is
        the English quote where the source is not in English.

    Raises
    ------
    ValueError
        For an unknown incident.
    """
    root = Path(root) if root is not None else None
    incidents = load_table("incidents", root)
    if incident_id not in set(incidents["incident_id"].astype(str)):
        raise ValueError(f"unknown incident_id {incident_id!r}: the data package has no such "
                         "incident")
    claims = load_table("claims", root)
    claims = claims[claims["incident_id"].astype(str) == incident_id]
    actors = load_table("actors", root).set_index("actor_id")
    sources = load_table("sources", root).set_index("source_id")
    src = claims["source_id"]
    outlet = src.map(sources["publisher"]).astype(object)
    url = src.map(sources["url"]).astype(object)
    for column, target in (("original_publisher", "outlet"), ("original_url", "url")):
        if column in sources.columns:
            original = src.map(sources[column]).astype(object)
            filled = original.notna() & original.astype(str).str.strip().ne("")
            if target == "outlet":
                outlet = outlet.where(~filled, original)
            else:
                url = url.where(~filled, original)
    date = claims["claimed_on"].fillna(src.map(sources["published"]))
    figures = [_figure(r) for r in claims.itertuples()]
    quote = claims["quote_en"].astype(object).fillna(claims["quote"].astype(object))
    side = claims["claimant"].map(actors["side"].astype(object)).fillna("unknown")
    out = pd.DataFrame({
        "claimant": claims["claimant"].map(actors["name"]).fillna(claims["claimant"]),
        "side": side.map(lambda s: _SIDE_WORDS.get(s, str(s).replace("_", " "))),
        "figure": figures,
        "measure": claims["measure"].astype(object),
        "victims": claims["victims"].astype(object),
        "stance": claims["stance"].astype(object),
        "date": pd.to_datetime(date).dt.date,
        "outlet": outlet,
        "url": url.fillna(""),
        "quote": quote,
        "claim_id": claims["claim_id"].astype(object),
    })
    rank = {m: i for i, m in enumerate(MEASURE)}
    vrank = {v: i for i, v in enumerate(VICTIMS)}
    order = out.assign(_d=pd.to_datetime(date), _m=out["measure"].map(rank),
                       _v=out["victims"].map(vrank)).sort_values(
        ["_m", "_v", "_d", "claim_id"], na_position="last")
    return order.drop(columns=["_d", "_m", "_v"]).reset_index(drop=True)[list(COLUMNS)]


def _figure(row) -> str:
    m = mark(row.qualifier, row.low, row.best, row.high, "asserts", row.vague_term)
    if row.stance in ("denies", "disputes"):
        return f"{row.stance}" + (f" ({m.words})" if m.words != "no figure" else "")
    return m.words


def _cell(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _rows_for_output(frame: pd.DataFrame) -> list[list[str]]:
    cols = ["claimant", "side", "figure", "measure", "victims", "date", "outlet", "quote"]
    return [[_cell(r[c]) for c in cols] + [_cell(r["url"])] for _, r in frame.iterrows()]


_HEADERS = ["Claimant", "Side", "Figure", "Measure", "Victims", "Date", "Outlet", "Quote"]
_OUTLET, _QUOTE = _HEADERS.index("Outlet"), _HEADERS.index("Quote")


def to_markdown(frame: pd.DataFrame) -> str:
    """The table as GitHub-flavoured Markdown, the outlet linked to the original.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`table`.

    Returns
    -------
    str
        A Markdown table; pipes and line breaks inside cells are escaped.
    """
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(_HEADERS) + " |", "|" + "---|" * len(_HEADERS)]
    for *cells, url in _rows_for_output(frame):
        cells = [esc(c) for c in cells]
        if url:
            cells[_OUTLET] = f"[{cells[_OUTLET]}]({esc(url).replace(')', '%29')})"
        cells[_QUOTE] = f"“{cells[_QUOTE]}”" if cells[_QUOTE] else ""
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def to_html(frame: pd.DataFrame) -> str:
    """The table as an HTML ``<table>``, every value escaped, the outlet linked.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`table`.

    Returns
    -------
    str
        An HTML fragment.
    """
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{h}</th>" for h in _HEADERS)
           + "</tr></thead>", "<tbody>"]
    for *cells, url in _rows_for_output(frame):
        cells = [html.escape(c) for c in cells]
        if url.startswith(("http://", "https://")):
            cells[_OUTLET] = f'<a href="{html.escape(url, quote=True)}">{cells[_OUTLET]}</a>'
        cells[_QUOTE] = f"<q>{cells[_QUOTE]}</q>" if cells[_QUOTE] else ""
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def to_datawrapper_csv(frame: pd.DataFrame) -> str:
    """The table as CSV for Datawrapper's table tool.

    Links are Markdown (``[Outlet](url)``), which Datawrapper renders as links; a cell that
    would start with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe so no
    spreadsheet reads it as a formula.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`table`.

    Returns
    -------
    str
        CSV text with a header row.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_HEADERS)
    for *cells, url in _rows_for_output(frame):
        if url:
            cells[_OUTLET] = f"[{cells[_OUTLET]}]({url})"
        writer.writerow(["'" + c if c[:1] in "=+-@" and c else c for c in cells])
    return buffer.getvalue()


class _CallableModule(types.ModuleType):
    """The module itself, callable as :func:`table`.

    ``import incidents.table`` binds the module to the name ``incidents.table``; making the
    module callable keeps ``incidents.table("SYR-2017-0005")`` working either way, and
    ``incidents.table.to_markdown`` beside it.
    """

    def __call__(self, incident_id: str, root: str | Path | None = None) -> pd.DataFrame:
        return table(incident_id, root)


sys.modules[__name__].__class__ = _CallableModule
