"""The byte-level helpers give what the plain Arrow and Python operations give."""

from itertools import pairwise

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.arrowbytes import byte_positions, count_byte, dictionary_codes, take_rows

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True)
cells = st.lists(st.one_of(st.none(), st.text(alphabet="ab,\"é", max_size=5)), max_size=20)


def _chunked(values: list, cuts: list[int]) -> pa.ChunkedArray:
    bounds = sorted({0, len(values), *(c % (len(values) + 1) for c in cuts)})
    return pa.chunked_array([pa.array(values[a:b], pa.string())
                             for a, b in pairwise(bounds)] or
                            [pa.array([], pa.string())], pa.string())


@SETTINGS
@given(cells, st.lists(st.integers(0, 30), max_size=4), st.data())
def test_take_rows_is_take(values, cuts, data):
    column = _chunked(values, cuts)
    rows = data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=10)
                     if values else st.just([]))
    assert take_rows(column, np.array(rows, dtype=np.int64)).to_pylist() == [
        values[r] for r in rows]


@SETTINGS
@given(cells, st.lists(st.integers(0, 30), max_size=4))
def test_dictionary_codes_name_each_cell(values, cuts):
    codes, distinct = dictionary_codes(_chunked(values, cuts))
    distinct = distinct.to_pylist()
    assert [None if c < 0 else distinct[c] for c in codes] == values
    assert len(set(distinct)) == len(distinct)


@SETTINGS
@given(st.binary(max_size=200), st.integers(0, 255))
def test_byte_search(data, value):
    view = np.frombuffer(data, dtype=np.uint8)
    assert byte_positions(view, value).tolist() == [i for i, b in enumerate(data) if b == value]
    assert count_byte(data, bytes([value])) == data.count(bytes([value]))
    assert count_byte(data, bytes([value]), len(data) // 2) == data[:len(data) // 2].count(
        bytes([value]))
