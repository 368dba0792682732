"""Rules between fields and between tables (the invariants of the data contract).

Each rule is named in :data:`incidents.schema.RULES`; each check here returns problems that
name the file, line, column and value. A check skips a table or column the file lacks: the
missing column was already reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from incidents.arrowbytes import (
    dictionary_codes,
    one_array,
    string_buffers,
    take_rows,
    valid_mask,
)
from incidents.problems import Problem

_NULL = pa.scalar(None, pa.string())
OPEN_ENDED = {"at_least", "more_than", "vague"}
# Which of low, best, high each qualifier fills (True), leaves empty (False) or may use (None).
QUALIFIER_FIELDS = {
    "exact": (True, True, True),
    "about": (False, True, False),
    "at_least": (True, False, False),
    "more_than": (True, False, False),
    "up_to": (False, False, True),
    "fewer_than": (False, False, True),
    "range": (True, None, True),
    "vague": (None, False, False),
    "unquantified": (False, False, False),
}


def check(tables: dict, descriptor: dict, pool=None, single: dict | None = None) -> list:
    """Run every cross-field and cross-table rule over the tables that could be read.

    With ``pool`` (a ``concurrent.futures`` executor), the two costliest groups run on it
    while the others run here; the problems come back in the same order either way.
    ``single`` may hold, by table name, the problems of that table's :data:`SINGLE_TABLE`
    rules, found earlier.
    """
    def later(func, *args):
        if pool is None:
            return _Done(func(*args))
        return pool.submit(func, *args)

    single = single or {}

    def one_table(name):
        found = single.get(name)
        return _Done(found if found is not None else SINGLE_TABLE[name](tables[name]))

    pending = []
    if "incidents" in tables and "claims" in tables and "actors" in tables:
        disputed = later(_disputed, tables["incidents"], tables["claims"], tables["actors"])
    else:
        disputed = _Done([])
    claim_rules = later(_claim_rules, tables["claims"]) if "claims" in tables else _Done([])
    pending.append(_Done(_foreign_keys(tables, descriptor)))
    pending.append(claim_rules)
    pending += [one_table(name) for name in SINGLE_TABLE if name in tables]
    if "incidents" in tables and "claims" in tables:
        pending.append(_Done(_claims_vs_incidents(tables["incidents"], tables["claims"])))
    if "claims" in tables and "sources" in tables:
        pending.append(_Done(_translations(tables["claims"], tables["sources"])))
    pending.append(disputed)
    problems: list[Problem] = []
    for part in pending:
        problems += part.result()
    return problems


def _translations(claims, sources) -> list:
    """A quote from a page not in English needs its English translation in quote_en."""
    cols = [claims.column("source_id"), claims.column("quote_en"), sources.column("source_id"),
            sources.column("language")]
    if any(c is None for c in cols):
        return []
    _, quote_en, source_ids, language = cols
    # each distinct source_id is looked up once, each cell by its code
    codes, values = claims.encoded("source_id")
    if len(values) == 0:
        return []
    position = pc.index_in(values, one_array(source_ids))
    value_language = pc.take(one_array(language), position)
    # a language that is no ISO 639-1 code is reported once, by language-code, not again
    # on every claim of its source
    unknown = _per_value(one_array(language), _is_language)
    if unknown is not None:
        value_language = pc.if_else(pc.take(unknown, position), pa.scalar("en"),
                                    value_language)
    foreign = pc.fill_null(pc.not_equal(value_language, "en"), False).to_numpy(
        zero_copy_only=False)
    missing = ((codes >= 0) & foreign[np.maximum(codes, 0)]
               & pc.is_null(quote_en).to_numpy(zero_copy_only=False))
    return claims.problems_at(missing, "quote-translation",
                              "the source is not in English, so quote_en needs a translation",
                              "quote_en")


def _is_language(code: str) -> bool:
    import pycountry

    return pycountry.languages.get(alpha_2=code) is not None


class _Done:
    """A result already there, answering like a future."""

    def __init__(self, value):
        self.value = value

    def result(self):
        """The value."""
        return self.value


def _foreign_keys(tables: dict, descriptor: dict) -> list:
    problems = []
    for res in descriptor["resources"]:
        child = tables.get(res["name"])
        if child is None:
            continue
        for fk in res["schema"]["foreignKeys"]:
            col_name = fk["fields"][0]
            parent = tables.get(fk["reference"]["resource"])
            col = child.column(col_name)
            if parent is None or col is None:
                continue
            keys = parent.column(fk["reference"]["fields"][0])
            if keys is None:
                continue
            # each distinct value is looked up once, each cell by its code
            codes, values = child.encoded(col_name)
            known = pc.is_in(values, keys).to_numpy(zero_copy_only=False)
            dangling = (codes >= 0) & ~known[np.maximum(codes, 0)] if len(values) else None
            problems += child.problems_at(
                dangling, "foreign-key",
                f"{col_name} refers to a {fk['reference']['fields'][0]} that "
                f"{fk['reference']['resource']} does not have", col_name)
    return problems


def _claim_rules(claims) -> list:
    problems = []
    low, best, high = (claims.typed.get(c) for c in ("low", "best", "high"))
    qualifier = claims.column("qualifier")
    if low is not None and best is not None and high is not None:
        for a, b, an, bn in ((low, best, "low", "best"), (best, high, "best", "high"),
                             (low, high, "low", "high")):
            problems += claims.problems_at(
                pc.greater(a, b), "low-best-high", f"{an} is greater than {bn}", an,
                values=_pair_text(a, b))
        if qualifier is not None:
            problems += _qualifier_fields(claims, low, best, high)
    vague_term = claims.column("vague_term")
    if qualifier is not None and vague_term is not None:
        is_vague = _is_code(claims, "qualifier", ["vague"])
        has_term = pc.is_valid(vague_term).to_numpy(zero_copy_only=False)
        problems += claims.problems_at(is_vague & ~has_term, "vague-term",
                                       "a vague figure needs the source's word in vague_term",
                                       "vague_term", values=qualifier)
        problems += claims.problems_at(~is_vague & has_term, "vague-term",
                                       "vague_term is only for qualifier 'vague'", "vague_term")
    claim_id, incident_id = claims.column("claim_id"), claims.column("incident_id")
    if claim_id is not None and incident_id is not None:
        prefix = pc.utf8_slice_codeunits(claim_id, 0, 13)
        problems += claims.problems_at(
            pc.not_equal(prefix, pc.utf8_slice_codeunits(incident_id, 0, 13)),
            "claim-id-prefix", "claim_id does not start with the claim's incident_id",
            "claim_id")
    fields = ["incident_id", "source_id", "claimant", "measure", "victims", "low", "best",
              "high", "qualifier", "stance", "quote"]
    if all(claims.column(f) is not None for f in fields):
        repeated = _repeated_rows(claims, fields)
        problems += claims.problems_at(repeated, "duplicate-claim",
                                       "the same claim (all fields but claim_id) is entered "
                                       "on an earlier line too", "claim_id")
    return problems


def _pair_text(a: pa.Array, b: pa.Array):
    """Shown value 'a > b', built only for the rows that fail."""
    return lambda idx: pc.binary_join_element_wise(pc.cast(a.take(idx), pa.string()),
                                                   pc.cast(b.take(idx), pa.string()), " > ")


def _qualifier_fields(claims, low, best, high) -> list:
    """qualifier-fields: low, best and high filled as each qualifier's rule says.

    Each qualifier becomes a small integer code once, so the nine rules are numpy
    comparisons instead of nine string comparisons over the column.
    """
    problems = []
    enum_codes, allowed = claims.enum_codes("qualifier")
    # each code of the list as its place among QUALIFIER_FIELDS (-1: null or not a code)
    places = np.array([*(list(QUALIFIER_FIELDS).index(a) if a in QUALIFIER_FIELDS else -1
                         for a in allowed), -1])
    codes = places[enum_codes]
    filled = {n: a.is_valid().to_numpy(zero_copy_only=False)
              for n, a in (("low", low), ("best", best), ("high", high))}
    for k, (code, wants) in enumerate(QUALIFIER_FIELDS.items()):
        is_code = codes == k
        if not is_code.any():
            continue
        for name, want in zip(("low", "best", "high"), wants, strict=True):
            if want is None:
                continue
            wrong = is_code & (filled[name] if not want else ~filled[name])
            state = "empty" if not want else "filled"
            problems += claims.problems_at(
                wrong, "qualifier-fields", f"qualifier {code!r} needs {name} {state}", name)
    # equality is unknown (so not reported) where a figure is missing
    same = pc.fill_null(pc.and_(pc.equal(low, best), pc.equal(best, high)), True)
    exact = codes == list(QUALIFIER_FIELDS).index("exact")
    problems += claims.problems_at(
        exact & ~same.to_numpy(zero_copy_only=False), "qualifier-fields",
        "qualifier 'exact' needs low = best = high", "best")
    return problems


def _repeated_rows(claims, fields: list[str]) -> np.ndarray:
    """duplicate-claim: rows equal on ``fields`` to an earlier row (pandas ``duplicated``).

    Two equal rows have equal fingerprints, so only rows whose fingerprint of a few
    telling columns occurs twice can be repeats; pandas compares just those, in their order.
    """
    n = claims.text.num_rows
    fingerprint = np.zeros(n, dtype=np.uint64)
    if n < 2:
        return np.zeros(n, dtype=bool)
    for name in ("incident_id", "quote"):
        fingerprint = _mix(fingerprint, _cell_fingerprint(claims.column(name)))
    # a hash table finds repeated fingerprints in one pass
    candidates = np.flatnonzero(pd.Series(fingerprint).duplicated(keep=False).to_numpy())
    repeated = np.zeros(n, dtype=bool)
    if len(candidates) == 0:
        return repeated
    frame = pa.table([take_rows(claims.column(f), candidates) for f in fields],
                     names=fields).to_pandas(types_mapper=pd.ArrowDtype)
    repeated[candidates[frame.duplicated(keep="first").to_numpy()]] = True
    return repeated


_MIX = np.uint64(0x9E3779B97F4A7C15)


def _mix(seed: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Fold ``value`` into a running 64-bit hash (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        return (seed ^ value) * _MIX + (seed >> np.uint64(29))


def _cell_fingerprint(col) -> np.ndarray:
    """A 64-bit fingerprint of each cell: its length, first and last 8 bytes; nulls alike.

    Equal cells get equal fingerprints; unequal ones usually differ.
    """
    if isinstance(col, pa.ChunkedArray):
        return np.concatenate([np.zeros(0, np.uint64)]
                              + [_cell_fingerprint(chunk) for chunk in col.chunks])
    offsets, data = string_buffers(col)
    offsets = offsets.astype(np.int64)
    starts = offsets[:-1]
    valid = valid_mask(col)
    lengths = np.where(valid, np.diff(offsets), 0)
    short = np.minimum(lengths, 8).astype(np.uint64)
    keep = np.where(short == 8, np.uint64(0xFFFFFFFFFFFFFFFF),
                    (np.uint64(1) << (short * np.uint64(8))) - np.uint64(1))
    head = _words_at(data, starts) & keep
    tail = np.where(lengths >= 8, _words_at(data, np.maximum(starts + lengths - 8, 0)),
                    np.uint64(0)).astype(np.uint64)
    return _mix(_mix(lengths.astype(np.uint64) + valid.astype(np.uint64), head), tail)


def _words_at(data: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The 8 bytes of ``data`` from each offset in ``at``, little-endian, zeros past the end."""
    out = np.zeros(len(at), dtype=np.uint64)
    inside = at <= len(data) - 8
    if len(data) >= 8:
        # a view with a one-byte stride: element i is the word starting at byte i
        words = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
        out[inside] = words[at[inside]]
    near_end = np.flatnonzero(~inside & (at < len(data)))
    if len(near_end):
        tail = np.zeros(16, dtype=np.uint8)
        last = data[max(0, len(data) - 8):]
        tail[:len(last)] = last
        base = max(0, len(data) - 8)
        words = np.ndarray(shape=(9,), dtype="<u8", buffer=tail, strides=(1,))
        out[near_end] = words[at[near_end] - base]
    return out


