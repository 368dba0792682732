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
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow
import pyarrow.compute as pc
from pandera import extensions
from pandera.typing import Series

from incidents import table_rules as checks
from incidents.fmt import byte_rows
from incidents.table_rules import (  # the rules' tables and hits, reachable from here too
    Context,
    Hit,
    as_arrow,
    country_known,
    hit,
    language_known,
    per_value,
)
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


@extensions.register_check_method()
def no_formula_prefix(pandas_obj: pd.Series) -> pd.Series:
    """The cell does not open with = + - @ (spreadsheets would run it as a formula)."""
    values = as_arrow(pandas_obj)
    first = pc.fill_null(pc.is_in(pc.utf8_slice_codeunits(values, 0, 1),
                                  value_set=pyarrow.array(list("=+-@"))), False)
    return pd.Series(~first.to_numpy(zero_copy_only=False), index=pandas_obj.index)


def _is_control(data: np.ndarray) -> np.ndarray:
    return (data < 0x20) | (data == 0x7F)


@extensions.register_check_method()
def no_control_characters(pandas_obj: pd.Series) -> pd.Series:
    """The cell holds no control character (tab, line break, NUL, ESC, DEL ...)."""
    # a byte below 0x20 or 0x7F is that control character in UTF-8, never part of another
    return pd.Series(~byte_rows(as_arrow(pandas_obj), _is_control), index=pandas_obj.index)


def _may_hide(data: np.ndarray) -> np.ndarray:
    # the UTF-8 lead bytes of every hidden character: C2 (U+0085), E2 (U+200B to U+2069),
    # EF (U+FEFF)
    return (data == 0xC2) | (data == 0xE2) | (data == 0xEF)


@extensions.register_check_method(statistics=["severity"])
def no_hidden_characters(pandas_obj: pd.Series, *, severity: str) -> pd.Series:
    """The cell holds none of :data:`HIDDEN_CHARACTERS` (reported with ``severity``)."""
    values = as_arrow(pandas_obj)
    ok = ~byte_rows(values, _may_hide)
    maybe = np.flatnonzero(~ok)
    if len(maybe):  # the regex only on the few cells that may hold one
        found = pc.match_substring_regex(values.take(pyarrow.array(maybe)), _HIDDEN)
        ok[maybe] = ~pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    return pd.Series(ok, index=pandas_obj.index)


@extensions.register_check_method()
def iso_country(pandas_obj: pd.Series) -> pd.Series:
    """The code is an ISO 3166-1 alpha-3 country code."""
    return per_value(pandas_obj, country_known)


@extensions.register_check_method()
def iso_language(pandas_obj: pd.Series) -> pd.Series:
    """The code is an ISO 639-1 language code."""
    return per_value(pandas_obj, language_known)


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
# The registry of rules between fields and tables; their checks are in incidents.table_rules,
# but for the foreign keys, which read the models above.


@dataclass(frozen=True)
class Rule:
    """One rule of the contract: its name, what it says, what to do, and its check."""

    name: str
    text: str
    hint: str
    severity: str = "error"
    check: Callable[[Context], list[Hit]] | None = None


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
            hits += hit(table, dangling, column,
                        f"{column} refers to {_article(ref)} {ref} that {fk['resource']} "
                        "does not have")
    return hits


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.name: rule for rule in rules}


