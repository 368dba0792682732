"""The checks of the rules between fields and tables, over the typed tables.

Each rule of :data:`incidents.schema.RULES` (its name, text, hint and severity live there)
runs one function of this module on a :class:`Context`, which holds the tables and the
lookups several rules share; a function returns :class:`Hit` rows. The module needs no
pandera, so the summary counts conflicts with the very rule the validator applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from incidents.claims import QUALIFIER_FIELDS, among, intervals


def as_arrow(series: pd.Series) -> pyarrow.Array | pyarrow.ChunkedArray:
    """The cells of a text column as Arrow strings (no copy for Arrow-backed columns)."""
    values = getattr(series.array, "_pa_array", None)
    if values is not None and pyarrow.types.is_string(values.type):
        return values
    if values is not None and pyarrow.types.is_large_string(values.type):
        return values.cast(pyarrow.string())
    return pyarrow.array(series.astype(object), pyarrow.string(), from_pandas=True)


def per_value(series: pd.Series, is_ok: Callable[[str], bool]) -> pd.Series:
    """Apply a Python test once per distinct value (codes repeat: a few hundred values)."""
    values = as_arrow(series.astype("str"))
    good = [v for v in pc.unique(values).drop_null().to_pylist() if is_ok(v)]
    found = pc.is_in(values, value_set=pyarrow.array(good, pyarrow.string()))
    return pd.Series(pc.fill_null(found, False).to_numpy(zero_copy_only=False),
                     index=series.index)


def country_known(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 country code."""
    import pycountry

    return pycountry.countries.get(alpha_3=code) is not None


def language_known(code: str) -> bool:
    """Whether ``code`` is an ISO 639-1 language code."""
    import pycountry

    return pycountry.languages.get(alpha_2=code) is not None


# ---------------------------------------------------------------------------------------------
# The rules between fields and tables: each is one entry of RULES below.


@dataclass(frozen=True)
class Hit:
    """Rows of one table that break a rule.

    Attributes
    ----------
    table : str
        The table the rows are in.
    rows : numpy.ndarray
        Their positions (0-based, in file order).
    column : str or None
        The column to name in the report.
    message : str or list of str
        What is wrong: one sentence for all rows, or one per row.
    values : list or None
        The value to show per row (default: the cell of ``column``).
    """

    table: str
    rows: np.ndarray
    column: str | None
    message: str | list[str]
    values: list | None = None


@dataclass
class Context:
    """What a rule sees: the typed tables that could be read, and the date of today."""

    tables: dict[str, pd.DataFrame]
    today: date = field(default_factory=date.today)
    #: lookups several rules share (a million claims' incident_ids are hashed once)
    memo: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def positions(self, table: str, column: str, other: str, key: str) -> np.ndarray:
        """For each cell of ``table.column``, the row of ``other`` whose ``key`` holds it."""
        memo_key = ("positions", table, column, other, key)
        if memo_key not in self.memo:
            self.memo[memo_key] = _positions(self.tables[table][column],
                                             self.tables[other][key])
        return self.memo[memo_key]

    def figures(self, table: str, column: str) -> np.ndarray:
        """A column of counts as floats, NaN where empty (read only: several rules share it)."""
        memo_key = ("figures", table, column)
        if memo_key not in self.memo:
            self.memo[memo_key] = _figures(self.tables[table], column)
        return self.memo[memo_key]

    def codes_of(self, table: str, column: str, coded: str, coded_column: str) -> np.ndarray:
        """For each cell of ``table.column``, its code in ``codes(coded, coded_column)``.

        -1 where the value is missing or not among them.
        """
        memo_key = ("codes_of", table, column, coded, coded_column)
        if memo_key not in self.memo:
            values = self.codes(coded, coded_column)[1]
            position = pc.index_in(as_arrow(self.tables[table][column]), value_set=values)
            self.memo[memo_key] = pc.fill_null(position, -1).to_numpy(
                zero_copy_only=False).astype(np.int64)
        return self.memo[memo_key]

    def codes(self, table: str, column: str) -> tuple[np.ndarray, pyarrow.Array]:
        """Integer codes of ``table.column`` (-1 for missing) and their values."""
        memo_key = ("codes", table, column)
        if memo_key not in self.memo:
            self.memo[memo_key] = _encode(self.tables[table][column])
        return self.memo[memo_key]


