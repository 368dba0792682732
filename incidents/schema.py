"""The data contract: one pandera ``DataFrameModel`` per table, and the rules between them.

This module is the single source of truth for the five tables. Every field carries a
description; every coded value carries a definition; primary and foreign keys live in each
model's ``Config.metadata``. ``incidents validate`` runs these models (through pandera) on the
typed tables it reads, then every rule of :data:`RULES`, the one registry of the rules
between fields and tables. ``datapackage.json`` (and through it the loader's types and the
README codebook) is generated from here by ``incidents build``.

The models describe the *typed* frames that :func:`incidents.load` returns, so a loaded table
can be checked with pandera directly::

    import incidents
    incidents.schema.Claims.validate(incidents.load("claims"))

Importing this module imports pandera, which is slow; the loader never does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow
import pyarrow.compute as pc
from pandera import extensions
from pandera.typing import Series

from incidents.claims import QUALIFIER_FIELDS, intervals
from incidents.fmt import byte_rows
from incidents.vocab import (
    ACTOR_TYPE,
    AIRWARS_GRADE,
    DATE_PRECISION,
    DISPUTE_CODES,
    INCIDENT_TYPE,
    LINK_DATASET,
    LOCATION_PRECISION,
    MEASURE,
    QUALIFIER,
    SIDE,
    SOURCE_TYPE,
    STANCE,
    TABLES,
    VICTIMS,
)

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
INCIDENT_ID = r"^[A-Z]{3}-[0-9]{4}-[0-9]{4}$"
CLAIM_ID = r"^[A-Z]{3}-[0-9]{4}-[0-9]{4}-C[0-9]{2,3}$"
RELATED = r"^[A-Z]{3}-[0-9]{4}-[0-9]{4}(?:;[A-Z]{3}-[0-9]{4}-[0-9]{4})*$"
_DISPUTE_ALT = "|".join(DISPUTE_CODES)
DISPUTE = rf"^(?:{_DISPUTE_ALT})(?:;(?:{_DISPUTE_ALT}))*$"
# Every character Python's \s matches, spelled out: regex engines disagree on what \s covers
# (RE2 leaves out U+00A0 and its kin), and an address holding one must fail in all of them.
_SPACES = ("\t\n\x0b\x0c\r\x1c-\x1f \x85\u00a0\u1680\u2000-\u200a\u2028\u2029"
           "\u202f\u205f\u3000")
URL = f"^https?://[^{_SPACES}/$.?#][^{_SPACES}]*$"

#: Characters that change how text displays without being seen: bidirectional embeddings,
#: overrides and isolates, line and paragraph separators, NEXT LINE, zero-width characters.
HIDDEN_CHARACTERS = (
    "\u202a-\u202e\u2066-\u2069\u2028\u2029\u0085\u200b-\u200f\u2060\ufeff"
)
_HIDDEN = f"[{HIDDEN_CHARACTERS}]"


def _arrow(series: pd.Series) -> pyarrow.Array | pyarrow.ChunkedArray:
    """The cells of a text column as Arrow strings (no copy for Arrow-backed columns)."""
    values = getattr(series.array, "_pa_array", None)
    if values is not None and pyarrow.types.is_string(values.type):
        return values
    if values is not None and pyarrow.types.is_large_string(values.type):
        return values.cast(pyarrow.string())
    return pyarrow.array(series.astype(object), pyarrow.string(), from_pandas=True)


@extensions.register_check_method()
def no_formula_prefix(pandas_obj: pd.Series) -> pd.Series:
    """The cell does not open with = + - @ (spreadsheets would run it as a formula)."""
    values = _arrow(pandas_obj)
    first = pc.fill_null(pc.is_in(pc.utf8_slice_codeunits(values, 0, 1),
                                  value_set=pyarrow.array(list("=+-@"))), False)
    return pd.Series(~first.to_numpy(zero_copy_only=False), index=pandas_obj.index)


def _is_control(data: np.ndarray) -> np.ndarray:
    return (data < 0x20) | (data == 0x7F)


@extensions.register_check_method()
def no_control_characters(pandas_obj: pd.Series) -> pd.Series:
    """The cell holds no control character (tab, line break, NUL, ESC, DEL ...)."""
    # a byte below 0x20 or 0x7F is that control character in UTF-8, never part of another
    return pd.Series(~byte_rows(_arrow(pandas_obj), _is_control), index=pandas_obj.index)


def _may_hide(data: np.ndarray) -> np.ndarray:
    # the UTF-8 lead bytes of every hidden character: C2 (U+0085), E2 (U+200B to U+2069),
    # EF (U+FEFF)
    return (data == 0xC2) | (data == 0xE2) | (data == 0xEF)


@extensions.register_check_method(statistics=["severity"])
def no_hidden_characters(pandas_obj: pd.Series, *, severity: str) -> pd.Series:
    """The cell holds none of :data:`HIDDEN_CHARACTERS` (reported with ``severity``)."""
    values = _arrow(pandas_obj)
    ok = ~byte_rows(values, _may_hide)
    maybe = np.flatnonzero(~ok)
    if len(maybe):  # the regex only on the few cells that may hold one
        found = pc.match_substring_regex(values.take(pyarrow.array(maybe)), _HIDDEN)
        ok[maybe] = ~pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    return pd.Series(ok, index=pandas_obj.index)


def _per_value(series: pd.Series, is_ok: Callable[[str], bool]) -> pd.Series:
    """Apply a Python test once per distinct value (codes repeat: a few hundred values)."""
    values = _arrow(series.astype("str"))
    good = [v for v in pc.unique(values).drop_null().to_pylist() if is_ok(v)]
    found = pc.is_in(values, value_set=pyarrow.array(good, pyarrow.string()))
    return pd.Series(pc.fill_null(found, False).to_numpy(zero_copy_only=False),
                     index=series.index)


def _country_known(code: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_3=code) is not None


def _language_known(code: str) -> bool:
    import pycountry

    return pycountry.languages.get(alpha_2=code) is not None


@extensions.register_check_method()
def iso_country(pandas_obj: pd.Series) -> pd.Series:
    """The code is an ISO 3166-1 alpha-3 country code."""
    return _per_value(pandas_obj, _country_known)


@extensions.register_check_method()
def iso_language(pandas_obj: pd.Series) -> pd.Series:
    """The code is an ISO 639-1 language code."""
    return _per_value(pandas_obj, _language_known)


#: The custom checks above, by pandera name: the rule each reports, with its message.
FIELD_CHECKS: dict[str, tuple[str, str]] = {
    "no_formula_prefix": (
        "no-formula-prefix", "the cell opens with a character spreadsheets read as a formula"),
    "no_control_characters": ("no-control-characters", "the cell holds a control character"),
    "no_hidden_characters": (
        "hidden-characters",
        "the cell holds an invisible character that changes how text displays (bidi control, "
        "line or paragraph separator, NEXT LINE, zero-width)"),
    "iso_country": ("country-code", "country is not an ISO 3166-1 alpha-3 code"),
    "iso_language": ("language-code", "language is not an ISO 639-1 code"),
}


def _text(max_length: int | None = None, hidden: str = "error", formula: bool = True,
          **rest: Any) -> dict[str, Any]:
    """Field keyword arguments for free text: its length and the text-safety checks.

    ``hidden`` is the severity of :data:`HIDDEN_CHARACTERS` in this field: a warning where
    text is copied verbatim from a page (right-to-left quotes may carry marks), an error
    elsewhere.
    """
    kwargs: dict[str, Any] = {"no_control_characters": (),
                              "no_hidden_characters": {"severity": hidden}, **rest}
    if formula:
        kwargs["no_formula_prefix"] = ()
    if max_length is not None:
        kwargs["str_length"] = {"max_value": max_length}
    note = ("Invisible characters (bidi controls, separators, zero-width) are an error."
            if hidden == "error" else
            "Invisible characters (bidi controls, separators, zero-width) give a warning: "
            "kept when the source has them.")
    description = kwargs.pop("description", "")
    kwargs["description"] = f"{description} {note}".strip()
    return kwargs


def _codes(codes: dict[str, str]) -> dict:
    """Field keyword arguments for a coded column: an ordered categorical of the codes."""
    return {
        "dtype_kwargs": {"categories": list(codes), "ordered": True},
        "metadata": {"codes": codes},
    }


Category: TypeAlias = pd.CategoricalDtype


class Incidents(pa.DataFrameModel):
    """One row per event: when, where, who, what, and whether the figures are disputed."""

    incident_id: Series[str] = pa.Field(
        unique=True, str_matches=INCIDENT_ID,
        description="Stable identifier, never reused: ISO country, year of `date`, number.",
    )
    date: Series[pa.DateTime] = pa.Field(
        description="Earliest date of the incident (see `date_precision`).",
    )
    date_end: Series[pa.DateTime] = pa.Field(
        nullable=True,
        description="Last date, for incidents that span days or whose day is not known.",
    )
    date_precision: Series[Category] = pa.Field(
        description="How exactly the date is known.", **_codes(DATE_PRECISION)
    )
    country: Series[str] = pa.Field(
        str_matches=r"^[A-Z]{3}$", iso_country=(),
        description="Country, ISO 3166-1 alpha-3 code.",
    )
    admin1: Series[str] = pa.Field(
        nullable=True, str_matches=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        description="First-level administrative area, ISO 3166-2 code.",
    )
    location: Series[str] = pa.Field(
        **_text(200, description="The place as sources report it."),
    )
    latitude: Series[float] = pa.Field(
        nullable=True, ge=-90, le=90,
        description="WGS84 latitude; given with longitude or not at all.",
    )
    longitude: Series[float] = pa.Field(
        nullable=True, ge=-180, le=180,
        description="WGS84 longitude; given with latitude or not at all.",
    )
    location_precision: Series[Category] = pa.Field(
        description="What the coordinates stand for.", **_codes(LOCATION_PRECISION)
    )
    coordinates_source: Series[str] = pa.Field(
        nullable=True, **_text(200, description=(
            "Where the coordinates come from (a source_id, or the gazetteer and, after the "
            "last ':', the place name)."
        )),
    )
    perpetrator: Series[str] = pa.Field(
        str_matches=SLUG,
        description="actor_id of the party the best-supported account attributes the incident to.",
    )
    target: Series[str] = pa.Field(
        nullable=True, str_matches=SLUG, description="actor_id of the party targeted, if known.",
    )
    incident_type: Series[Category] = pa.Field(
        description="What kind of attack.", **_codes(INCIDENT_TYPE)
    )
    summary: Series[str] = pa.Field(
        **_text(500, description=(
            "One neutral sentence; the parties' own words appear only in quotation marks."
        )),
    )
    disputed: Series[bool] = pa.Field(
        description=(
            "True when parties contest the figures or the account. Must be true when claims "
            "from different sides give non-overlapping figures for the same measure and "
            "victims, or when a claim denies or disputes."
        ),
    )
    dispute: Series[str] = pa.Field(
        nullable=True, str_matches=DISPUTE,
        description="What is disputed, one or more codes joined by ';'. Required when disputed.",
        metadata={"codes": DISPUTE_CODES},
    )
    related: Series[str] = pa.Field(
        nullable=True, str_matches=RELATED,
        description=(
            "incident_ids of overlapping or connected incidents, joined by ';'; each lists "
            "this one back."
        ),
    )
    note: Series[str] = pa.Field(
        nullable=True, **_text(2000, description=(
            "Curators' notes: conflicting dates or places and how they were settled."
        )),
    )

    class Config:
        name = "incidents"
        title = "Incidents"
        strict = True
        metadata = {
            "primary_key": ["incident_id"],
            "foreign_keys": [
                {"fields": "perpetrator", "resource": "actors", "reference": "actor_id"},
                {"fields": "target", "resource": "actors", "reference": "actor_id"},
            ],
        }


class Claims(pa.DataFrameModel):
    """One row per figure per statement: who claims which number, where, in which words."""

    claim_id: Series[str] = pa.Field(
        unique=True, str_matches=CLAIM_ID,
        description="Stable identifier: the incident_id, '-C' and a number.",
    )
    incident_id: Series[str] = pa.Field(
        str_matches=INCIDENT_ID, description="The incident the figure is about.",
    )
    source_id: Series[str] = pa.Field(
        str_matches=SLUG, description="The source that published the statement.",
    )
    claimant: Series[str] = pa.Field(
        str_matches=SLUG,
        description="actor_id of who asserts the figure (often not the publisher).",
    )
    measure: Series[Category] = pa.Field(description="What is counted.", **_codes(MEASURE))
    victims: Series[Category] = pa.Field(description="Who is counted.", **_codes(VICTIMS))
    low: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="Lower bound as stated (see `qualifier`).",
    )
    best: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="The figure stated as the count (see `qualifier`).",
    )
    high: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="Upper bound as stated (see `qualifier`).",
    )
    qualifier: Series[Category] = pa.Field(
        description="How the figure is worded; the rule that fills low, best and high.",
        **_codes(QUALIFIER),
    )
    vague_term: Series[str] = pa.Field(
        nullable=True, **_text(60, hidden="warning", description=(
            "The source's own word for a vague amount ('dozens', 'hundreds')."
        )),
    )
    stance: Series[Category] = pa.Field(
        description="What the statement does with the figure.", **_codes(STANCE)
    )
    quote: Series[str] = pa.Field(
        **_text(1000, hidden="warning", description=(
            "Words copied exactly from the source that carry the figure."
        )),
    )
    quote_en: Series[str] = pa.Field(
        nullable=True, **_text(1000, hidden="warning", description=(
            "English translation of `quote` when the source is not in English."
        )),
    )
    claimed_on: Series[pa.DateTime] = pa.Field(
        nullable=True, description="Date of the statement, when the source gives it.",
    )
    note: Series[str] = pa.Field(
        nullable=True,
        **_text(2000, description="Curators' notes, e.g. what the source got wrong."),
    )

    class Config:
        name = "claims"
        title = "Claims"
        strict = True
        metadata = {
            "primary_key": ["claim_id"],
            "foreign_keys": [
                {"fields": "incident_id", "resource": "incidents", "reference": "incident_id"},
                {"fields": "source_id", "resource": "sources", "reference": "source_id"},
                {"fields": "claimant", "resource": "actors", "reference": "actor_id"},
            ],
        }


class Sources(pa.DataFrameModel):
    """One row per published page a claim is taken from."""

    source_id: Series[str] = pa.Field(
        unique=True, str_matches=SLUG, description="Stable identifier: publisher slug and date.",
    )
    publisher: Series[str] = pa.Field(**_text(120, description="Who published the page."))
    title: Series[str] = pa.Field(
        nullable=True, **_text(300, hidden="warning", description="The page's headline."),
    )
    url: Series[str] = pa.Field(
        nullable=True, **_text(500, formula=False, str_matches=URL, description=(
            "Address of the page read (http or https); empty only with a note saying why."
        )),
    )
    published: Series[pa.DateTime] = pa.Field(
        nullable=True, description="Publication date, when the page gives it.",
    )
    language: Series[str] = pa.Field(
        str_matches=r"^[a-z]{2}$", iso_language=(),
        description="Language of the page, ISO 639-1 code.",
    )
    source_type: Series[Category] = pa.Field(
        description="What kind of publisher.", **_codes(SOURCE_TYPE)
    )
    owner: Series[str] = pa.Field(
        nullable=True, str_matches=SLUG,
        description="actor_id of the state or party that owns or funds the publisher.",
    )
    original_publisher: Series[str] = pa.Field(
        nullable=True, **_text(120, description=(
            "Who first published the words, when this page is a copy (e.g. 'Reuters', "
            "'SOHR'); empty when the page is itself the original publication."
        )),
    )
    original_url: Series[str] = pa.Field(
        nullable=True, **_text(500, formula=False, str_matches=URL, description=(
            "Address of the original publication, where known (http or https)."
        )),
    )
    note: Series[str] = pa.Field(
        nullable=True, **_text(2000, description="Curators' notes."),
    )

    class Config:
        name = "sources"
        title = "Sources"
        strict = True
        metadata = {
            "primary_key": ["source_id"],
            "foreign_keys": [
                {"fields": "owner", "resource": "actors", "reference": "actor_id"},
            ],
        }


class Actors(pa.DataFrameModel):
    """One row per party: perpetrators, targets, claimants and owners of publishers."""

    actor_id: Series[str] = pa.Field(
        unique=True, str_matches=SLUG, description="Stable identifier.",
    )
    name: Series[str] = pa.Field(**_text(200, description="Full name."))
    side: Series[Category] = pa.Field(
        description=(
            "The party the actor belongs to or speaks for; a grouping, not a judgement of "
            "reliability."
        ),
        **_codes(SIDE),
    )
    actor_type: Series[Category] = pa.Field(
        description="What kind of actor.", **_codes(ACTOR_TYPE)
    )
    note: Series[str] = pa.Field(
        nullable=True, **_text(2000, description="Curators' notes."),
    )

    class Config:
        name = "actors"
        title = "Actors"
        strict = True
        metadata = {"primary_key": ["actor_id"], "foreign_keys": []}




class Links(pa.DataFrameModel):
    """One row per incident per entry in another dataset that records it (Airwars, UCDP ...)."""

    incident_id: Series[str] = pa.Field(
        str_matches=INCIDENT_ID, description="The incident the other dataset's entry is about.",
    )
    dataset: Series[Category] = pa.Field(
        description="The other dataset.", **_codes(LINK_DATASET)
    )
    external_id: Series[str] = pa.Field(
        str_matches=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$", str_length={"max_value": 60},
        description="The entry's identifier in that dataset, as read on its page (CS1210).",
    )
    url: Series[str] = pa.Field(
        **_text(500, formula=False, str_matches=URL, description=(
            "Address of the entry's page (http or https)."
        )),
    )
    grade: Series[Category] = pa.Field(
        nullable=True,
        description="The other dataset's own grading of the incident (Airwars), not ours.",
        **_codes(AIRWARS_GRADE),
    )
    note: Series[str] = pa.Field(
        nullable=True, **_text(2000, description="Curators' notes."),
    )

    class Config:
        name = "links"
        title = "Links"
        strict = True
        unique = ["dataset", "external_id", "incident_id"]
        metadata = {
            "primary_key": ["dataset", "external_id", "incident_id"],
            "rows_required": False,  # an incident no other dataset records has no link
            "foreign_keys": [
                {"fields": "incident_id", "resource": "incidents", "reference": "incident_id"},
            ],
        }


#: The five tables, by name, in the order of :data:`incidents.vocab.TABLES`.
MODELS: dict[str, type[pa.DataFrameModel]] = {
    model.Config.name: model for model in (Incidents, Claims, Sources, Actors, Links)
}
assert tuple(MODELS) == TABLES, "vocab.TABLES and the models must list the same tables"


def primary_key(table: str) -> list[str]:
    """The primary key columns of ``table``."""
    return list((MODELS[table].Config.metadata or {})["primary_key"])


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
            position = pc.index_in(_arrow(self.tables[table][column]), value_set=values)
            self.memo[memo_key] = pc.fill_null(position, -1).to_numpy(
                zero_copy_only=False).astype(np.int64)
        return self.memo[memo_key]

    def codes(self, table: str, column: str) -> tuple[np.ndarray, pyarrow.Array]:
        """Integer codes of ``table.column`` (-1 for missing) and their values."""
        memo_key = ("codes", table, column)
        if memo_key not in self.memo:
            self.memo[memo_key] = _encode(self.tables[table][column])
        return self.memo[memo_key]


@dataclass(frozen=True)
class Rule:
    """One rule of the contract: its name, what it says, what to do, and its check."""

    name: str
    text: str
    hint: str
    severity: str = "error"
    check: Callable[[Context], list[Hit]] | None = None


def _hit(table: str, mask: Any, column: str | None, message: str | list[str],
         values: list | None = None) -> list[Hit]:
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
    """Where a categorical column holds one of ``codes``: a test on its integer codes.

    Comparing a million categories as Python strings is what this avoids.
    """
    wanted = (codes,) if isinstance(codes, str) else codes
    if not isinstance(series.dtype, pd.CategoricalDtype):  # not typed as codes: compare text
        return series.isin(wanted).to_numpy(dtype=bool)
    categories = series.cat.categories
    # a table of the categories (and a last entry for missing, code -1) read at each code
    table = np.zeros(len(categories) + 1, dtype=bool)
    table[[i for i, c in enumerate(categories) if c in wanted]] = True
    return table[series.cat.codes.to_numpy()]


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
    values = _arrow(series)
    return values.combine_chunks() if isinstance(values, pyarrow.ChunkedArray) else values


def _positions(keys: pd.Series, index: pd.Series) -> np.ndarray:
    """For each key, the first row of ``index`` holding it (-1 where none does)."""
    position = pc.index_in(_arrow(keys.astype("str")), value_set=_flat(index.astype("str")))
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


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _foreign_keys(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for table, model in MODELS.items():
        child = ctx.tables.get(table)
        for fk in (model.Config.metadata or {})["foreign_keys"]:
            parent = ctx.tables.get(fk["resource"])
            column, ref = fk["fields"], fk["reference"]
            if child is None or parent is None or column not in child or ref not in parent:
                continue
            # the memoised positions other rules read too: -1 is a key no parent row holds
            dangling = (child[column].notna().to_numpy()
                        & (ctx.positions(table, column, fk["resource"], ref) < 0))
            hits += _hit(table, dangling, column,
                         f"{column} refers to {_article(ref)} {ref} that {fk['resource']} "
                         "does not have")
    return hits


def _low_best_high(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for a, b in (("low", "best"), ("best", "high"), ("low", "high")):
        x, y = ctx.figures("claims", a), ctx.figures("claims", b)
        with np.errstate(invalid="ignore"):
            wrong = x > y
        shown = [f"{int(x[i])} > {int(y[i])}" for i in np.flatnonzero(wrong)]
        hits += _hit("claims", wrong, a, f"{a} is greater than {b}", shown)
    return hits


def _qualifier_fields(ctx: Context) -> list[Hit]:
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
                hits += _hit("claims", wrong, name, f"qualifier {code!r} needs {name} {state}")
    low, best, high = (ctx.figures("claims", n) for n in ("low", "best", "high"))
    with np.errstate(invalid="ignore"):
        unequal = (low != best) | (best != high)
    unequal &= ~np.isnan(low) & ~np.isnan(best) & ~np.isnan(high)
    hits += _hit("claims", _is_code(qualifier, "exact") & unequal, "best",
                 "qualifier 'exact' needs low = best = high")
    return hits


def _vague_term(ctx: Context) -> list[Hit]:
    claims = ctx.tables["claims"]
    qualifier = claims["qualifier"]
    is_vague = (qualifier == "vague").fillna(False).to_numpy(dtype=bool)
    has_term = claims["vague_term"].notna().to_numpy()
    coded = qualifier.notna().to_numpy()
    return (_hit("claims", is_vague & ~has_term, "vague_term",
                 "a vague figure needs the source's word in vague_term",
                 ["vague"] * int((is_vague & ~has_term).sum()))
            + _hit("claims", coded & ~is_vague & has_term, "vague_term",
                   "vague_term is only for qualifier 'vague'"))


def _claim_id_prefix(ctx: Context) -> list[Hit]:
    claims = ctx.tables["claims"]
    claim = pc.utf8_slice_codeunits(_arrow(claims["claim_id"]), 0, 14)
    incident = pc.binary_join_element_wise(_arrow(claims["incident_id"]), "-", "")
    wrong = pc.fill_null(pc.not_equal(claim, incident), False).to_numpy(zero_copy_only=False)
    return _hit("claims", wrong, "claim_id",
                "claim_id does not start with the claim's incident_id")


_CLAIM_FIELDS = ["incident_id", "source_id", "claimant", "measure", "victims", "low", "best",
                 "high", "qualifier", "stance", "quote"]


def _duplicate_claim(ctx: Context) -> list[Hit]:
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
    return _hit("claims", mask, "claim_id",
                "the same claim (all fields but claim_id) is entered on an earlier line too")


def _date_not_future(ctx: Context) -> list[Hit]:
    today = pd.Timestamp(ctx.today)
    hits: list[Hit] = []
    for table, frame in ctx.tables.items():
        for name in frame.columns:
            if frame[name].dtype.kind == "M":
                hits += _hit(table, (frame[name] > today).to_numpy(), name,
                             f"{name} is after today ({ctx.today})")
    return hits


def _date_order(ctx: Context) -> list[Hit]:
    incidents = ctx.tables["incidents"]
    hits = _hit("incidents", (incidents["date_end"] < incidents["date"]).to_numpy(), "date_end",
                "date_end is before date")
    claims = ctx.tables.get("claims")
    if claims is not None:
        dates = np.append(incidents["date"].to_numpy(dtype="datetime64[ns]"),
                          np.datetime64("NaT", "ns"))
        start = dates[ctx.positions("claims", "incident_id", "incidents", "incident_id")]
        early = claims["claimed_on"].to_numpy(dtype="datetime64[ns]") < start
        hits += _hit("claims", early, "claimed_on", "claimed_on is before the incident's date")
    return hits


def _coordinates_pair(ctx: Context) -> list[Hit]:
    inc = ctx.tables["incidents"]
    lat, lon = inc["latitude"], inc["longitude"]
    alone = (lat.isna() != lon.isna()).to_numpy()
    shown = [f"{'' if pd.isna(lat.iloc[i]) else lat.iloc[i]},"
             f"{'' if pd.isna(lon.iloc[i]) else lon.iloc[i]}" for i in np.flatnonzero(alone)]
    return _hit("incidents", alone, "latitude", "latitude and longitude must come together",
                shown)


_POINTS = ("site", "settlement", "nearby_settlement")


def _coordinates_precision(ctx: Context) -> list[Hit]:
    inc = ctx.tables["incidents"]
    has = (inc["latitude"].notna() & inc["longitude"].notna()).to_numpy()
    precision = inc["location_precision"]
    pointy = precision.isin(_POINTS).to_numpy()
    known = precision.notna().to_numpy()
    return (_hit("incidents", known & (has != pointy), "location_precision",
                 "coordinates go with precision site, settlement or nearby_settlement, and "
                 "only with them")
            + _hit("incidents", has != inc["coordinates_source"].notna().to_numpy(),
                   "coordinates_source",
                   "coordinates_source is given when, and only when, there are coordinates"))


@lru_cache(maxsize=64)
def _country_boxes(code: str) -> list:
    from country_bounding_boxes import country_subunits_by_iso_code

    try:
        return [s.bbox for s in country_subunits_by_iso_code(code)]
    except Exception:  # an unknown code is reported by country-code
        return []


def _coordinates_in_country(ctx: Context) -> list[Hit]:
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
    return _hit("incidents", outside, "latitude",
                "the coordinates fall outside the country's bounding box", shown)


def _admin1_ok(pair: str) -> bool:
    import pycountry

    code, alpha3 = pair.split("|")
    sub = pycountry.subdivisions.get(code=code)
    country = pycountry.countries.get(alpha_3=alpha3)
    return sub is not None and country is not None and sub.country_code == country.alpha_2


def _admin1_code(ctx: Context) -> list[Hit]:
    inc = ctx.tables["incidents"]
    # "SY-DY|SYR" as Arrow strings (missing unless both are given), looked up once per pair
    pairs = pc.binary_join_element_wise(_arrow(inc["admin1"]), _arrow(inc["country"]), "|")
    good = [v for v in pc.unique(pairs).drop_null().to_pylist() if _admin1_ok(v)]
    ok = pc.is_in(pairs, value_set=pyarrow.array(good, pyarrow.string()))
    wrong = (pc.is_valid(pairs).to_numpy(zero_copy_only=False)
             & ~ok.to_numpy(zero_copy_only=False))
    return _hit("incidents", wrong, "admin1",
                "admin1 is not an ISO 3166-2 code of the country")


def _dispute_required(ctx: Context) -> list[Hit]:
    inc = ctx.tables["incidents"]
    disputed = inc["disputed"].astype("boolean")
    dispute = inc["dispute"].notna()
    return (_hit("incidents", disputed.fillna(False) & ~dispute, "dispute",
                 "a disputed incident says what is disputed")
            + _hit("incidents", (~disputed).fillna(False) & dispute, "dispute",
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


def _disputed_consistent(ctx: Context) -> list[Hit]:
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
    return _hit("incidents", wrong, "disputed",
                [f"disputed is false but {reasons[i]}" for i in names])


def _incident_has_claim(ctx: Context) -> list[Hit]:
    inc = ctx.tables["incidents"]
    # an incident_id some claim holds has a code among the claims' incident_ids (shared
    # with other rules); a missing incident_id matches a claim missing it
    claimed = ctx.codes_of("incidents", "incident_id", "claims", "incident_id") >= 0
    missing = inc["incident_id"].isna().to_numpy()
    claimed[missing] = bool((ctx.codes("claims", "incident_id")[0] < 0).any())
    orphan = ~claimed
    return _hit("incidents", orphan, "incident_id", "the incident has no claim")


def _quote_translation(ctx: Context) -> list[Hit]:
    claims, sources = ctx.tables["claims"], ctx.tables["sources"]
    # a language that is no ISO 639-1 code is reported once, by language-code, not again
    # on every claim of its source
    known = _per_value(sources["language"], _language_known).to_numpy()
    foreign = np.append(known & (sources["language"] != "en").fillna(False).to_numpy(dtype=bool),
                        False)[ctx.positions("claims", "source_id", "sources", "source_id")]
    return _hit("claims", foreign & claims["quote_en"].isna().to_numpy(), "quote_en",
                "the source is not in English, so quote_en needs a translation")


def _url_note(ctx: Context) -> list[Hit]:
    sources = ctx.tables["sources"]
    return _hit("sources", (sources["url"].isna() & sources["note"].isna()).to_numpy(), "url",
                "a source without url needs a note")


def _same_as_before(series: pd.Series) -> np.ndarray:
    """For each text cell but the first, whether it equals the cell before (compared in Arrow)."""
    values = _flat(series)
    equal = pc.equal(values.slice(1), values.slice(0, len(values) - 1))
    return pc.fill_null(equal, False).to_numpy(zero_copy_only=False)


def _likely_duplicate(ctx: Context) -> list[Hit]:
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
    return _hit("incidents", mask, "incident_id",
                [f"same perpetrator and admin1 as the incident before it, within a day "
                 f"({earlier[k]})" for k in order])


def _precision_needs_end(ctx: Context) -> list[Hit]:
    inc = ctx.tables["incidents"]
    vague = inc["date_precision"].isin(["week", "month", "year"]).to_numpy()
    wrong = vague & inc["date_end"].isna().to_numpy()
    precision = inc["date_precision"].astype(object).to_numpy()
    return _hit("incidents", wrong, "date_end",
                [f"date_precision {precision[i]!r} needs date_end" for i in np.flatnonzero(wrong)])


def _accused_zero_denies(ctx: Context) -> list[Hit]:
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
    return _hit("claims", wrong, "stance",
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


def _nearby_not_settlement(ctx: Context) -> list[Hit]:
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
    return _hit("incidents", wrong, "location_precision",
                "the coordinates_source names a place that is not in location: "
                "precision nearby_settlement?")


def _related_exists(ctx: Context) -> list[Hit]:
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


def _original_url_needs_publisher(ctx: Context) -> list[Hit]:
    sources = ctx.tables["sources"]
    wrong = sources["original_url"].notna() & sources["original_publisher"].isna()
    return _hit("sources", wrong.to_numpy(), "original_publisher",
                "original_url is given without original_publisher")


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.name: rule for rule in rules}


#: Every rule a problem can be reported under, with its text and hint. The rules with a
#: ``check`` run over the typed tables after pandera; the others are how the reader, the
#: type conversion and the models' field checks name what they find.
RULES: dict[str, Rule] = _rules(
    # reading the files
    Rule("file-missing", "Every table file exists and is a regular file in the package.",
         "Add the file, or restore it from the repository."),
    Rule("resource-path", "Each resource of datapackage.json names a usable file path.",
         "Give the resource a relative path to a file inside the package, as `incidents "
         "build` writes it."),
    Rule("file-empty", "A table file holds at least its header row.",
         "A table needs at least its header row."),
    Rule("file-too-large", "A table file is within the size limit.",
         "Split the import, or raise the limit with --max-bytes if memory allows."),
    Rule("cell-too-large", "No cell is longer than the cell size limit.",
         "Shorten the cell; long texts belong on the source's page, not in the table."),
    Rule("header-too-large", "The header row is within the header size limit.",
         "The first line should hold only the column names."),
    Rule("byte-order-mark", "Files are UTF-8 without a byte-order mark.",
         "Save the file as UTF-8 without BOM, or run `incidents fmt`."),
    Rule("utf-8", "Files are UTF-8.", "Save the file as UTF-8; the byte shown is not valid UTF-8."),
    Rule("line-endings", "Lines end with LF.", "Use LF line ends; `incidents fmt` converts them."),
    Rule("final-newline", "The last line ends with a line break.",
         "End the file with one line break; `incidents fmt` adds it."),
    Rule("delimiter", "Cells are separated by commas.",
         "Separate columns with commas, not semicolons or tabs."),
    Rule("csv-syntax", "Quoted cells are closed.",
         "Check the quotes on this line: a quoted cell must end with a quote."),
    Rule("row-length", "Every row has one cell per header column.",
         "Each row needs exactly one cell per header column; check for stray commas."),
    Rule("no-rows", "A table has rows below its header.", "Add at least one row below the header."),
    Rule("column-missing", "The header holds every column of the schema.",
         "Add the column to the header, even if its cells are empty."),
    Rule("column-unknown", "The header holds only columns of the schema.",
         "Remove the column or rename it to one the schema knows."),
    Rule("column-duplicate", "No column name appears twice.",
         "Each column name may appear once in the header."),
    Rule("column-order", "Columns are in the schema's order.",
         "Order the columns as the schema does; `incidents fmt` reorders them."),
    Rule("canonical-form", "Files are in the form `incidents fmt` writes.",
         "Run `incidents fmt` to rewrite the file in canonical form."),
    # the fields (types, then the models' checks run by pandera)
    Rule("required", "Required fields are filled.", "Fill in this cell; the field is required."),
    Rule("type", "Values are written in the field's type (integers in plain decimal form).",
         "Write the value in the field's type (integer without leading zeros, number, "
         "YYYY-MM-DD date, true/false)."),
    Rule("date-real", "Dates exist on the calendar and within the years 1678 to 2261.",
         "Use a date that exists on the calendar, as YYYY-MM-DD."),
    Rule("enum", "Coded fields hold one of their codes.",
         "Use one of the codes listed in the codebook for this field."),
    Rule("pattern", "Values have the form the field's pattern gives.",
         "Write the value in the form the codebook gives for this field."),
    Rule("minimum", "Values are not below the field's minimum.",
         "Figures are counts: whole numbers, zero or more."),
    Rule("maximum", "Values are not above the field's maximum.",
         "The value is above the field's maximum."),
    Rule("max-length", "Text is not longer than the field's limit.",
         "Shorten the cell; put long explanations in a note."),
    Rule("unique", "Identifiers (primary keys) are unique.",
         "Identifiers are unique: give this row a new id."),
    Rule("country-code", "country is an ISO 3166-1 alpha-3 code.",
         "Use an ISO 3166-1 alpha-3 country code, such as SYR."),
    Rule("language-code", "language is an ISO 639-1 code.",
         "Use an ISO 639-1 language code, such as en or ar."),
    Rule("no-formula-prefix", "No text cell opens with = + - @ (spreadsheet formula injection).",
         "Start the cell with another character (spreadsheets run = + - @)."),
    Rule("no-control-characters", "No cell holds a control character (tabs, line breaks, NUL ...).",
         "Remove tabs, line breaks and other control characters."),
    Rule("hidden-characters",
         "No free text holds bidi controls (U+202A-U+202E, U+2066-U+2069), line or paragraph "
         "separators (U+2028, U+2029), NEXT LINE (U+0085) or zero-width characters; an error, "
         "a warning in text copied from a page (quote, quote_en, title, vague_term).",
         "Remove the invisible character (the value shows it escaped), unless the source has it."),
    # between fields and tables
    Rule("foreign-key", "Every foreign key resolves.",
         "Use an id that exists in the referenced table, or add that row there.",
         check=_foreign_keys),
    Rule("low-best-high", "low <= best <= high wherever both are given.",
         "Check the figures: low <= best <= high.", check=_low_best_high),
    Rule("qualifier-fields", "low, best and high are filled as the qualifier's rule says.",
         "Fill low, best and high as the codebook's rule for this qualifier says.",
         check=_qualifier_fields),
    Rule("vague-term", "A vague qualifier keeps the source's word in vague_term, and only then.",
         "Keep the source's own vague word in vague_term when the qualifier is vague.",
         check=_vague_term),
    Rule("date-not-future", "Dates are not after today.",
         "Dates cannot be after today; check the year.", check=_date_not_future),
    Rule("date-order", "date_end is not before date; claimed_on is not before the incident's date.",
         "The end date, or the date of a statement, cannot precede the incident's date.",
         check=_date_order),
    Rule("precision-needs-end", "week, month or year precision gives date_end.",
         "Give the last possible day in date_end, as the codebook says for date_precision.",
         check=_precision_needs_end),
    Rule("coordinates-pair", "latitude and longitude are given both or neither.",
         "Give latitude and longitude together, or neither.", check=_coordinates_pair),
    Rule("coordinates-precision",
         "Coordinates go with site, settlement or nearby_settlement precision and a "
         "coordinates_source.",
         "Say what the coordinates stand for and where they come from.",
         check=_coordinates_precision),
    Rule("coordinates-in-country", "Coordinates fall inside the country's bounding box.",
         "Check the coordinates (latitude first) and the country code.",
         check=_coordinates_in_country),
    Rule("nearby-not-settlement",
         "Warning: settlement precision whose coordinates_source names a place that is not in "
         "location.",
         "Use nearby_settlement when the coordinates are a neighbouring place's.",
         severity="warning", check=_nearby_not_settlement),
    Rule("admin1-code", "admin1 is an ISO 3166-2 code of that country.",
         "Use an ISO 3166-2 code of the incident's country, such as SY-DY.", check=_admin1_code),
    Rule("disputed-consistent",
         "An incident is disputed when claims from different sides (side unknown is no side) "
         "give non-overlapping figures for the same measure and victims, or a claim denies or "
         "disputes.",
         "Set disputed to true and say what is disputed in `dispute` (figures, attribution, "
         "circumstances or occurrence).", check=_disputed_consistent),
    Rule("dispute-required",
         "A disputed incident says what is disputed; an undisputed one does not.",
         "A disputed incident says what is disputed; an undisputed one leaves it empty.",
         check=_dispute_required),
    Rule("accused-zero-denies",
         "A claimant on the perpetrator's side stating zero victims (every figure given is 0) "
         "has stance denies.",
         "Code the claim as `denies`: the accused party says its attack hurt no one.",
         check=_accused_zero_denies),
    Rule("incident-has-claim", "Every incident has at least one claim.",
         "Add at least one claim for the incident, with its source and quote.",
         check=_incident_has_claim),
    Rule("related-exists",
         "Every id in related is another incident, which lists this one back.",
         "Fix the id, or add this incident to the other's related.", check=_related_exists),
    Rule("duplicate-claim", "The same claim (all fields but claim_id) is not entered twice.",
         "Remove the repeated claim; one row per figure per statement.", check=_duplicate_claim),
    Rule("claim-id-prefix", "A claim_id starts with its incident_id.",
         "Start the claim_id with its incident_id, then -C and a number.",
         check=_claim_id_prefix),
    Rule("quote-translation", "A quote from a source not in English has an English quote_en.",
         "Add your English translation of the quote in quote_en.", check=_quote_translation),
    Rule("url-note", "A source with no url has a note saying why.",
         "Give the page's address, or a note saying why none is known.", check=_url_note),
    Rule("original-url-needs-publisher", "A source with original_url names original_publisher.",
         "Say who published the original in original_publisher.",
         check=_original_url_needs_publisher),
    Rule("likely-duplicate-incident",
         "Warning: two incidents with the same perpetrator and admin1, dated within a day.",
         "Check whether the two rows are one incident; merge them if so.",
         severity="warning", check=_likely_duplicate),
    # the descriptor
    Rule("datapackage-missing", "The package has a datapackage.json.",
         "Run `incidents build` to generate datapackage.json."),
    Rule("datapackage-malformed", "datapackage.json is a readable JSON descriptor.",
         "Run `incidents build` to regenerate datapackage.json."),
    Rule("datapackage-stale", "datapackage.json is in step with the files and the schema.",
         "Run `incidents build` to bring datapackage.json in step with the files."),
)

#: Columns of the flat per-incident view that ``incidents.load()`` returns, in order.
FLAT_VIEW: dict[str, str] = {
    "incident_id": "As in incidents.",
    "date": "As in incidents.",
    "date_end": "As in incidents.",
    "date_precision": "As in incidents.",
    "country": "As in incidents.",
    "admin1": "As in incidents.",
    "location": "As in incidents.",
    "latitude": "As in incidents.",
    "longitude": "As in incidents.",
    "perpetrator": "Name of the actor the incident is attributed to.",
    "perpetrator_side": "Side of that actor.",
    "target": "Name of the actor targeted, if known.",
    "incident_type": "As in incidents.",
    "summary": "As in incidents.",
    "killed_low": (
        "Smallest figure any claim states for people killed (low, best or high; claims about "
        "children only are left out, as they count a subset)."
    ),
    "killed_high": "Largest figure any claim states for people killed (same claims).",
    "injured_low": "Smallest figure any claim states for people injured.",
    "injured_high": "Largest figure any claim states for people injured.",
    "claims": "Number of claims about the incident.",
    "sources": "Number of distinct sources behind those claims.",
    "publishers": "The distinct publishers of those sources, sorted, joined by '; '.",
    "sides": "The distinct sides of the claimants, sorted, joined by '; '.",
    "disputed": "As in incidents.",
    "dispute": "As in incidents.",
}