@lru_cache(maxsize=64)
def _country_boxes(code: str) -> list:
    from country_bounding_boxes import country_subunits_by_iso_code

    return [s.bbox for s in country_subunits_by_iso_code(code)]


def _per_value(column: pa.Array, is_ok) -> pa.Array:
    """Apply a Python predicate once per distinct value; True where the value fails it."""
    if column is None:
        return None
    distinct = pc.unique(pc.drop_null(column)).to_pylist()
    bad = [v for v in distinct if not is_ok(v)]
    return pc.is_in(column, pa.array(bad, pa.string())) if bad else None


def _incident_rules(incidents) -> list:
    import pycountry

    problems = []
    country = incidents.column("country")
    problems += incidents.problems_at(
        _per_value(country, lambda c: pycountry.countries.get(alpha_3=c) is not None),
        "country-code", "country is not an ISO 3166-1 alpha-3 code", "country")
    admin1 = incidents.column("admin1")
    if admin1 is not None and country is not None:
        pairs = pc.binary_join_element_wise(pc.fill_null(admin1, ""), country, "|")

        def admin_ok(pair: str) -> bool:
            code, alpha3 = pair.split("|")
            if not code:
                return True
            sub = pycountry.subdivisions.get(code=code)
            cty = pycountry.countries.get(alpha_3=alpha3)
            return sub is not None and cty is not None and sub.country_code == cty.alpha_2

        problems += incidents.problems_at(_per_value(pairs, admin_ok), "admin1-code",
                                          "admin1 is not an ISO 3166-2 code of the country",
                                          "admin1")
    start, end = incidents.typed.get("date"), incidents.typed.get("date_end")
    if start is not None and end is not None:
        problems += incidents.problems_at(pc.less(end, start), "date-order",
                                          "date_end is before date", "date_end")
    lat, lon = incidents.typed.get("latitude"), incidents.typed.get("longitude")
    lat_text, lon_text = incidents.column("latitude"), incidents.column("longitude")
    if lat is not None and lon is not None:
        alone = pc.xor(pc.is_valid(lat_text), pc.is_valid(lon_text))
        problems += incidents.problems_at(
            alone, "coordinates-pair", "latitude and longitude must come together", "latitude",
            values=lambda idx: pc.binary_join_element_wise(
                pc.fill_null(lat_text.take(idx), ""), pc.fill_null(lon_text.take(idx), ""),
                ","))
        problems += _coordinates_in_country(incidents, lat, lon, country)
        precision, origin = incidents.column("location_precision"), incidents.column(
            "coordinates_source")
        if precision is not None and origin is not None:
            has = pc.and_(pc.is_valid(lat), pc.is_valid(lon))
            pointy = pc.is_in(precision, pa.array(["site", "settlement"]))
            problems += incidents.problems_at(
                pc.xor(has, pointy), "coordinates-precision",
                "coordinates go with precision site or settlement, and only with them",
                "location_precision")
            problems += incidents.problems_at(
                pc.xor(has, pc.is_valid(origin)), "coordinates-precision",
                "coordinates_source is given when, and only when, there are coordinates",
                "coordinates_source")
    disputed, dispute = incidents.typed.get("disputed"), incidents.column("dispute")
    if disputed is not None and dispute is not None:
        problems += incidents.problems_at(
            pc.and_(pc.fill_null(disputed, False), pc.is_null(dispute)), "dispute-required",
            "a disputed incident says what is disputed", "dispute")
        problems += incidents.problems_at(
            pc.and_(pc.invert(pc.fill_null(disputed, True)), pc.is_valid(dispute)),
            "dispute-required", "an undisputed incident leaves dispute empty", "dispute")
    problems += _likely_duplicates(incidents)
    return problems


