"""The canonical-form proof from quote positions agrees with rendering the file.

Every file here is written cell by cell in one of the ways a CSV reader accepts (quoted or
not, quotes where none are needed, a quoted part followed by more text, a bare quote inside
an unquoted cell, an empty cell written as two quotes); the truth is whether the bytes equal
the canonical rendering of the cells the reader got back.
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.canonical import matches_table, render_rows
from incidents.csvread import read_text_table

HEADER = ["a", "b", "c"]
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)

cells = st.one_of(st.none(), st.text(alphabet='ab ,"é', min_size=1, max_size=6))
ways = st.sampled_from(["canonical", "quoted", "split", "bare"])


def _needs_quotes(cell: str) -> bool:
    return any(mark in cell for mark in ',"')


def _write(cell: str | None, way: str, cut: int) -> str:
    """One field of a row: the cell written the way asked, when that way can hold it."""
    text = cell or ""
    doubled = text.replace('"', '""')
    if way == "quoted" or (way == "canonical" and _needs_quotes(text)):
        return f'"{doubled}"'
    if way == "split" and text and '"' not in text[cut:] and "," not in text[cut:]:
        head = text[:cut].replace('"', '""')
        return f'"{head}"{text[cut:]}'
    if way == "bare" and "," not in text and not text.startswith('"'):
        return text
    return f'"{doubled}"' if _needs_quotes(text) else text


def _verdicts(body: str) -> tuple[bool, bool, bool] | None:
    """(quote-position proof, rendering, truth) for a file, or None if it is not one-line."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_bytes(body.encode("utf-8"))
        parsed = read_text_table(path, "t.csv")
        if parsed.problems or not parsed.one_line_rows or parsed.header != HEADER:
            return None
        rows = [["" if v is None else v for v in row.values()]
                for row in parsed.table.to_pylist()]
        truth = bytes(parsed.raw) == render_rows(HEADER, rows)
        return (matches_table(HEADER, parsed.table, parsed.raw, one_line_rows=True),
                matches_table(HEADER, parsed.table, parsed.raw, one_line_rows=False),
                truth)


@SETTINGS
@given(st.lists(st.tuples(st.tuples(cells, cells, cells), st.tuples(ways, ways, ways),
                          st.integers(0, 6)), min_size=1, max_size=8))
def test_quote_positions_decide_as_rendering_does(rows):
    lines = [",".join(HEADER)]
    for values, how, cut in rows:
        lines.append(",".join(_write(v, w, cut) for v, w in zip(values, how, strict=True)))
    verdicts = _verdicts("\n".join(lines) + "\n")
    if verdicts is not None:
        proof, rendered, truth = verdicts
        assert proof == rendered == truth


@pytest.mark.parametrize(("row", "canonical"), [
    ("x,y,z", True),
    ('"x,y",z,w', True),
    ('"x""y",z,w', True),
    ('"x",y,z', False),          # quotes where none are needed
    ('"x,"y,z,w', False),        # a quoted part, then more text: x,y
    ('"x,y"z,w,v', False),       # same length as "x,yz": only the quotes' places differ
    ('x"y,z,w', False),          # a bare quote the canonical form doubles inside quotes
    ('"",z,w', False),           # an empty cell written as two quotes
    (',,', True),
])
def test_quote_positions_on_known_rows(row, canonical):
    verdicts = _verdicts(f"a,b,c\n{row}\n")
    assert verdicts is not None
    assert verdicts == (canonical, canonical, canonical)
