"""The code lists of the data contract, each code with its definition.

Defined once here and imported by the schema, the loader, the validator and the charts. This
module imports nothing, so anything may use it without slowing ``incidents.load()``.
"""

from __future__ import annotations

#: The tables of a package, in the order they are checked and documented.
TABLES: tuple[str, ...] = ("incidents", "claims", "sources", "actors", "links")

DISPUTE_CODES = {
    "figures": "The parties give figures that cannot all be true (non-overlapping ranges).",
    "attribution": "The parties disagree about who carried the incident out.",
    "circumstances": (
        "The parties agree it happened but not how or why (deliberate or error, who fired "
        "first, what was hit)."
    ),
    "occurrence": "A party denies that the incident happened at all.",
}

DATE_PRECISION = {
    "day": "The day is known; `date` is that day.",
    "week": "Only the week is known; `date` is its first possible day, `date_end` its last.",
    "month": "Only the month is known; `date` is its first day, `date_end` its last.",
    "year": "Only the year is known; `date` is 1 January, `date_end` 31 December.",
}
LOCATION_PRECISION = {
    "site": "Coordinates of the struck site itself, as a source gives them.",
    "settlement": (
        "Coordinates of the named town or village (GeoNames); the incident happened in or "
        "near it."
    ),
    "nearby_settlement": (
        "Coordinates of a neighbouring town or village (GeoNames), named in "
        "`coordinates_source`; the incident's own place is not in the gazetteer."
    ),
    "admin1": "Only the province is known; no coordinates are given.",
    "country": "Only the country is known; no coordinates are given.",
}
INCIDENT_TYPE = {
    "airstrike": "Bombs or missiles delivered by aircraft or drones.",
    "missile_strike": "Cruise or ballistic missiles launched from ships, aircraft or ground.",
    "shelling": "Artillery, mortar or rocket fire from the ground.",
    "chemical_attack": "Release of a toxic chemical (sarin, chlorine ...) as a weapon.",
    "ground_assault": "An attack by ground forces, including raids and infiltrations.",
    "bombing": "An improvised explosive device, car bomb or suicide attack.",
    "shootdown": "An aircraft brought down by another party.",
    "execution": "The killing of people in a party's custody.",
    "other": "None of the above; the summary says what happened.",
}
MEASURE = {
    "killed": "People killed.",
    "injured": "People injured or wounded.",
    "casualties": "Killed and injured together, not separated by the claimant.",
    "missing": "People missing.",
    "captured": "People captured, detained or taken prisoner.",
    "eliminated": (
        "Put out of action in the claimant's words ('eliminated', 'neutralised'): killed, "
        "captured or wounded not distinguished."
    ),
    "destroyed": "Objects destroyed (weapons, vehicles, buildings); victims is `materiel`.",
    "damaged": "Objects damaged; victims is `materiel`.",
    "displaced": "People forced from their homes.",
}
VICTIMS = {
    "civilians": "Civilians (non-combatants).",
    "children": "Children, counted apart by the claimant.",
    "armed_forces": "Members of state armed forces (Syrian army, US forces ...).",
    "armed_group": "Fighters of non-state armed groups (IS, SDF, rebels, militias, contractors).",
    "combatants": "Fighters, state and non-state not separated.",
    "all": "Everyone, civilians and fighters together ('people').",
    "unknown": "The claimant does not say who.",
    "materiel": "Weapons, vehicles, aircraft or buildings, not people.",
}
QUALIFIER = {
    "exact": "A plain number ('62 killed'): low = best = high = the number.",
    "about": "'about', 'around', 'nearly', 'some' N: best = N; low and high empty.",
    "at_least": "'at least' N: low = N; best and high empty.",
    "more_than": "'more than', 'over' N: low = N (an exclusive bound); best and high empty.",
    "up_to": "'up to', 'as many as' N: high = N; low and best empty.",
    "fewer_than": "'fewer than', 'less than' N: high = N (an exclusive bound).",
    "range": "'between A and B', 'A-B': low = A, high = B; best only if also stated.",
    "vague": (
        "A word, not a number, kept in `vague_term`. The plural of a round number gives only a "
        "floor of two of it: 'dozens' low = 24, 'hundreds' low = 200, 'thousands' low = 2000; "
        "'several', 'many', 'a number of' leave low, best and high empty. Never a midpoint."
    ),
    "unquantified": (
        "The claim gives no figure ('causing casualties', a denial that it happened): "
        "low, best and high empty."
    ),
}
STANCE = {
    "asserts": "States the figure as fact.",
    "denies": "Says it did not happen, caused no casualties, or was not the claimant's doing.",
    "disputes": "Says another party's figure or account is false or exaggerated.",
    "concedes": "The accused party acknowledges casualties it caused.",
    "revises": "The claimant replaces an earlier figure of its own.",
}
SOURCE_TYPE = {
    "wire": "A news agency (Reuters, AP, AFP, Xinhua ...).",
    "newspaper": "A newspaper, in print or online.",
    "broadcaster": "A television or radio broadcaster and its website.",
    "magazine": "A magazine or long-form outlet.",
    "online_news": "A news site with no print or broadcast edition.",
    "state_media": "A news outlet owned or run by a state party to the conflict (see `owner`).",
    "government": "A statement or page of a government or armed force.",
    "ngo": "A non-governmental organisation or monitor.",
    "international_body": "The UN, the OPCW or another intergovernmental body.",
    "blog": "A personal or group blog or aggregator.",
}
SIDE = {
    "us_led_coalition": "The US-led coalition against IS and the states that form it.",
    "syrian_government": "The Syrian government, its forces and allied militias.",
    "russia": "The Russian state and its forces.",
    "iran": "The Iranian state and the forces it directs.",
    "iraq": (
        "The Iraqi state and forces under its command, the Popular Mobilization Forces "
        "included."
    ),
    "sdf": "The Syrian Democratic Forces and their components.",
    "syrian_opposition": (
        "The armed opposition and the civil bodies of opposition-held areas (local councils, "
        "civil defence)."
    ),
    "islamic_state": "The Islamic State group.",
    "turkey": "The Turkish state and the Syrian factions it backs.",
    "israel": "The Israeli state.",
    "other_state": (
        "A state that is not a party to the incident, and its state media (China and Xinhua, "
        "Cuba and Prensa Latina ...)."
    ),
    "independent": (
        "Monitors, news organisations, NGOs and international bodies party to no side."
    ),
    "unknown": "The speaker is unnamed or unidentified: counted on no side, not as independent.",
}
ACTOR_TYPE = {
    "government": "A government, ministry or head of state.",
    "armed_forces": "A state's armed forces or defence ministry.",
    "coalition": "A multinational military coalition.",
    "armed_group": "A non-state armed group.",
    "state_media": "A news outlet speaking for a state.",
    "news_organisation": "A news organisation asserting a figure in its own voice.",
    "monitor": "An organisation that counts casualties (SOHR, Airwars ...).",
    "ngo": "A non-governmental organisation (medical, rescue, human rights).",
    "international_body": "The UN, the OPCW or another intergovernmental body.",
    "individual": "A named person speaking for no organisation.",
    "unknown": "Not known.",
}

LINK_DATASET = {
    "airwars": "Airwars' incident archive; external_id is its incident code (CS1210, R4317).",
    "ucdp_ged": "UCDP Georeferenced Event Dataset; external_id is its event id.",
    "acled": "Armed Conflict Location & Event Data; external_id is its event id.",
}
AIRWARS_GRADE = {
    "confirmed": "Airwars: a belligerent has accepted responsibility for civilian harm.",
    "fair": "Airwars: reported by two or more credible sources, with likely or confirmed "
            "near actions by a belligerent.",
    "weak": "Airwars: single-source claim, though sometimes featuring significant information.",
    "contested": "Airwars: competing claims of responsibility.",
    "discounted": "Airwars: the claim was assessed as not credible or attributed elsewhere.",
}