def _coordinates_in_country(incidents, lat, lon, country) -> list:
    if country is None:
        return []
    lat_np = lat.to_numpy(zero_copy_only=False).astype(np.float64)
    lon_np = lon.to_numpy(zero_copy_only=False).astype(np.float64)
    located = ~np.isnan(lat_np) & ~np.isnan(lon_np) & country.is_valid().to_numpy(
        zero_copy_only=False)
    outside = np.zeros(len(lat_np), dtype=bool)
    # one pass per country code present: a few codes, whatever the number of rows
    encoded = pc.dictionary_encode(one_array(country))
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    for k, code in enumerate(encoded.dictionary.to_pylist()):
        rows = located & (codes == k)
        if not rows.any():
            continue
        try:
            boxes = _country_boxes(code)
        except Exception:  # an unknown code is reported by country-code
            continue
        if not boxes:
            continue
        inside = np.zeros(len(lat_np), dtype=bool)
        for west, south, east, north in boxes:
            inside |= ((lat_np >= south) & (lat_np <= north) & (lon_np >= west)
                       & (lon_np <= east))
        outside |= rows & ~inside
    lat_text, lon_text = incidents.column("latitude"), incidents.column("longitude")
    return incidents.problems_at(
        outside, "coordinates-in-country",
        "the coordinates fall outside the country's bounding box", "latitude",
        values=lambda idx: pc.binary_join_element_wise(lat_text.take(idx), lon_text.take(idx),
                                                      ","))


