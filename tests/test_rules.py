"""Every rule of the registry fires on a row that breaks it alone, and names it.

Each case adds fresh rows (a new incident with its own claim, a new source) to a copy of the
bundled package, so nothing else in the data changes; the report must then hold exactly the
rule broken (plus the warnings the bundled data already carries).
"""

import pytest

from incidents import schema
from tests.conftest import check, read_rows, write_rows
from tests.test_validate_cells import CELL_CASES
from tests.test_validate_files import FILE_RULES

NEW = "SYR-2019-9000"


def _row(rows, values):
    header = rows[0]
    row = [""] * len(header)
    for key, value in values.items():
        row[header.index(key)] = value
    return row


def add_incident(pkg, incident_id=NEW, claim=True, **values):
    rows = read_rows(pkg, "incidents")
    base = {"incident_id": incident_id, "date": "2019-03-01", "date_precision": "day",
            "country": "SYR", "admin1": "", "location": "Somewhere", "latitude": "",
            "longitude": "", "location_precision": "country", "coordinates_source": "",
            "perpetrator": "us-led-coalition", "target": "", "incident_type": "airstrike",
            "summary": "A strike.", "disputed": "false", "dispute": ""}
    rows.append(_row(rows, {**base, **values}))
    rows[1:] = sorted(rows[1:], key=lambda r: r[0])
    write_rows(pkg, "incidents", rows)
    if claim:
        add_claim(pkg, incident_id)


def add_claim(pkg, incident_id=NEW, number=1, **values):
    rows = read_rows(pkg, "claims")
    base = {"claim_id": f"{incident_id}-C{number:02d}", "incident_id": incident_id,
            "source_id": _english_source(pkg), "claimant": "sohr", "measure": "killed",
            "victims": "civilians", "low": "3", "best": "3", "high": "3",
            "qualifier": "exact", "stance": "asserts", "quote": f"Three killed ({number})."}
    rows.append(_row(rows, {**base, **values}))
    rows[1:] = sorted(rows[1:], key=lambda r: r[0])
    write_rows(pkg, "claims", rows)


def _english_source(pkg):
    rows = read_rows(pkg, "sources")
    language = rows[0].index("language")
    return next(r[0] for r in rows[1:] if r[language] == "en")


def add_source(pkg, **values):
    rows = read_rows(pkg, "sources")
    base = {"source_id": "zz-test-source", "publisher": "Test", "url": "https://example.org/a",
            "language": "en", "source_type": "newspaper"}
    rows.append(_row(rows, {**base, **values}))
    rows[1:] = sorted(rows[1:], key=lambda r: r[0])
    write_rows(pkg, "sources", rows)


def _claim_from_foreign_source(pkg):
    sources = read_rows(pkg, "sources")
    language = sources[0].index("language")
    foreign = next(r[0] for r in sources[1:] if r[language] not in ("en", ""))
    add_incident(pkg, claim=False)
    add_claim(pkg, source_id=foreign, quote_en="")


def _duplicate_claim(pkg):
    add_incident(pkg)
    add_claim(pkg, number=2, quote="Three killed (1).")


def _likely_duplicate(pkg):
    add_incident(pkg, admin1="SY-DY")
    add_incident(pkg, "SYR-2019-9001", admin1="SY-DY", date="2019-03-02")


def _related_one_way(pkg):
    add_incident(pkg, related="SYR-2019-9001")
    add_incident(pkg, "SYR-2019-9001", date="2019-06-01")


CASES = {
    "foreign-key": lambda p: (add_incident(p, claim=False), add_claim(p, claimant="nobody")),
    "low-best-high": lambda p: (add_incident(p, claim=False),
                                add_claim(p, qualifier="range", low="10", best="", high="5")),
    "qualifier-fields": lambda p: (add_incident(p, claim=False), add_claim(p, best="")),
    "vague-term": lambda p: (add_incident(p, claim=False), add_claim(
        p, qualifier="at_least", low="5", best="", high="", vague_term="dozens")),
    "date-not-future": lambda p: add_incident(p, date="2030-01-01"),
    "date-order": lambda p: add_incident(p, date_end="2019-02-01"),
    "precision-needs-end": lambda p: add_incident(p, date_precision="week"),
    "coordinates-pair": lambda p: add_incident(p, latitude="35.1"),
    "coordinates-precision": lambda p: add_incident(
        p, latitude="35.1", longitude="38.9", location_precision="admin1",
        coordinates_source="GeoNames: Somewhere"),
    "coordinates-in-country": lambda p: add_incident(
        p, latitude="10.5", longitude="38.9", location_precision="site",
        coordinates_source="GeoNames: Somewhere"),
    "nearby-not-settlement": lambda p: add_incident(
        p, latitude="35.1", longitude="38.9", location_precision="settlement",
        coordinates_source="GeoNames cities1000: Elsewhere"),
    "admin1-code": lambda p: add_incident(p, admin1="SY-ZZ"),
    "disputed-consistent": lambda p: (add_incident(p, claim=False), add_claim(
        p, stance="disputes", qualifier="unquantified", low="", best="", high="")),
    "dispute-required": lambda p: add_incident(p, disputed="true"),
    "accused-zero-denies": lambda p: (add_incident(p, claim=False), add_claim(
        p, claimant="us-military", low="0", best="0", high="0")),
    "incident-has-claim": lambda p: add_incident(p, claim=False),
    "related-exists": _related_one_way,
    "duplicate-claim": _duplicate_claim,
    "claim-id-prefix": lambda p: (add_incident(p, claim=False),
                                  add_claim(p, claim_id="SYR-2019-9999-C01")),
    "quote-translation": _claim_from_foreign_source,
    "url-note": lambda p: add_source(p, url=""),
    "original-url-needs-publisher": lambda p: add_source(
        p, original_url="https://example.org/original"),
    "likely-duplicate-incident": _likely_duplicate,
}


def test_every_rule_has_a_case():
    checked = {name for name, rule in schema.RULES.items() if rule.check is not None}
    assert checked == set(CASES)


#: Rules whose tests live elsewhere: the rule, then the test.
ELSEWHERE = {"unique": "test_validate_cells.py::test_duplicate_id",
             "unsafe-path": "test_hostile.py::test_refusal_keeps_the_report_format"}


def test_every_rule_is_tested_somewhere():
    covered = set(CASES) | {case[3] for case in CELL_CASES} | set(FILE_RULES) | set(ELSEWHERE)
    assert set(schema.RULES) <= covered, sorted(set(schema.RULES) - covered)


def _baseline(package):
    return {(p.rule, p.line) for p in check(package).problems}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_alone(package, rule):
    before = _baseline(package)
    CASES[rule](package)
    report = check(package)
    new = [p for p in report.problems if (p.rule, p.line) not in before]
    assert {p.rule for p in new} == {rule}, report.to_text()
    assert all(p.severity == schema.RULES[rule].severity for p in new)
    assert all(p.file.startswith("data/") and p.line for p in new)
    assert all(p.hint == schema.RULES[rule].hint for p in new)
