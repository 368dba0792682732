"""Whole numbers and dates read from the cells' bytes, with the cells that are not such.

A regular expression per cell costs more than the whole check needs: a date is ten bytes
at fixed places and a whole number a run of digits, so both are a few comparisons over the
bytes Arrow already holds. The answers are exactly those of the patterns
``^-?[0-9]+$`` and ``^[0-9]{4}-[0-9]{2}-[0-9]{2}$`` (ASCII digits only).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from incidents.arrowbytes import chunks_of, string_buffers, valid_mask

_ZERO, _NINE, _MINUS = ord("0"), ord("9"), ord("-")
_DATE_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9])
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _whole_number_cells(chunk: pa.Array) -> np.ndarray:
    """Whether each cell of one string array is written ``-?[0-9]+`` (null: False)."""
    offsets, data = string_buffers(chunk)
    offsets = offsets.astype(np.int64)
    lengths = np.diff(offsets)
    good = valid_mask(chunk) & (lengths > 0)
    body = data[offsets[0]:offsets[-1]]
    # bytes that are not digits are allowed only as a minus sign opening a longer cell
    odd = np.flatnonzero((body < _ZERO) | (body > _NINE)) + offsets[0]
    if len(odd):
        cell = np.searchsorted(offsets, odd, side="right") - 1
        sign = (data[odd] == _MINUS) & (odd == offsets[cell]) & (lengths[cell] > 1)
        good[cell[~sign]] = False
    return good


def whole_numbers(col, max_digits: int = 15) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Read whole numbers from a string column.

    Parameters
    ----------
    col : pyarrow.Array or pyarrow.ChunkedArray
        String cells, null where empty.
    max_digits : int
        Longer cells are too large to be a count anyone reports (and could overflow int64).

    Returns
    -------
    typed : pyarrow.ChunkedArray
        int64, null where a cell is null, malformed or too long.
    malformed : numpy.ndarray of bool
        Cells present but not written ``-?[0-9]+``.
    too_long : numpy.ndarray of bool
        Well-formed cells longer than ``max_digits`` characters.
    """
    typed, malformed, too_long = [], [np.zeros(0, bool)], [np.zeros(0, bool)]
    for chunk in chunks_of(col):
        good = _whole_number_cells(chunk)
        long = good & (np.diff(string_buffers(chunk)[0]) > max_digits)
        keep = pa.array(good & ~long)
        typed.append(pc.cast(pc.if_else(keep, chunk, pa.scalar(None, pa.string())), pa.int64()))
        malformed.append(valid_mask(chunk) & ~good)
        too_long.append(long)
    return (pa.chunked_array(typed, pa.int64()), np.concatenate(malformed),
            np.concatenate(too_long))


def _date_cells(chunk: pa.Array):
    """Well-formed YYYY-MM-DD cells of one string array, and their year, month and day."""
    offsets, data = string_buffers(chunk)
    offsets = offsets.astype(np.int64)
    shaped = valid_mask(chunk) & (np.diff(offsets) == 10)
    rows = np.flatnonzero(shaped)
    if len(rows) == 0:
        cells = np.zeros((0, 10), np.uint8)
    else:  # one row of 10 bytes per cell, picked from a view of every 10-byte window
        cells = np.lib.stride_tricks.sliding_window_view(data, 10)[offsets[:-1][rows]]
    digits = cells[:, _DATE_DIGITS].astype(np.int32) - _ZERO
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    ok &= (cells[:, 4] == _MINUS) & (cells[:, 7] == _MINUS)
    shaped[rows[~ok]] = False
    digits = digits[ok]
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
    return shaped, year, month, day


def dates(col) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Read YYYY-MM-DD dates from a string column.

    Parameters
    ----------
    col : pyarrow.Array or pyarrow.ChunkedArray
        String cells, null where empty.

    Returns
    -------
    typed : pyarrow.Array
        date32, null where a cell is null, malformed or names no real day.
    malformed : numpy.ndarray of bool
        Cells present but not written YYYY-MM-DD.
    unreal : numpy.ndarray of bool
        Well-formed cells naming a day that does not exist (proleptic Gregorian, as
        ``strptime`` has it, year 0000 included): month 13, 30 February, ...
    """
    parts = [_date_cells(c) for c in chunks_of(col)]
    if not parts:
        return pa.array([], pa.date32()), np.zeros(0, bool), np.zeros(0, bool)
    shaped = np.concatenate([p[0] for p in parts])
    year, month, day = (np.concatenate([p[k] for p in parts]) for k in (1, 2, 3))
    valid = np.concatenate([valid_mask(c) for c in chunks_of(col)])
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    in_month = _MONTH_DAYS[np.clip(month - 1, 0, 11)] + ((month == 2) & leap)
    real_part = (month >= 1) & (month <= 12) & (day >= 1) & (day <= in_month)
    real = np.zeros(len(shaped), dtype=bool)
    real[np.flatnonzero(shaped)] = real_part
    days = np.zeros(len(shaped), dtype=np.int32)
    days[np.flatnonzero(shaped)] = _days_from_civil(year, month, day)
    typed = pa.array(np.where(real, days, 0).astype(np.int32), pa.date32(), mask=~real)
    return typed, valid & ~shaped, shaped & ~real


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468