def _likely_duplicates(incidents) -> list:
    cols = {c: incidents.column(c) for c in ("incident_id", "perpetrator", "admin1")}
    when = incidents.typed.get("date")
    if any(v is None for v in cols.values()) or when is None:
        return []
    complete = np.ones(incidents.text.num_rows, dtype=bool)
    for column in (*cols.values(), when):
        complete &= column.is_valid().to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(complete)
    picked = pa.array(rows)
    perpetrator, admin1 = cols["perpetrator"].take(picked), cols["admin1"].take(picked)
    day = pc.cast(when.take(picked), pa.int32())
    # sort_indices is stable, as pandas' multi-column sort is: ties keep file order
    order = pc.sort_indices(pa.table({"p": perpetrator, "a": admin1, "d": day}),
                            sort_keys=[("p", "ascending"), ("a", "ascending"),
                                       ("d", "ascending")])
    perpetrator, admin1 = perpetrator.take(order), admin1.take(order)
    day = day.take(order).to_numpy(zero_copy_only=False).astype(np.int64)
    ordered = rows[order.to_numpy()]
    same = np.zeros(len(ordered), dtype=bool)
    if len(ordered) > 1:
        same[1:] = (_equal_to_previous(perpetrator) & _equal_to_previous(admin1)
                    & (np.diff(day) <= 1))
    mask = np.zeros(incidents.text.num_rows, dtype=bool)
    mask[ordered[same]] = True
    # the incident before each hit in sorted order, paired with hits in file order as before
    earlier = cols["incident_id"].take(pa.array(ordered[np.flatnonzero(same) - 1])).to_pylist()
    hits = incidents.problems_at(mask, "likely-duplicate-incident",
                                 "same perpetrator and admin1 as the incident before it, "
                                 "within a day", "incident_id", severity="warning")
    return [Problem(p.rule, f"{p.message} ({other})", p.file, p.line, p.column, p.value,
                    p.severity) for p, other in zip(hits, earlier, strict=False)]