def hit(table: str, mask: Any, column: str | None, message: str | list[str],
        values: list | None = None) -> list[Hit]:
    """The rows of ``table`` where ``mask`` is true, as one :class:`Hit` (none if no row)."""
    if not (isinstance(mask, np.ndarray) and mask.dtype == bool):
        # a nullable mask (pandas boolean, object): a missing answer is no hit
        mask = np.asarray(pd.Series(mask).fillna(False), dtype=bool)
    rows = np.flatnonzero(mask)
    if not len(rows):
        return []
    return [Hit(table, rows, column, message, values)]


def _figures(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype="float64", na_value=np.nan)


def _is_code(series: pd.Series, codes: str | tuple[str, ...]) -> np.ndarray:
    """Where a coded column holds one of ``codes`` (on its integer codes when categorical)."""
    wanted = frozenset((codes,) if isinstance(codes, str) else codes)
    categorical = isinstance(series.dtype, pd.CategoricalDtype)
    return among(series.array if categorical else series.to_numpy(dtype=object), wanted)


def _take_chunks(values: pyarrow.ChunkedArray, rows: np.ndarray) -> pyarrow.Array:
    """The cells at positions ``rows``, taken chunk by chunk.

    Arrow's take on a chunked text column first joins all its chunks: a copy of every cell
    to pick a few.
    """
    lengths = np.array([len(chunk) for chunk in values.chunks], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    which = np.searchsorted(starts, rows, side="right") - 1
    order = np.argsort(which, kind="stable")  # the rows grouped by chunk
    grouped, chunk_of = rows[order], which[order]
    parts = [values.chunk(i).take(pyarrow.array(grouped[chunk_of == i] - starts[i]))
             for i in np.unique(chunk_of)]
    taken = pyarrow.concat_arrays(parts) if parts else pyarrow.array([], values.type)
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return taken.take(pyarrow.array(back))


def _cells(series: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The cells of ``series`` at positions ``rows`` as Python objects, as pandas gives them."""
    values = getattr(series.array, "_pa_array", None)
    if not (isinstance(values, pyarrow.ChunkedArray) and values.num_chunks > 1
            and (pyarrow.types.is_string(values.type)
                 or pyarrow.types.is_large_string(values.type))):
        return series.take(rows).to_numpy(dtype=object)
    taken = _take_chunks(values, np.asarray(rows, dtype=np.int64))
    cells = taken.to_numpy(zero_copy_only=False)
    cells[taken.is_null().to_numpy(zero_copy_only=False)] = series.dtype.na_value
    return cells


def _flat(series: pd.Series) -> pyarrow.Array:
    values = as_arrow(series)
    return values.combine_chunks() if isinstance(values, pyarrow.ChunkedArray) else values


def _positions(keys: pd.Series, index: pd.Series) -> np.ndarray:
    """For each key, the first row of ``index`` holding it (-1 where none does)."""
    position = pc.index_in(as_arrow(keys.astype("str")), value_set=_flat(index.astype("str")))
    return pc.fill_null(position, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _lookup(keys: pd.Series, index: pd.Series, values: pd.Series) -> np.ndarray:
    """For each key, the value on the first row of ``index`` holding it (None if none)."""
    table = np.append(values.astype(object).to_numpy(), np.array([None], dtype=object))
    return table[_positions(keys, index)]


def _encode(series: pd.Series) -> tuple[np.ndarray, pyarrow.Array]:
    """Integer codes of a column (-1 for missing) and the values they stand for.

    The values stay in Arrow: a million distinct quotes are never made Python strings.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return (series.cat.codes.to_numpy().astype(np.int64),
                pyarrow.array(list(series.cat.categories)))
    encoded = pc.dictionary_encode(_flat(series.astype("str")))
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary


def _side_codes(ctx: Context, table: str, column: str) -> tuple[np.ndarray, list[str]]:
    """The side of each actor_id of ``table.column`` as a code into the sides.

    -1 where the actor is unknown or its side is ``unknown``: an unknown side is no side.
    """
    codes, values = ctx.codes("actors", "side")
    names = values.to_pylist()
    codes = np.where(np.asarray([*names, None], dtype=object)[codes] == "unknown", -1, codes)
    return np.append(codes, -1)[ctx.positions(table, column, "actors", "actor_id")], names


def low_best_high(ctx: Context) -> list[Hit]:
    """Rule ``low-best-high``: low <= best <= high wherever both are given."""
    hits: list[Hit] = []
    for a, b in (("low", "best"), ("best", "high"), ("low", "high")):
        x, y = ctx.figures("claims", a), ctx.figures("claims", b)
        with np.errstate(invalid="ignore"):
            wrong = x > y
        shown = [f"{int(x[i])} > {int(y[i])}" for i in np.flatnonzero(wrong)]
        hits += hit("claims", wrong, a, f"{a} is greater than {b}", shown)
    return hits


def qualifier_fields(ctx: Context) -> list[Hit]:
    """Rule ``qualifier-fields``: low, best and high are filled as the qualifier's rule says."""
    claims = ctx.tables["claims"]
    qualifier = claims["qualifier"]
    filled = {n: claims[n].notna().to_numpy() for n in ("low", "best", "high")}
    hits: list[Hit] = []
    for code, wants in QUALIFIER_FIELDS.items():
        is_code = _is_code(qualifier, code)
        if not is_code.any():
            continue
        for name, want in zip(("low", "best", "high"), wants, strict=True):
            if want is not None:
                wrong = is_code & (filled[name] if not want else ~filled[name])
                state = "filled" if want else "empty"
                hits += hit("claims", wrong, name, f"qualifier {code!r} needs {name} {state}")
    low, best, high = (ctx.figures("claims", n) for n in ("low", "best", "high"))
    with np.errstate(invalid="ignore"):
        unequal = (low != best) | (best != high)
    unequal &= ~np.isnan(low) & ~np.isnan(best) & ~np.isnan(high)
    hits += hit("claims", _is_code(qualifier, "exact") & unequal, "best",
                "qualifier 'exact' needs low = best = high")
    return hits


def vague_term(ctx: Context) -> list[Hit]:
    """Rule ``vague-term`` (see :data:`incidents.schema.RULES`)."""
    claims = ctx.tables["claims"]
    qualifier = claims["qualifier"]
    is_vague = (qualifier == "vague").fillna(False).to_numpy(dtype=bool)
    has_term = claims["vague_term"].notna().to_numpy()
    coded = qualifier.notna().to_numpy()
    return (hit("claims", is_vague & ~has_term, "vague_term",
                "a vague figure needs the source's word in vague_term",
                ["vague"] * int((is_vague & ~has_term).sum()))
            + hit("claims", coded & ~is_vague & has_term, "vague_term",
                  "vague_term is only for qualifier 'vague'"))


def claim_id_prefix(ctx: Context) -> list[Hit]:
    """Rule ``claim-id-prefix``: A claim_id starts with its incident_id."""
    claims = ctx.tables["claims"]
    claim = pc.utf8_slice_codeunits(as_arrow(claims["claim_id"]), 0, 14)
    incident = pc.binary_join_element_wise(as_arrow(claims["incident_id"]), "-", "")
    wrong = pc.fill_null(pc.not_equal(claim, incident), False).to_numpy(zero_copy_only=False)
    return hit("claims", wrong, "claim_id",
               "claim_id does not start with the claim's incident_id")


_CLAIM_FIELDS = ["incident_id", "source_id", "claimant", "measure", "victims", "low", "best",
                 "high", "qualifier", "stance", "quote"]


def duplicate_claim(ctx: Context) -> list[Hit]:
    """Rule ``duplicate-claim``: The same claim (all fields but claim_id) is not entered twice."""
    claims = ctx.tables["claims"]
    if len(claims) < 2:
        return []
    # two equal claims share incident, codes and figures: a hash of those numbers (no
    # string is hashed) picks the few rows compared in full; a collision only adds a row
    key = ctx.codes("claims", "incident_id")[0].astype(np.uint64)
    numbers = [claims[c].cat.codes.to_numpy() for c in ("measure", "victims", "qualifier",
                                                         "stance")]
    numbers += [claims[c].to_numpy(dtype=np.int64, na_value=-1) for c in ("low", "best", "high")]
    # the rows of the claim's source and claimant, where those tables were read (memoised by
    # foreign-key): equal claims share them too, and far fewer rows are compared in full
    for column, other, ref in (("source_id", "sources", "source_id"),
                               ("claimant", "actors", "actor_id")):
        if ref in ctx.tables.get(other, {}):
            numbers.append(ctx.positions("claims", column, other, ref))
    for part in numbers:
        key = key * np.uint64(1_000_003) + part.astype(np.int64).astype(np.uint64)
    # every row whose key another row shares (a hash table: cheaper than sorting a million)
    candidates = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
    # only the compared columns are taken, not the notes and translations too
    subset = pd.DataFrame({c: _cells(claims[c], candidates) for c in _CLAIM_FIELDS})
    repeated = candidates[subset.duplicated(keep="first").to_numpy()]
    mask = np.zeros(len(claims), dtype=bool)
    mask[repeated] = True
    return hit("claims", mask, "claim_id",
               "the same claim (all fields but claim_id) is entered on an earlier line too")


def date_not_future(ctx: Context) -> list[Hit]:
    """Rule ``date-not-future``: Dates are not after today."""
    today = pd.Timestamp(ctx.today)
    hits: list[Hit] = []
    for table, frame in ctx.tables.items():
        for name in frame.columns:
            if frame[name].dtype.kind == "M":
                hits += hit(table, (frame[name] > today).to_numpy(), name,
                            f"{name} is after today ({ctx.today})")
    return hits


def date_order(ctx: Context) -> list[Hit]:
    """Rule ``date-order`` (see :data:`incidents.schema.RULES`)."""
    incidents = ctx.tables["incidents"]
    hits = hit("incidents", (incidents["date_end"] < incidents["date"]).to_numpy(), "date_end",
               "date_end is before date")
    claims = ctx.tables.get("claims")
    if claims is not None:
        dates = np.append(incidents["date"].to_numpy(dtype="datetime64[ns]"),
                          np.datetime64("NaT", "ns"))
        start = dates[ctx.positions("claims", "incident_id", "incidents", "incident_id")]
        early = claims["claimed_on"].to_numpy(dtype="datetime64[ns]") < start
        hits += hit("claims", early, "claimed_on", "claimed_on is before the incident's date")
    return hits


def coordinates_pair(ctx: Context) -> list[Hit]:
    """Rule ``coordinates-pair``: latitude and longitude are given both or neither."""
    inc = ctx.tables["incidents"]
    lat, lon = inc["latitude"], inc["longitude"]
    alone = (lat.isna() != lon.isna()).to_numpy()
    shown = [f"{'' if pd.isna(lat.iloc[i]) else lat.iloc[i]},"
             f"{'' if pd.isna(lon.iloc[i]) else lon.iloc[i]}" for i in np.flatnonzero(alone)]
    return hit("incidents", alone, "latitude", "latitude and longitude must come together",
               shown)


_POINTS = ("site", "settlement", "nearby_settlement")


def coordinates_precision(ctx: Context) -> list[Hit]:
    """Rule ``coordinates-precision`` (see :data:`incidents.schema.RULES`)."""
    inc = ctx.tables["incidents"]
    has = (inc["latitude"].notna() & inc["longitude"].notna()).to_numpy()
    precision = inc["location_precision"]
    pointy = precision.isin(_POINTS).to_numpy()
    known = precision.notna().to_numpy()
    return (hit("incidents", known & (has != pointy), "location_precision",
                "coordinates go with precision site, settlement or nearby_settlement, and "
                "only with them")
            + hit("incidents", has != inc["coordinates_source"].notna().to_numpy(),
                  "coordinates_source",
                  "coordinates_source is given when, and only when, there are coordinates"))


@lru_cache(maxsize=64)
def _country_boxes(code: str) -> list:
    from country_bounding_boxes import country_subunits_by_iso_code

    try:
        return [s.bbox for s in country_subunits_by_iso_code(code)]
    except Exception:  # an unknown code is reported by country-code
        return []


def coordinates_in_country(ctx: Context) -> list[Hit]:
    """Rule ``coordinates-in-country``: Coordinates fall inside the country's bounding box."""
    inc = ctx.tables["incidents"]
    lat, lon = _figures(inc, "latitude"), _figures(inc, "longitude")
    # the countries as integer codes: one comparison of numbers per country, not of strings
    country, names = _encode(inc["country"])
    located = ~np.isnan(lat) & ~np.isnan(lon)
    outside = np.zeros(len(inc), dtype=bool)
    for code in np.unique(country[located & (country >= 0)]):
        boxes = _country_boxes(str(names[int(code)].as_py()))
        if not boxes:
            continue
        rows = located & (country == code)
        inside = np.zeros(len(inc), dtype=bool)
        for west, south, east, north in boxes:
            inside |= (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        outside |= rows & ~inside
    shown = [f"{lat[i]!r},{lon[i]!r}" for i in np.flatnonzero(outside)]
    return hit("incidents", outside, "latitude",
               "the coordinates fall outside the country's bounding box", shown)


def _admin1_ok(pair: str) -> bool:
    import pycountry

    code, alpha3 = pair.split("|")
    sub = pycountry.subdivisions.get(code=code)
    country = pycountry.countries.get(alpha_3=alpha3)
    return sub is not None and country is not None and sub.country_code == country.alpha_2


def admin1_code(ctx: Context) -> list[Hit]:
    """Rule ``admin1-code``: admin1 is an ISO 3166-2 code of that country."""
    inc = ctx.tables["incidents"]
    # "SY-DY|SYR" as Arrow strings (missing unless both are given), looked up once per pair
    pairs = pc.binary_join_element_wise(as_arrow(inc["admin1"]), as_arrow(inc["country"]), "|")
    good = [v for v in pc.unique(pairs).drop_null().to_pylist() if _admin1_ok(v)]
    ok = pc.is_in(pairs, value_set=pyarrow.array(good, pyarrow.string()))
    wrong = (pc.is_valid(pairs).to_numpy(zero_copy_only=False)
             & ~ok.to_numpy(zero_copy_only=False))
    return hit("incidents", wrong, "admin1",
               "admin1 is not an ISO 3166-2 code of the country")


def dispute_required(ctx: Context) -> list[Hit]:
    """Rule ``dispute-required`` (see :data:`incidents.schema.RULES`)."""
    inc = ctx.tables["incidents"]
    disputed = inc["disputed"].astype("boolean")
    dispute = inc["dispute"].notna()
    return (hit("incidents", disputed.fillna(False) & ~dispute, "dispute",
                "a disputed incident says what is disputed")
            + hit("incidents", (~disputed).fillna(False) & dispute, "dispute",
                  "an undisputed incident leaves dispute empty"))


def _claim_intervals(ctx: Context, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Claims with a figure and a claimant on a side, as codes and the counts each allows.

    All claims, or those at positions ``rows`` (ascending); the frame's index is the claims'
    positions either way.
    """
    claims = ctx.tables["claims"]
    pick: slice | np.ndarray = slice(None) if rows is None else rows
    lo, hi = intervals(claims["qualifier"].array[pick],
                       *(ctx.figures("claims", n)[pick] for n in ("low", "best", "high")))
    side, _ = _side_codes(ctx, "claims", "claimant")
    columns = {
        "incident": ctx.codes("claims", "incident_id")[0][pick],
        "measure": claims["measure"].cat.codes.to_numpy().astype(np.int64)[pick],
        "victims": claims["victims"].cat.codes.to_numpy().astype(np.int64)[pick],
        "side": side[pick], "lo": lo, "hi": np.where(np.isnan(hi), np.inf, hi),
    }
    keep = ~np.isnan(lo)
    for key in ("incident", "measure", "victims", "side"):
        keep &= columns[key] >= 0
    # the arrays are filtered before the frame is made: cheaper than filtering the frame
    index = np.flatnonzero(keep) if rows is None else rows[keep]
    return pd.DataFrame({key: values[keep] for key, values in columns.items()}, index=index)


def _clash_rows(ctx: Context, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Pairs of sides whose figures for one incident, measure and victims cannot both hold.

    Rows, as codes: the incident (a code of ``ctx.codes("claims", "incident_id")``), the two
    sides, and the claims (rows) that give side a's largest lower bound and side b's
    smallest upper bound. With ``rows`` (claim positions, ascending, holding every claim of
    the incidents they touch) only those claims are searched; the pairs found come in the
    same order as in the search of all claims.
    """
    frame = _claim_intervals(ctx, rows)
    # incident, measure and victims as one integer, and with the side a second: grouping
    # and merging on one column is far cheaper than on four (the groups and their order,
    # first appearance, are the same)
    measures, victims, sides = (int(frame[c].max()) + 1 if len(frame) else 1
                                for c in ("measure", "victims", "side"))
    group = ((frame["incident"].to_numpy() * measures + frame["measure"].to_numpy()) * victims
             + frame["victims"].to_numpy())
    keyed = pd.DataFrame({"key": group * sides + frame["side"].to_numpy(), "lo": frame["lo"],
                          "hi": frame["hi"]})
    per_side = keyed.groupby("key", sort=False).agg(
        lo=("lo", "max"), hi=("hi", "min"), lo_row=("lo", "idxmax"), hi_row=("hi", "idxmin"))
    key = per_side.index.to_numpy()
    per_side = per_side.reset_index(drop=True).assign(group=key // sides, side=key % sides)
    # only groups where more than one side speaks can clash
    multi = per_side.groupby("group", sort=False)["side"].transform("size").to_numpy() > 1
    per_side = per_side[multi]
    pairs = per_side.merge(per_side, on="group", suffixes=("_a", "_b"))
    pairs = pairs[(pairs["side_a"] != pairs["side_b"]) & (pairs["lo_a"] > pairs["hi_b"])]
    group = pairs["group"].to_numpy()
    return pairs.assign(incident=group // (measures * victims),
                        measure=group // victims % measures, victims=group % victims)


def _clashes(ctx: Context, clash: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of :func:`_clash_rows` (all, or those of ``clash``) as the values written."""
    claims = ctx.tables["claims"]
    clash = _clash_rows(ctx) if clash is None else clash
    sides = ctx.codes("actors", "side")[1].to_pylist()
    lo_row = clash["lo_row_a"].to_numpy(dtype=np.int64)
    hi_row = clash["hi_row_b"].to_numpy(dtype=np.int64)

    def cells(column: str, rows: np.ndarray) -> np.ndarray:
        # only the clashing rows become Python objects, not a million cells
        return _cells(claims[column], rows)

    return pd.DataFrame({
        "incident_id": cells("incident_id", lo_row),
        "measure": cells("measure", lo_row),
        "victims": cells("victims", lo_row),
        "side_a": [sides[k] for k in clash["side_a"]],
        "side_b": [sides[k] for k in clash["side_b"]],
        "lo_claim": cells("claim_id", lo_row),
        "hi_claim": cells("claim_id", hi_row),
    })


def figure_conflicts(ctx: Context) -> list[str]:
    """incident_ids where two sides' figures for one measure and victims cannot both be true.

    Parameters
    ----------
    ctx : Context
        Holds the typed ``claims`` and ``actors`` tables.

    Returns
    -------
    list of str
        The incident ids, sorted.
    """
    return sorted(set(_clashes(ctx)["incident_id"]))


def disputed_consistent(ctx: Context) -> list[Hit]:
    """Rule ``disputed-consistent`` (see :data:`incidents.schema.RULES`)."""
    inc, claims = ctx.tables["incidents"], ctx.tables["claims"]
    codes, ids = ctx.codes("claims", "incident_id")
    code = ctx.codes_of("incidents", "incident_id", "claims", "incident_id")
    undisputed = ~inc["disputed"].astype("boolean").fillna(True).to_numpy(dtype=bool)
    # only an incident not marked disputed can break the rule: the clashes are searched
    # among the claims of those alone
    searched = np.zeros(len(ids) + 1, dtype=bool)
    searched[code[undisputed]] = True
    searched[-1] = False  # claims without an incident_id
    # which incidents must be disputed, as codes: text is made only for those that are not
    clash = _clash_rows(ctx, np.flatnonzero(searched[codes]))
    contesting = np.flatnonzero(claims["stance"].isin(["denies", "disputes"]).to_numpy())
    must = np.zeros(len(ids) + 1, dtype=bool)
    must[clash["incident"].to_numpy(dtype=np.int64)] = True
    must[codes[contesting]] = True
    must[-1] = False  # incidents without a claim, and claims without an incident_id
    wrong = must[code] & undisputed
    rows = np.flatnonzero(wrong)
    if not len(rows):
        return []
    wanted = set(code[rows].tolist())
    shown = _clashes(ctx, clash[clash["incident"].isin(wanted)])
    reasons: dict[str, str] = {}
    for row in shown.itertuples():
        reasons.setdefault(row.incident_id, (
            f"{row.lo_claim} ({row.side_a}) and {row.hi_claim} ({row.side_b}) give "
            f"non-overlapping figures for {row.measure} {row.victims}"))
    contesting = contesting[np.isin(codes[contesting], list(wanted))]
    for incident_id, claim_id in zip(_cells(claims["incident_id"], contesting),
                                     _cells(claims["claim_id"], contesting), strict=True):
        reasons.setdefault(incident_id, f"{claim_id} denies or disputes")
    names = _flat(inc["incident_id"]).take(pyarrow.array(rows)).to_pylist()
    return hit("incidents", wrong, "disputed",
               [f"disputed is false but {reasons[i]}" for i in names])


def incident_has_claim(ctx: Context) -> list[Hit]:
    """Rule ``incident-has-claim``: Every incident has at least one claim."""
    inc = ctx.tables["incidents"]
    # an incident_id some claim holds has a code among the claims' incident_ids (shared
    # with other rules); a missing incident_id matches a claim missing it
    claimed = ctx.codes_of("incidents", "incident_id", "claims", "incident_id") >= 0
    missing = inc["incident_id"].isna().to_numpy()
    claimed[missing] = bool((ctx.codes("claims", "incident_id")[0] < 0).any())
    orphan = ~claimed
    return hit("incidents", orphan, "incident_id", "the incident has no claim")


def quote_translation(ctx: Context) -> list[Hit]:
    """Rule ``quote-translation``: A quote from a source not in English has an English quote_en."""
    claims, sources = ctx.tables["claims"], ctx.tables["sources"]
    # a language that is no ISO 639-1 code is reported once, by language-code, not again
    # on every claim of its source
    known = per_value(sources["language"], language_known).to_numpy()
    foreign = np.append(known & (sources["language"] != "en").fillna(False).to_numpy(dtype=bool),
                        False)[ctx.positions("claims", "source_id", "sources", "source_id")]
    return hit("claims", foreign & claims["quote_en"].isna().to_numpy(), "quote_en",
               "the source is not in English, so quote_en needs a translation")


def url_note(ctx: Context) -> list[Hit]:
    """Rule ``url-note``: A source with no url has a note saying why."""
    sources = ctx.tables["sources"]
    return hit("sources", (sources["url"].isna() & sources["note"].isna()).to_numpy(), "url",
               "a source without url needs a note")


def _same_as_before(series: pd.Series) -> np.ndarray:
    """For each text cell but the first, whether it equals the cell before (compared in Arrow)."""
    values = _flat(series)
    equal = pc.equal(values.slice(1), values.slice(0, len(values) - 1))
    return pc.fill_null(equal, False).to_numpy(zero_copy_only=False)


def likely_duplicate(ctx: Context) -> list[Hit]:
    """Rule ``likely-duplicate-incident`` (see :data:`incidents.schema.RULES`)."""
    inc = ctx.tables["incidents"]
    cols = ["perpetrator", "admin1", "date"]
    complete = inc[[*cols, "incident_id"]].dropna()
    ordered = complete.sort_values(cols, kind="stable")
    same = np.zeros(len(ordered), dtype=bool)
    if len(ordered) > 1:
        days = ordered["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
        same[1:] = (_same_as_before(ordered["perpetrator"]) & _same_as_before(ordered["admin1"])
                    & (np.diff(days) <= 1))
    earlier = _cells(ordered["incident_id"], np.flatnonzero(same) - 1)
    positions = ordered.index.to_numpy()[same]
    order = np.argsort(positions, kind="stable")
    mask = np.zeros(len(inc), dtype=bool)
    mask[positions] = True
    return hit("incidents", mask, "incident_id",
               [f"same perpetrator and admin1 as the incident before it, within a day "
                f"({earlier[k]})" for k in order])


def precision_needs_end(ctx: Context) -> list[Hit]:
    """Rule ``precision-needs-end``: week, month or year precision gives date_end."""
    inc = ctx.tables["incidents"]
    vague = inc["date_precision"].isin(["week", "month", "year"]).to_numpy()
    wrong = vague & inc["date_end"].isna().to_numpy()
    precision = inc["date_precision"].astype(object).to_numpy()
    return hit("incidents", wrong, "date_end",
               [f"date_precision {precision[i]!r} needs date_end" for i in np.flatnonzero(wrong)])


def accused_zero_denies(ctx: Context) -> list[Hit]:
    """Rule ``accused-zero-denies`` (see :data:`incidents.schema.RULES`)."""
    claims = ctx.tables["claims"]
    accused, _ = _side_codes(ctx, "incidents", "perpetrator")
    accused = np.append(accused, -1)[ctx.positions("claims", "incident_id", "incidents",
                                                   "incident_id")]
    side, _ = _side_codes(ctx, "claims", "claimant")
    figures = np.vstack([ctx.figures("claims", n) for n in ("low", "best", "high")])
    stated = ~np.isnan(figures)
    zero = stated.any(axis=0) & np.all(~stated | (figures == 0), axis=0)
    people = (claims["victims"] != "materiel").fillna(False).to_numpy(dtype=bool)
    stance = claims["stance"]
    wrong = ((side >= 0) & (side == accused) & zero & people & stance.notna().to_numpy()
             & (stance != "denies").fillna(False).to_numpy(dtype=bool))
    return hit("claims", wrong, "stance",
               "a claimant on the perpetrator's side stating zero victims is coded 'denies'")


def _place_keys(values: pyarrow.Array) -> pyarrow.Array:
    """Place names reduced to their letters and digits, lower case (RE2, vectorised)."""
    return pc.replace_substring_regex(pc.utf8_lower(values), r"[^\pL\pN]+", "")


def _per_distinct(values: pyarrow.Array,
                  compute: Callable[[pyarrow.Array], pyarrow.Array]) -> pyarrow.Array:
    """``compute`` of each value, run once per distinct value (place names repeat)."""
    encoded = pc.dictionary_encode(values)
    return compute(encoded.dictionary).take(encoded.indices)


def _gazetteer_place(sources: pyarrow.Array) -> pyarrow.Array:
    """The key of the place a coordinates_source names: what follows its last ':'."""
    # (?s) lets the greedy match run over a line break, as a split at the last ':' would
    return _place_keys(pc.replace_substring_regex(sources, r"(?s)^.*:", ""))


def nearby_not_settlement(ctx: Context) -> list[Hit]:
    """Rule ``nearby-not-settlement`` (see :data:`incidents.schema.RULES`)."""
    inc = ctx.tables["incidents"]
    # only a gazetteer entry names a place ("GeoNames ...: Tadmur"); a source_id names the
    # page that gave the coordinates, which the source's own text ties to the place
    source = _flat(inc["coordinates_source"])
    gazetteer = pc.fill_null(pc.match_substring(source, ":"), False)
    chosen = (_is_code(inc["location_precision"], "settlement")
              & gazetteer.to_numpy(zero_copy_only=False) & inc["location"].notna().to_numpy())
    rows = np.flatnonzero(chosen)
    taken = pyarrow.array(rows, pyarrow.int64())
    # the place is what follows the last ':' of coordinates_source ("GeoNames ...: Tadmur")
    places = _per_distinct(source.take(taken), _gazetteer_place)
    locations = _per_distinct(_flat(inc["location"]).take(taken), _place_keys)
    # a place equal to its location is in it: Python compares only the rows that differ
    differ = np.flatnonzero(~pc.equal(places, locations).to_numpy(zero_copy_only=False))
    wrong = np.zeros(len(inc), dtype=bool)
    wrong[rows[differ]] = [
        bool(p) and p not in loc for p, loc in zip(
            places.take(differ).to_pylist(), locations.take(differ).to_pylist(), strict=True)]
    return hit("incidents", wrong, "location_precision",
               "the coordinates_source names a place that is not in location: "
               "precision nearby_settlement?")


def related_exists(ctx: Context) -> list[Hit]:
    """Rule ``related-exists`` (see :data:`incidents.schema.RULES`)."""
    inc = ctx.tables["incidents"]
    with_related = np.flatnonzero(inc["related"].notna().to_numpy())
    if not len(with_related):
        return []
    # only the rows that name others become Python strings
    ids = _cells(inc["incident_id"], with_related)
    named = [str(r).split(";") for r in _cells(inc["related"], with_related)]
    listed = {i: set(others) for i, others in zip(ids, named, strict=True)}
    # which named ids are incidents, looked up in Arrow rather than in a set of all ids
    names = [other for others in named for other in others]
    found = pc.is_in(pyarrow.array(names, pyarrow.string()), value_set=_flat(inc["incident_id"]))
    known = {n for n, k in zip(names, found.to_numpy(zero_copy_only=False), strict=True) if k}
    rows, messages = [], []
    for row, me, others in zip(with_related, ids, named, strict=True):
        for other in others:
            problem = ("related names the incident itself" if other == me else
                       f"related names {other}, which is not an incident"
                       if other not in known else
                       f"{other} does not list {me} back in related"
                       if me not in listed.get(other, set()) else None)
            if problem:
                rows.append(row)
                messages.append(problem)
    if not rows:
        return []
    return [Hit("incidents", np.array(rows), "related", messages)]


def original_url_needs_publisher(ctx: Context) -> list[Hit]:
    """Rule ``original-url-needs-publisher`` (see :data:`incidents.schema.RULES`)."""
    sources = ctx.tables["sources"]
    wrong = sources["original_url"].notna() & sources["original_publisher"].isna()
    return hit("sources", wrong.to_numpy(), "original_publisher",
               "original_url is given without original_publisher")