#: Every rule a problem can be reported under, with its text and hint. The rules with a
#: ``check`` run over the typed tables after pandera; the others are how the reader, the
#: type conversion and the models' field checks name what they find.
RULES: dict[str, Rule] = _rules(
    # reading the files
    Rule("file-missing", "Every table file exists and is a regular file in the package.",
         "Add the file, or restore it from the repository."),
    Rule("unsafe-path", "No file the package names leads out of it or is a link out, a "
         "device, a FIFO or a directory; a package with one is not read further.",
         "Use a relative path to a regular file inside the package directory "
         "(e.g. data/claims.csv)."),
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
         "Check the figures: low <= best <= high.", check=checks.low_best_high),
    Rule("qualifier-fields", "low, best and high are filled as the qualifier's rule says.",
         "Fill low, best and high as the codebook's rule for this qualifier says.",
         check=checks.qualifier_fields),
    Rule("vague-term", "A vague qualifier keeps the source's word in vague_term, and only then.",
         "Keep the source's own vague word in vague_term when the qualifier is vague.",
         check=checks.vague_term),
    Rule("date-not-future", "Dates are not after today.",
         "Dates cannot be after today; check the year.", check=checks.date_not_future),
    Rule("date-order", "date_end is not before date; claimed_on is not before the incident's date.",
         "The end date, or the date of a statement, cannot precede the incident's date.",
         check=checks.date_order),
    Rule("precision-needs-end", "week, month or year precision gives date_end.",
         "Give the last possible day in date_end, as the codebook says for date_precision.",
         check=checks.precision_needs_end),
    Rule("coordinates-pair", "latitude and longitude are given both or neither.",
         "Give latitude and longitude together, or neither.", check=checks.coordinates_pair),
    Rule("coordinates-precision",
         "Coordinates go with site, settlement or nearby_settlement precision and a "
         "coordinates_source.",
         "Say what the coordinates stand for and where they come from.",
         check=checks.coordinates_precision),
    Rule("coordinates-in-country", "Coordinates fall inside the country's bounding box.",
         "Check the coordinates (latitude first) and the country code.",
         check=checks.coordinates_in_country),
    Rule("nearby-not-settlement",
         "Warning: settlement precision whose coordinates_source names a place that is not in "
         "location.",
         "Use nearby_settlement when the coordinates are a neighbouring place's.",
         severity="warning", check=checks.nearby_not_settlement),
    Rule("admin1-code", "admin1 is an ISO 3166-2 code of that country.",
         "Use an ISO 3166-2 code of the incident's country, such as SY-DY.",
         check=checks.admin1_code),
    Rule("disputed-consistent",
         "An incident is disputed when claims from different sides (side unknown is no side) "
         "give non-overlapping figures for the same measure and victims, or a claim denies or "
         "disputes.",
         "Set disputed to true and say what is disputed in `dispute` (figures, attribution, "
         "circumstances or occurrence).", check=checks.disputed_consistent),
    Rule("dispute-required",
         "A disputed incident says what is disputed; an undisputed one does not.",
         "A disputed incident says what is disputed; an undisputed one leaves it empty.",
         check=checks.dispute_required),
    Rule("accused-zero-denies",
         "A claimant on the perpetrator's side stating zero victims (every figure given is 0) "
         "has stance denies.",
         "Code the claim as `denies`: the accused party says its attack hurt no one.",
         check=checks.accused_zero_denies),
    Rule("incident-has-claim", "Every incident has at least one claim.",
         "Add at least one claim for the incident, with its source and quote.",
         check=checks.incident_has_claim),
    Rule("related-exists",
         "Every id in related is another incident, which lists this one back.",
         "Fix the id, or add this incident to the other's related.", check=checks.related_exists),
    Rule("duplicate-claim", "The same claim (all fields but claim_id) is not entered twice.",
         "Remove the repeated claim; one row per figure per statement.",
         check=checks.duplicate_claim),
    Rule("claim-id-prefix", "A claim_id starts with its incident_id.",
         "Start the claim_id with its incident_id, then -C and a number.",
         check=checks.claim_id_prefix),
    Rule("quote-translation", "A quote from a source not in English has an English quote_en.",
         "Add your English translation of the quote in quote_en.", check=checks.quote_translation),
    Rule("url-note", "A source with no url has a note saying why.",
         "Give the page's address, or a note saying why none is known.", check=checks.url_note),
    Rule("original-url-needs-publisher", "A source with original_url names original_publisher.",
         "Say who published the original in original_publisher.",
         check=checks.original_url_needs_publisher),
    Rule("likely-duplicate-incident",
         "Warning: two incidents with the same perpetrator and admin1, dated within a day.",
         "Check whether the two rows are one incident; merge them if so.",
         severity="warning", check=checks.likely_duplicate),
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