def _equal_to_previous(values: pa.Array) -> np.ndarray:
    """values[i] == values[i - 1] for i >= 1 (no nulls)."""
    return pc.equal(values.slice(1), values.slice(0, len(values) - 1)).to_numpy(
        zero_copy_only=False)


def _source_rules(sources) -> list:

    problems = []
    problems += sources.problems_at(
        _per_value(sources.column("language"), _is_language),
        "language-code", "language is not an ISO 639-1 code", "language")
    url, note = sources.column("url"), sources.column("note")
    if url is not None and note is not None:
        problems += sources.problems_at(pc.and_(pc.is_null(url), pc.is_null(note)),
                                        "url-note", "a source without url needs a note", "url")
    return problems


#: Rules that read one table only, by table: they can run as soon as that table is checked.
SINGLE_TABLE = {"incidents": _incident_rules, "sources": _source_rules}


def _claims_vs_incidents(incidents, claims) -> list:
    problems = []
    ids, claim_incident = incidents.column("incident_id"), claims.column("incident_id")
    if ids is None or claim_incident is None:
        return problems
    codes, values = claims.encoded("incident_id")
    # the claims' distinct incident_ids (with null when a claim has none) are the same set
    claimed = values if claim_incident.null_count == 0 else pa.concat_arrays(
        [values, pa.nulls(1, pa.string())])
    problems += incidents.problems_at(
        pc.invert(pc.is_in(ids, claimed)), "incident-has-claim",
        "the incident has no claim", "incident_id")
    start, said = incidents.typed.get("date"), claims.typed.get("claimed_on")
    if start is not None and said is not None:
        position = _index_by_code(codes, values, ids)
        incident_date = pc.take(start, position)
        problems += claims.problems_at(
            pc.less(said, incident_date), "date-order",
            "claimed_on is before the incident's date", "claimed_on")
    return problems


