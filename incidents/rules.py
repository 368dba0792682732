"""Rules between fields and between tables (the invariants of the data contract).

Each rule is named in :data:`incidents.schema.RULES`; each check here returns problems that
name the file, line, column and value. A check skips a table or column the file lacks: the
missing column was already reported.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


def check(tables: dict, descriptor: dict) -> list:
    """Run every cross-field and cross-table rule over the tables that could be read."""
    problems: list[Problem] = []
    problems += _foreign_keys(tables, descriptor)
    if "claims" in tables:
        problems += _claim_rules(tables["claims"])
    if "incidents" in tables:
        problems += _incident_rules(tables["incidents"])
    if "sources" in tables:
        problems += _source_rules(tables["sources"])
    if "incidents" in tables and "claims" in tables:
        problems += _claims_vs_incidents(tables["incidents"], tables["claims"])
        if "actors" in tables:
            problems += _disputed(tables["incidents"], tables["claims"], tables["actors"])
    return problems


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
            dangling = pc.and_(pc.is_valid(col), pc.invert(pc.is_in(col, keys)))
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
                values=pc.binary_join_element_wise(pc.cast(a, pa.string()),
                                                   pc.cast(b, pa.string()), " > "))
        if qualifier is not None:
            filled = {n: pc.is_valid(a) for n, a in (("low", low), ("best", best),
                                                      ("high", high))}
            for code, wants in QUALIFIER_FIELDS.items():
                is_code = pc.equal(qualifier, code)
                for name, want in zip(("low", "best", "high"), wants):
                    if want is None:
                        continue
                    wrong = pc.and_(is_code, filled[name] if not want else pc.invert(filled[name]))
                    state = "empty" if not want else "filled"
                    problems += claims.problems_at(
                        wrong, "qualifier-fields",
                        f"qualifier {code!r} needs {name} {state}", name)
            same = pc.and_(pc.equal(low, best), pc.equal(best, high))
            problems += claims.problems_at(
                pc.and_(pc.equal(qualifier, "exact"), pc.invert(same)), "qualifier-fields",
                "qualifier 'exact' needs low = best = high", "best")
    vague_term = claims.column("vague_term")
    if qualifier is not None and vague_term is not None:
        is_vague = pc.fill_null(pc.equal(qualifier, "vague"), False)
        has_term = pc.is_valid(vague_term)
        problems += claims.problems_at(pc.and_(is_vague, pc.invert(has_term)), "vague-term",
                                       "a vague figure needs the source's word in vague_term",
                                       "vague_term", values=qualifier)
        problems += claims.problems_at(pc.and_(pc.invert(is_vague), has_term), "vague-term",
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
        frame = pa.table([claims.column(f) for f in fields], names=fields).to_pandas(
            types_mapper=pd.ArrowDtype)
        repeated = frame.duplicated(keep="first").to_numpy()
        problems += claims.problems_at(pa.array(repeated), "duplicate-claim",
                                       "the same claim (all fields but claim_id) is entered "
                                       "on an earlier line too", "claim_id")
    return problems


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
        problems += incidents.problems_at(alone, "coordinates-pair",
                                          "latitude and longitude must come together",
                                          "latitude", values=pc.binary_join_element_wise(
                                              pc.fill_null(lat_text, ""),
                                              pc.fill_null(lon_text, ""), ","))
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
    frame = pd.DataFrame({"lat": lat.to_numpy(zero_copy_only=False),
                          "lon": lon.to_numpy(zero_copy_only=False),
                          "country": country.to_pylist()})
    outside = np.zeros(len(frame), dtype=bool)
    for code, rows in frame.dropna().groupby("country"):
        try:
            boxes = _country_boxes(code)
        except Exception:  # an unknown code is reported by country-code
            continue
        if not boxes:
            continue
        inside = np.zeros(len(rows), dtype=bool)
        for west, south, east, north in boxes:
            inside |= rows["lat"].between(south, north).to_numpy() & rows["lon"].between(
                west, east).to_numpy()
        outside[rows.index[~inside]] = True
    shown = pc.binary_join_element_wise(incidents.column("latitude"),
                                        incidents.column("longitude"), ",")
    return incidents.problems_at(pa.array(outside), "coordinates-in-country",
                                 "the coordinates fall outside the country's bounding box",
                                 "latitude", values=shown)


def _likely_duplicates(incidents) -> list:
    cols = {c: incidents.column(c) for c in ("incident_id", "perpetrator", "admin1")}
    when = incidents.typed.get("date")
    if any(v is None for v in cols.values()) or when is None:
        return []
    frame = pd.DataFrame({k: v.to_pylist() for k, v in cols.items()})
    frame["date"] = pd.to_datetime(pd.Series(when.to_pylist()))
    frame["row"] = np.arange(len(frame))
    frame = frame.dropna().sort_values(["perpetrator", "admin1", "date"])
    same = (frame["perpetrator"].eq(frame["perpetrator"].shift())
            & frame["admin1"].eq(frame["admin1"].shift())
            & (frame["date"] - frame["date"].shift()).dt.days.le(1))
    mask = np.zeros(incidents.text.num_rows, dtype=bool)
    mask[frame.loc[same, "row"].to_numpy()] = True
    earlier = frame["incident_id"].shift()[same].tolist()
    hits = incidents.problems_at(pa.array(mask), "likely-duplicate-incident",
                                 "same perpetrator and admin1 as the incident before it, "
                                 "within a day", "incident_id", severity="warning")
    return [Problem(p.rule, f"{p.message} ({other})", p.file, p.line, p.column, p.value,
                    p.severity) for p, other in zip(hits, earlier)]


def _source_rules(sources) -> list:
    import pycountry

    problems = []
    problems += sources.problems_at(
        _per_value(sources.column("language"),
                   lambda c: pycountry.languages.get(alpha_2=c) is not None),
        "language-code", "language is not an ISO 639-1 code", "language")
    url, note = sources.column("url"), sources.column("note")
    if url is not None and note is not None:
        problems += sources.problems_at(pc.and_(pc.is_null(url), pc.is_null(note)),
                                        "url-note", "a source without url needs a note", "url")
    return problems


def _claims_vs_incidents(incidents, claims) -> list:
    problems = []
    ids, claim_incident = incidents.column("incident_id"), claims.column("incident_id")
    if ids is None or claim_incident is None:
        return problems
    problems += incidents.problems_at(
        pc.invert(pc.is_in(ids, claim_incident)), "incident-has-claim",
        "the incident has no claim", "incident_id")
    start, said = incidents.typed.get("date"), claims.typed.get("claimed_on")
    if start is not None and said is not None:
        position = pc.index_in(claim_incident, ids)
        incident_date = pc.take(start, position)
        problems += claims.problems_at(
            pc.less(said, incident_date), "date-order",
            "claimed_on is before the incident's date", "claimed_on")
    return problems


def _intervals(claims, sides: pd.Series) -> pd.DataFrame:
    """Each figure claim as the closed interval of counts it allows."""
    frame = pa.table({
        "incident_id": claims.column("incident_id"),
        "measure": claims.column("measure"),
        "victims": claims.column("victims"),
        "qualifier": claims.column("qualifier"),
        "claimant": claims.column("claimant"),
        "claim_id": claims.column("claim_id"),
        "low": claims.typed["low"], "best": claims.typed["best"], "high": claims.typed["high"],
    }).to_pandas()
    frame["side"] = frame["claimant"].map(sides)
    figures = frame[["low", "best", "high"]].astype("float64")
    frame["lo"] = figures.min(axis=1)
    frame["hi"] = figures.max(axis=1)
    frame.loc[frame["qualifier"].isin(OPEN_ENDED), "hi"] = np.inf
    frame.loc[frame["qualifier"].isin(["up_to", "fewer_than"]), "lo"] = 0
    return frame.dropna(subset=["lo", "side"])


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
    sides = pd.Series(side_col.to_pylist(), index=actor_ids.to_pylist())
    sides = sides[~sides.index.duplicated()]
    spans = _intervals(claims, sides)
    keys = ["incident_id", "measure", "victims"]
    per_side = spans.groupby(keys + ["side"]).agg(lo=("lo", "max"), hi=("hi", "min")).reset_index()
    # the claim that carries each side's largest lower bound and smallest upper bound
    top = spans.sort_values("lo").groupby(keys + ["side"]).tail(1).set_index(keys + ["side"])
    bottom = spans.sort_values("hi").groupby(keys + ["side"]).head(1).set_index(keys + ["side"])
    per_side["lo_claim"] = top.loc[list(zip(*[per_side[k] for k in keys + ["side"]])),
                                   "claim_id"].to_numpy() if len(per_side) else []
    per_side["hi_claim"] = bottom.loc[list(zip(*[per_side[k] for k in keys + ["side"]])),
                                      "claim_id"].to_numpy() if len(per_side) else []
    pairs = per_side.merge(per_side, on=keys, suffixes=("_a", "_b"))
    clash = pairs[(pairs["side_a"] != pairs["side_b"]) & (pairs["lo_a"] > pairs["hi_b"])]
    reasons: dict[str, str] = {}
    for row in clash.itertuples():
        reasons.setdefault(row.incident_id, (
            f"{row.lo_claim_a} ({row.side_a}) and {row.hi_claim_b} ({row.side_b}) give "
            f"non-overlapping figures for {row.measure} {row.victims}"))
    stance = needed[-1]
    contesting = pc.is_in(stance, pa.array(["denies", "disputes"]))
    contested_ids = pc.filter(needed[0], pc.fill_null(contesting, False)).to_pylist()
    for incident_id, claim_id in zip(contested_ids, pc.filter(
            needed[5], pc.fill_null(contesting, False)).to_pylist()):
        reasons.setdefault(incident_id, f"{claim_id} denies or disputes")
    must = pc.is_in(ids, pa.array(list(reasons), pa.string()))
    wrong = pc.and_(must, pc.invert(pc.fill_null(flag, True)))
    hits = incidents.problems_at(wrong, "disputed-consistent", "", "disputed")
    id_list = ids.to_pylist()
    out = []
    for p, row in zip(hits, pc.indices_nonzero(pc.fill_null(wrong, False)).to_pylist()):
        out.append(Problem(p.rule, f"disputed is false but {reasons[id_list[row]]}", p.file,
                           p.line, p.column, p.value))
    return out
