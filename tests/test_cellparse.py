"""Whole numbers and dates read from bytes agree with the patterns and the calendar."""

import re
from datetime import date

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents import cellparse

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)
INTEGER = re.compile(r"-?[0-9]+")
EPOCH = date(1970, 1, 1)
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

number_like = st.one_of(st.none(), st.text(alphabet="0123456789-+ .x٣", max_size=18))
date_like = st.one_of(
    st.none(),
    st.text(alphabet="0123456789-/ x", max_size=11),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
              st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
)


def _column(cells: list, split: int) -> pa.ChunkedArray:
    """The cells as a chunked string column, cut in two (the reader returns chunks)."""
    cells = [c if c else None for c in cells]  # the reader reads an empty cell as null
    return pa.chunked_array([pa.array(cells[:split], pa.string()),
                             pa.array(cells[split:], pa.string())])


@SETTINGS
@given(st.lists(number_like, max_size=12), st.integers(0, 12))
def test_whole_numbers_as_the_pattern_says(cells, split):
    column = _column(cells, split)
    typed, malformed, too_long = cellparse.whole_numbers(column)
    for cell, value, bad, long in zip(column.to_pylist(), typed.to_pylist(), malformed,
                                      too_long, strict=True):
        formed = cell is not None and INTEGER.fullmatch(cell) is not None
        assert bad == (cell is not None and not formed)
        assert long == (formed and len(cell) > 15)
        assert value == (int(cell) if formed and len(cell) <= 15 else None)


def _real(cell: str) -> date | None:
    year, month, day = int(cell[:4]), int(cell[5:7]), int(cell[8:])
    try:
        return date(year, month, day)
    except ValueError:
        return None


@SETTINGS
@given(st.lists(date_like, max_size=12), st.integers(0, 12))
def test_dates_as_the_pattern_and_calendar_say(cells, split):
    column = _column(cells, split)
    typed, malformed, unreal = cellparse.dates(column)
    days = typed.cast(pa.int32()).to_pylist()  # year 0 is beyond Python's dates
    for cell, value, bad, not_real in zip(column.to_pylist(), days, malformed, unreal,
                                          strict=True):
        formed = cell is not None and DATE.fullmatch(cell) is not None
        assert bad == (cell is not None and not formed)
        if not formed:
            assert value is None and not not_real
        elif cell.startswith("0000"):  # no year 0 in Python's calendar: a leap year
            assert not_real == (value is None)
        else:
            real = _real(cell)
            assert value == (None if real is None else (real - EPOCH).days)
            assert not_real == (value is None)


def test_year_zero_is_a_leap_year():
    typed, _, unreal = cellparse.dates(pa.array(["0000-02-29", "0000-02-30"]))
    assert list(unreal) == [False, True]
    assert typed.cast(pa.int32())[0].as_py() == -719469  # the day before 0000-03-01, day -719468


def test_empty_column():
    typed, malformed, long = cellparse.whole_numbers(pa.chunked_array([], pa.string()))
    assert len(typed) == 0 and len(malformed) == 0 and len(long) == 0
    typed, malformed, unreal = cellparse.dates(pa.chunked_array([], pa.string()))
    assert len(typed) == 0 and not np.any(malformed) and not np.any(unreal)