def _index_by_code(codes: np.ndarray, values: pa.Array, value_set) -> pa.Array:
    """``pc.index_in`` of a column given as codes into its distinct values.

    Each distinct value is looked up once; a null cell gets what a null gets (the first
    null of ``value_set``, if it has one).
    """
    found = pc.fill_null(pc.index_in(values, value_set), -1).to_numpy(zero_copy_only=False)
    position = found[np.maximum(codes, 0)] if len(values) else np.full(len(codes), -1)
    empty = pc.index_in(pa.nulls(1, pa.string()), value_set)[0].as_py()
    position = np.where(codes >= 0, position, -1 if empty is None else empty)
    return pa.array(position.astype(np.int64), mask=position < 0)


@dataclass(frozen=True)
class Sides:
    """The side of each claim's claimant, as codes (-1: unknown) into ``names``."""

    codes: np.ndarray
    names: list

    def array(self) -> pa.Array:
        """The sides as strings (null where unknown)."""
        names = pa.array(self.names, pa.string())
        return names.take(pa.array(self.codes, pa.int64(), mask=self.codes < 0))


def _claim_sides(claims, actor_ids: pa.Array, side_col: pa.Array) -> Sides:
    """The side of each claim's claimant.

    A repeated actor_id counts once, as its first row says (as pandas' map did).
    """
    first: dict = {}
    for i, actor in enumerate(actor_ids.to_pylist()):
        first.setdefault(actor, i)
    keys = pa.array(list(first), pa.string())
    side_codes, names = _codes(side_col.take(pa.array(list(first.values()), pa.int64())))
    codes, values = claims.encoded("claimant")
    actor = _index_by_code(codes, values, keys)
    actor = pc.fill_null(actor, -1).to_numpy(zero_copy_only=False)
    # one more code, -1, for claimants that are no actor
    return Sides(np.append(side_codes, -1)[actor], names)


def _intervals(claims, side: Sides) -> dict:
    """Each figure claim as the closed interval of counts it allows.

    Returns the claims that have a lower bound and a side (``rows``, in file order) with
    ``lo`` and ``hi``: the smallest and largest figure given, ``hi`` infinite for open-ended
    qualifiers and ``lo`` zero for upper bounds; ``hi`` is NaN when no figure bounds it.
    """
    figures = [claims.typed[c].to_numpy(zero_copy_only=False).astype(np.float64)
               for c in ("low", "best", "high")]
    with np.errstate(invalid="ignore"):
        lo = np.fmin(np.fmin(figures[0], figures[1]), figures[2])
        hi = np.fmax(np.fmax(figures[0], figures[1]), figures[2])
    hi[_is_code(claims, "qualifier", sorted(OPEN_ENDED))] = np.inf
    lo[_is_code(claims, "qualifier", ["up_to", "fewer_than"])] = 0
    keep = ~np.isnan(lo) & (side.codes >= 0)
    rows = np.flatnonzero(keep)
    return {"rows": rows, "lo": lo[keep], "hi": hi[keep]}


def _in(column: pa.Array, values: list[str]) -> np.ndarray:
    """Whether each cell is one of ``values`` (null is not)."""
    return pc.fill_null(pc.is_in(column, pa.array(values, pa.string())), False).to_numpy(
        zero_copy_only=False)


def _is_code(table, name: str, wanted: list[str]) -> np.ndarray:
    """Whether each cell of coded column ``name`` is one of ``wanted`` (null is not)."""
    codes, allowed = table.enum_codes(name)
    return np.isin(codes, [allowed.index(w) for w in wanted if w in allowed])


def _group_codes(table, name: str) -> tuple[np.ndarray, list]:
    """Codes of a coded column for grouping: its list's, unless a cell is outside the list."""
    codes, allowed = table.enum_codes(name)
    if ((codes < 0) & table.column(name).is_valid().to_numpy(zero_copy_only=False)).any():
        return _codes(table.column(name))
    return codes, allowed


def _codes(column) -> tuple[np.ndarray, list]:
    """Dictionary codes of a column (-1 for null) and the values they stand for."""
    codes, values = dictionary_codes(column)
    return codes, values.to_pylist()


