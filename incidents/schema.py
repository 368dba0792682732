"""The data contract: one pandera ``DataFrameModel`` per table.

This module is the single source of truth for the four tables. Every field carries a
description; every coded value carries a definition; primary and foreign keys live in each
model's ``Config.metadata``. ``datapackage.json`` (and through it the loader's types, the
validator's per-field rules and the README codebook) is generated from here by
``incidents build``.

The models describe the *typed* frames that :func:`incidents.load` returns, so a loaded table
can be checked with pandera directly::

    from incidents import schema, load
    schema.Claims.validate(load("claims"))

Importing this module imports pandera, which is slow; the loader never does.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from incidents.vocab import (
    ACTOR_TYPE,
    DATE_PRECISION,
    DISPUTE_CODES,
    INCIDENT_TYPE,
    LOCATION_PRECISION,
    MEASURE,
    QUALIFIER,
    SIDE,
    SOURCE_TYPE,
    STANCE,
    VICTIMS,
)

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
INCIDENT_ID = r"^[A-Z]{3}-[0-9]{4}-[0-9]{4}$"
CLAIM_ID = r"^[A-Z]{3}-[0-9]{4}-[0-9]{4}-C[0-9]{2,3}$"
_DISPUTE_ALT = "|".join(DISPUTE_CODES)
DISPUTE = rf"^(?:{_DISPUTE_ALT})(?:;(?:{_DISPUTE_ALT}))*$"


def _codes(codes: dict[str, str]) -> dict:
    """Field keyword arguments for a coded column: an ordered categorical of the codes."""
    return {
        "dtype_kwargs": {"categories": list(codes), "ordered": True},
        "metadata": {"codes": codes},
    }


Category = pd.CategoricalDtype


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
        str_matches=r"^[A-Z]{3}$", description="Country, ISO 3166-1 alpha-3 code.",
    )
    admin1: Series[str] = pa.Field(
        nullable=True, str_matches=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        description="First-level administrative area, ISO 3166-2 code.",
    )
    location: Series[str] = pa.Field(
        str_length={"max_value": 200}, description="The place as sources report it.",
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
        nullable=True, str_length={"max_value": 200},
        description=(
            "Where the coordinates come from (a source_id, or the gazetteer and place name)."
        ),
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
        str_length={"max_value": 500},
        description="One neutral sentence; the parties' own words appear only in quotation marks.",
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
    note: Series[str] = pa.Field(
        nullable=True, str_length={"max_value": 2000},
        description="Curators' notes: conflicting dates or places and how they were settled.",
    )

    class Config:
        name = "incidents"
        title = "Incidents"
        strict = True
        metadata = {
            "primary_key": "incident_id",
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
        nullable=True, str_length={"max_value": 60},
        description="The source's own word for a vague amount ('dozens', 'hundreds').",
    )
    stance: Series[Category] = pa.Field(
        description="What the statement does with the figure.", **_codes(STANCE)
    )
    quote: Series[str] = pa.Field(
        str_length={"max_value": 1000},
        description="Words copied exactly from the source that carry the figure.",
    )
    quote_en: Series[str] = pa.Field(
        nullable=True, str_length={"max_value": 1000},
        description="English translation of `quote` when the source is not in English.",
    )
    claimed_on: Series[pa.DateTime] = pa.Field(
        nullable=True, description="Date of the statement, when the source gives it.",
    )
    note: Series[str] = pa.Field(
        nullable=True, str_length={"max_value": 2000},
        description="Curators' notes, e.g. what the source got wrong.",
    )

    class Config:
        name = "claims"
        title = "Claims"
        strict = True
        metadata = {
            "primary_key": "claim_id",
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
    publisher: Series[str] = pa.Field(
        str_length={"max_value": 120}, description="Who published the page.",
    )
    title: Series[str] = pa.Field(
        nullable=True, str_length={"max_value": 300}, description="The page's headline.",
    )
    url: Series[str] = pa.Field(
        nullable=True, str_matches=r"^https?://[^\s/$.?#][^\s]*$",
        str_length={"max_value": 500},
        description="Address of the page read (http or https); empty only with a note saying why.",
    )
    published: Series[pa.DateTime] = pa.Field(
        nullable=True, description="Publication date, when the page gives it.",
    )
    language: Series[str] = pa.Field(
        str_matches=r"^[a-z]{2}$", description="Language of the page, ISO 639-1 code.",
    )
    source_type: Series[Category] = pa.Field(
        description="What kind of publisher.", **_codes(SOURCE_TYPE)
    )
    owner: Series[str] = pa.Field(
        nullable=True, str_matches=SLUG,
        description="actor_id of the state or party that owns or funds the publisher.",
    )
    note: Series[str] = pa.Field(
        nullable=True, str_length={"max_value": 2000}, description="Curators' notes.",
    )

    class Config:
        name = "sources"
        title = "Sources"
        strict = True
        metadata = {
            "primary_key": "source_id",
            "foreign_keys": [
                {"fields": "owner", "resource": "actors", "reference": "actor_id"},
            ],
        }


class Actors(pa.DataFrameModel):
    """One row per party: perpetrators, targets, claimants and owners of publishers."""

    actor_id: Series[str] = pa.Field(
        unique=True, str_matches=SLUG, description="Stable identifier.",
    )
    name: Series[str] = pa.Field(str_length={"max_value": 200}, description="Full name.")
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
        nullable=True, str_length={"max_value": 2000}, description="Curators' notes.",
    )

    class Config:
        name = "actors"
        title = "Actors"
        strict = True
        metadata = {"primary_key": "actor_id", "foreign_keys": []}


#: The four tables, by name.
MODELS: dict[str, type[pa.DataFrameModel]] = {
    "incidents": Incidents,
    "claims": Claims,
    "sources": Sources,
    "actors": Actors,
}

#: Cross-table rules the validator enforces beyond per-field constraints.
RULES: dict[str, str] = {
    "low-best-high": "low <= best <= high wherever both are given.",
    "qualifier-fields": "low, best and high are filled as the qualifier's rule says.",
    "vague-term": "A vague qualifier keeps the source's word in vague_term, and only then.",
    "date-not-future": "Dates are not after today.",
    "date-order": "date_end is not before date; claimed_on is not before the incident's date.",
    "coordinates-pair": "latitude and longitude are given both or neither.",
    "coordinates-precision": (
        "Coordinates go with site or settlement precision and a coordinates_source."
    ),
    "coordinates-in-country": "Coordinates fall inside the country's bounding box.",
    "country-code": "country is an ISO 3166-1 alpha-3 code.",
    "admin1-code": "admin1 is an ISO 3166-2 code of that country.",
    "language-code": "language is an ISO 639-1 code.",
    "no-formula-prefix": "No text cell opens with = + - @ (spreadsheet formula injection).",
    "no-control-characters": "No cell holds a control character (tabs, line breaks, NUL ...).",
    "disputed-consistent": (
        "An incident is disputed when claims from different sides give non-overlapping figures "
        "for the same measure and victims, or a claim denies or disputes."
    ),
    "dispute-required": "A disputed incident says what is disputed; an undisputed one does not.",
    "incident-has-claim": "Every incident has at least one claim.",
    "duplicate-claim": "The same claim (all fields but claim_id) is not entered twice.",
    "claim-id-prefix": "A claim_id starts with its incident_id.",
    "quote-translation": "A quote from a source not in English has an English quote_en.",
    "url-note": "A source with no url has a note saying why.",
    "likely-duplicate-incident": (
        "Warning: two incidents with the same perpetrator and admin1, dated within a day."
    ),
}

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