def _clashing_incidents(claims, side: Sides, spans: dict) -> pa.Array:
    """incident_ids where two sides give non-overlapping figures for one measure and victims.

    Per incident, measure, victims and side: the largest lower bound and the smallest upper
    bound. Two sides a != b clash when lo_a > hi_b. With the side holding the largest lower
    bound L1 and the one holding the smallest upper bound H1: if they differ, a clash is
    L1 > H1; if they are the same side, it is L1 > H2 or L2 > H1 (the runners-up). All of it
    is sorting and reducing integer codes.
    """
    rows = spans["rows"]
    # codes of the whole columns: no string is copied
    incident_codes, incident_values = claims.encoded("incident_id")
    coded = [(incident_codes, incident_values)]  # the names stay in Arrow: only sizes count
    coded += [_group_codes(claims, c) for c in ("measure", "victims")]
    coded.append((side.codes, side.names))
    # the claims with an interval and every key (pandas' groupby leaves out a missing key),
    # each column's codes then gathered once
    usable = np.zeros(len(incident_codes), dtype=bool)
    usable[rows] = True
    for codes, _ in coded:
        usable &= codes >= 0
    keyed = usable[rows]
    if not keyed.any():
        return pa.array([], pa.string())
    picked = np.flatnonzero(usable)
    coded = [(codes[picked], names) for codes, names in coded]
    key = _combined_key([codes for codes, _ in coded], [len(names) for _, names in coded])
    lo, hi = spans["lo"][keyed], spans["hi"][keyed]
    hi = np.where(np.isnan(hi), np.inf, hi)  # no upper bound: nothing can be above it
    inc, side_codes = coded[0][0], coded[3][0]
    # claims mostly come grouped by incident already: a stable (merge) sort is near linear
    order = np.argsort(key, kind="stable")
    key, lo, hi, inc, side_codes = (a[order] for a in (key, lo, hi, inc, side_codes))
    # one row per (incident, measure, victims, side); the key sorts sides inside a group
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    side_lo = np.maximum.reduceat(lo, starts)
    side_hi = np.minimum.reduceat(hi, starts)
    n_sides = len(coded[3][1])
    group = key[starts] // n_sides
    bounds = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    l1, s1, l2 = _best_two(-side_lo, side_codes[starts], bounds)
    h1, t1, h2 = _best_two(side_hi, side_codes[starts], bounds)
    l1, l2 = -l1, -l2
    clash = np.where(s1 != t1, l1 > h1, (l1 > h2) | (l2 > h1))
    return incident_values.take(pa.array(_sorted_unique(inc[starts][bounds][clash])))


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique of integers by a sort (numpy 2.4's np.unique hashes: many times slower)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def _combined_key(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """One int64 code per row for a tuple of codes, ordered as the tuples are."""
    key = codes[0].astype(np.int64)
    for part, size in zip(codes[1:], sizes[1:], strict=True):
        if int(key.max(initial=0) + 1) * size >= 2**62:  # too wide: renumber first
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
        key = key * size + part
    return key


def _best_two(value: np.ndarray, label: np.ndarray, bounds: np.ndarray):
    """Per group, the smallest value, its label and the smallest of the other rows.

    Group i is rows bounds[i] up to bounds[i + 1]; a group of one row has inf as runner-up.
    """
    n = len(value)
    best = np.minimum.reduceat(value, bounds)
    sizes = np.diff(np.r_[bounds, n])
    is_best = value == np.repeat(best, sizes)
    first = np.minimum.reduceat(np.where(is_best, np.arange(n), n), bounds)
    rest = value.copy()
    rest[first] = np.inf
    return best, label[first], np.minimum.reduceat(rest, bounds)


def _disputed(incidents, claims, actors) -> list:
    needed = [claims.column(c) for c in ("incident_id", "measure", "victims", "qualifier",
                                         "claimant", "claim_id", "stance")]
    ids, flag = incidents.column("incident_id"), incidents.typed.get("disputed")
    if any(c is None for c in needed) or ids is None or flag is None or any(
            claims.typed.get(c) is None for c in ("low", "best", "high")):
        return []
    actor_ids, side_col = actors.column("actor_id"), actors.column("side")
    if actor_ids is None or side_col is None:
        return []
    side = _claim_sides(claims, actor_ids, side_col)
    spans = _intervals(claims, side)
    clashing = _clashing_incidents(claims, side, spans)
    contesting = pa.array(_is_code(claims, "stance", ["denies", "disputes"]))
    contested = pc.filter(needed[0], contesting)
    must = pc.is_in(ids, pc.unique(pa.concat_arrays([clashing, one_array(contested)])))
    wrong = pc.and_(must, pc.invert(pc.fill_null(flag, True)))
    if not pc.any(pc.fill_null(wrong, False)).as_py():
        return []
    hits = incidents.problems_at(wrong, "disputed-consistent", "", "disputed")
    rows = pc.indices_nonzero(pc.fill_null(wrong, False))
    wanted = ids.take(rows).to_pylist()
    reasons = _clash_reasons(claims, side, spans, set(wanted) & set(clashing.to_pylist()))
    # a denial explains an incident no clash does: the first contesting claim of it
    for incident_id, claim_id in zip(contested.to_pylist(), pc.filter(
            needed[5], contesting).to_pylist(), strict=False):
        reasons.setdefault(incident_id, f"{claim_id} denies or disputes")
    return [Problem(p.rule, f"disputed is false but {reasons[incident_id]}", p.file,
                    p.line, p.column, p.value)
            for p, incident_id in zip(hits, wanted, strict=False)]


def _clash_reasons(claims, side: Sides, spans: dict, wanted: set) -> dict:
    """For the incidents in ``wanted``: the first clashing pair of claims, worded.

    Which claim stands for a side is the one pandas' sort (quicksort, not stable) put last
    by lo, or first by hi, among all claims; the ranks come from that same sort over every
    claim, so ties resolve as they always have, and only the wanted incidents are grouped.
    """
    if not wanted:
        return {}
    lo, hi = spans["lo"], spans["hi"]
    rank_lo = np.empty(len(lo), dtype=np.int64)
    rank_lo[np.argsort(lo, kind="quicksort")] = np.arange(len(lo))
    gap = np.isnan(hi)
    by_hi = np.flatnonzero(~gap)[np.argsort(hi[~gap], kind="quicksort")]
    rank_hi = np.empty(len(hi), dtype=np.int64)
    rank_hi[np.concatenate([by_hi, np.flatnonzero(gap)])] = np.arange(len(hi))
    picked = pa.array(spans["rows"])
    incident = claims.column("incident_id").take(picked)
    mine = _in(incident, sorted(w for w in wanted if w is not None))
    sub = pa.array(np.flatnonzero(mine))
    frame = pa.table({
        "incident_id": incident.take(sub),
        "measure": claims.column("measure").take(picked).take(sub),
        "victims": claims.column("victims").take(picked).take(sub),
        "side": side.array().take(picked).take(sub),
        "claim_id": claims.column("claim_id").take(picked).take(sub),
    }).to_pandas()
    frame["lo"], frame["hi"] = lo[mine], hi[mine]
    frame["rank_lo"], frame["rank_hi"] = rank_lo[mine], rank_hi[mine]
    keys = ["incident_id", "measure", "victims"]
    per_side = frame.groupby([*keys, "side"]).agg(lo=("lo", "max"), hi=("hi", "min")).reset_index()
    top = frame.sort_values("rank_lo").groupby([*keys, "side"]).tail(1).set_index([*keys, "side"])
    bottom = frame.sort_values("rank_hi").groupby([*keys, "side"]).head(1).set_index(
        [*keys, "side"])
    where = list(zip(*[per_side[k] for k in [*keys, "side"]], strict=False))
    per_side["lo_claim"] = top.loc[where, "claim_id"].to_numpy() if len(per_side) else []
    per_side["hi_claim"] = bottom.loc[where, "claim_id"].to_numpy() if len(per_side) else []
    pairs = per_side.merge(per_side, on=keys, suffixes=("_a", "_b"))
    clash = pairs[(pairs["side_a"] != pairs["side_b"]) & (pairs["lo_a"] > pairs["hi_b"])]
    reasons: dict[str, str] = {}
    for row in clash.itertuples():
        reasons.setdefault(row.incident_id, (
            f"{row.lo_claim_a} ({row.side_a}) and {row.hi_claim_b} ({row.side_b}) give "
            f"non-overlapping figures for {row.measure} {row.victims}"))
    return reasons


def figure_conflicts(claims, actors) -> list[str]:
    """incident_ids where two sides' figures for one measure and victims cannot both be true.

    Parameters
    ----------
    claims, actors : incidents.validation.Table
        The two tables as the validator reads them.

    Returns
    -------
    list of str
        The incident ids, sorted.
    """
    side = _claim_sides(claims, actors.column("actor_id"), actors.column("side"))
    clashing = _clashing_incidents(claims, side, _intervals(claims, side))
    return sorted(set(clashing.to_pylist()))
