"""Every per-cell rule: a bad value in one cell is reported with file, line, column, value."""

import pytest

from tests.conftest import check, find, get_cell, read_rows, set_cell, write_rows

CELL_CASES = [
    # table, column, bad value, rule
    ("incidents", "incident_id", "SYR-19-1", "pattern"),
    ("incidents", "date", "2019-02-30", "date-real"),
    ("incidents", "date", "2019/02/02", "type"),
    ("incidents", "date", "2030-01-01", "date-not-future"),
    ("incidents", "date_end", "1999-01-01", "date-order"),
    ("incidents", "date_precision", "daily", "enum"),
    ("incidents", "country", "XYZ", "country-code"),
    ("incidents", "country", "SY", "pattern"),
    ("incidents", "admin1", "IQ-AN", "admin1-code"),
    ("incidents", "admin1", "SY-ZZ", "admin1-code"),
    ("incidents", "location", "", "required"),
    ("incidents", "latitude", "north", "type"),
    ("incidents", "latitude", "95", "maximum"),
    ("incidents", "longitude", "-181", "minimum"),
    ("incidents", "perpetrator", "nobody", "foreign-key"),
    ("incidents", "target", "nobody", "foreign-key"),
    ("incidents", "incident_type", "raid", "enum"),
    ("incidents", "summary", '=HYPERLINK("http://example.com")', "no-formula-prefix"),
    ("incidents", "summary", "+2 soldiers", "no-formula-prefix"),
    ("incidents", "summary", "-2 soldiers", "no-formula-prefix"),
    ("incidents", "summary", "@SUM(A1)", "no-formula-prefix"),
    ("incidents", "summary", "bell\x07here", "no-control-characters"),
    ("incidents", "summary", "\x00null", "no-control-characters"),
    ("incidents", "summary", "x" * 501, "max-length"),
    ("incidents", "disputed", "yes", "type"),
    ("incidents", "disputed", "", "required"),
    ("incidents", "dispute", "numbers", "pattern"),
    ("claims", "claim_id", "C1", "pattern"),
    ("claims", "incident_id", "SYR-2019-9999", "foreign-key"),
    ("claims", "source_id", "no-such-source", "foreign-key"),
    ("claims", "claimant", "no-such-actor", "foreign-key"),
    ("claims", "measure", "dead", "enum"),
    ("claims", "victims", "soldiers", "enum"),
    ("claims", "low", "-3", "minimum"),
    ("claims", "low", "2.5", "type"),
    ("claims", "best", "ten", "type"),
    ("claims", "high", "1e3", "type"),
    ("claims", "high", "99999999999999999999", "type"),
    ("claims", "qualifier", "roughly", "enum"),
    ("claims", "stance", "claims", "enum"),
    ("claims", "quote", "", "required"),
    ("claims", "quote", "x" * 1001, "max-length"),
    ("claims", "claimed_on", "1990-01-01", "date-order"),
    ("claims", "claimed_on", "2019-13-01", "date-real"),
    ("sources", "source_id", "Bad ID", "pattern"),
    ("sources", "url", "ftp://example.com/file", "pattern"),
    ("sources", "url", "javascript:alert(1)", "pattern"),
    ("sources", "url", "http://", "pattern"),
    ("sources", "url", "https://exa mple.com", "pattern"),
    ("sources", "published", "2030-05-05", "date-not-future"),
    ("sources", "language", "english", "pattern"),
    ("sources", "language", "qq", "language-code"),
    ("sources", "source_type", "tweet", "enum"),
    ("sources", "owner", "nobody", "foreign-key"),
    ("sources", "publisher", "", "required"),
    ("actors", "side", "neutral", "enum"),
    ("actors", "actor_type", "militia", "enum"),
    ("actors", "name", "", "required"),
    ("incidents", "summary", "Quiet \u202e reversed", "hidden-characters"),
    ("incidents", "note", "zero\u200bwidth", "hidden-characters"),
    ("incidents", "location", "line\u2028separator", "hidden-characters"),
    ("incidents", "date", "1600-01-01", "date-real"),
    ("incidents", "related", "SYR-19", "pattern"),
    ("claims", "low", "0012", "type"),
    ("claims", "best", "-0", "type"),
    ("claims", "high", "+3", "type"),
    ("sources", "url", "https://example.org/a\xa0b", "pattern"),
    ("sources", "original_url", "ftp://example.org/x", "pattern"),
    ("sources", "original_publisher", "=cmd", "no-formula-prefix"),
]


@pytest.mark.parametrize(("table", "column", "value", "rule"), CELL_CASES,
                         ids=[f"{c[0]}.{c[1]}={c[3]}" for c in CELL_CASES])
def test_bad_cell_is_reported_where_it_is(package, table, column, value, rule):
    line = set_cell(package, table, 0, column, value)
    report = check(package)
    assert not report.ok
    hits = [p for p in report.errors if p.rule == rule]
    assert hits, f"expected {rule!r}:\n{report.to_text()}"
    hit = next((p for p in hits if p.line == line), hits[0])
    assert hit.file == f"data/{table}.csv"
    assert hit.line == line
    assert hit.column in (column, None) or rule in ("date-order",)
    if value and rule not in ("date-order",):
        assert hit.value == value


def test_bundled_data_is_valid(package):
    report = check(package)
    assert report.ok, report.to_text()


def test_coordinates_alone(package):
    rows = read_rows(package, "incidents")
    lat = rows[0].index("latitude")
    row = next(i for i, r in enumerate(rows[1:]) if r[lat])
    set_cell(package, "incidents", row, "longitude", "")
    assert find(check(package), "coordinates-pair").line == row + 2


def test_coordinates_outside_country(package):
    rows = read_rows(package, "incidents")
    lat = rows[0].index("latitude")
    row = next(i for i, r in enumerate(rows[1:]) if r[lat])
    set_cell(package, "incidents", row, "latitude", "10.5")
    assert find(check(package), "coordinates-in-country").line == row + 2


def test_low_above_high(package):
    rows = read_rows(package, "claims")
    q = rows[0].index("qualifier")
    row = next(i for i, r in enumerate(rows[1:]) if r[q] == "exact")
    best = int(get_cell(package, "claims", row, "best"))
    set_cell(package, "claims", row, "low", str(best + 5))
    report = check(package)
    problem = find(report, "low-best-high")
    assert problem.line == row + 2
    assert problem.column == "low"


@pytest.mark.parametrize(("qualifier", "low", "best", "high"), [
    ("exact", "1", "", "1"),
    ("about", "3", "4", ""),
    ("at_least", "", "5", ""),
    ("up_to", "4", "", "9"),
    ("unquantified", "", "3", ""),
    ("exact", "1", "2", "3"),
])
def test_qualifier_fills_the_figures_it_says(package, qualifier, low, best, high):
    for column, value in (("qualifier", qualifier), ("low", low), ("best", best),
                          ("high", high), ("vague_term", "")):
        set_cell(package, "claims", 0, column, value)
    assert find(check(package), "qualifier-fields").line == 2


def test_vague_needs_its_word(package):
    for column, value in (("qualifier", "vague"), ("low", "200"), ("best", ""), ("high", ""),
                          ("vague_term", "")):
        set_cell(package, "claims", 0, column, value)
    assert find(check(package), "vague-term").line == 2


def test_vague_word_only_with_vague(package):
    set_cell(package, "claims", 0, "vague_term", "dozens")
    report = check(package)
    if get_cell(package, "claims", 0, "qualifier") != "vague":
        assert find(report, "vague-term").value == "dozens"


def test_duplicate_id(package):
    first = get_cell(package, "claims", 0, "claim_id")
    set_cell(package, "claims", 1, "claim_id", first)
    problem = find(check(package), "unique")
    assert problem.value == first


def test_same_claim_entered_twice(package):
    rows = read_rows(package, "claims")
    copy = list(rows[1])
    cid = rows[0].index("claim_id")
    copy[cid] = copy[cid][:-3] + "C99"
    rows.insert(2, copy)
    rows[1:] = sorted(rows[1:], key=lambda r: r[cid])
    write_rows(package, "claims", rows)
    problem = find(check(package), "duplicate-claim")
    assert problem.column == "claim_id"


def test_claim_id_must_start_with_incident(package):
    value = get_cell(package, "claims", 0, "claim_id")
    set_cell(package, "claims", 0, "claim_id", "ZZZ" + value[3:])
    assert find(check(package), "claim-id-prefix").line == 2


def test_url_missing_needs_note(package):
    set_cell(package, "sources", 0, "url", "")
    set_cell(package, "sources", 0, "note", "")
    assert find(check(package), "url-note").line == 2


def test_url_missing_with_note_is_fine(package):
    set_cell(package, "sources", 0, "url", "")
    set_cell(package, "sources", 0, "note", "Printed edition only; no web address is known.")
    assert "url-note" not in {p.rule for p in check(package).errors}


def test_disputed_without_dispute(package):
    rows = read_rows(package, "incidents")
    d = rows[0].index("disputed")
    row = next(i for i, r in enumerate(rows[1:]) if r[d] == "true")
    set_cell(package, "incidents", row, "dispute", "")
    assert find(check(package), "dispute-required").line == row + 2


def test_denial_makes_an_incident_disputed(package):
    rows = read_rows(package, "claims")
    stance = rows[0].index("stance")
    row = next(i for i, r in enumerate(rows[1:]) if r[stance] in ("denies", "disputes"))
    incident = rows[row + 1][rows[0].index("incident_id")]
    inc_rows = read_rows(package, "incidents")
    inc_row = next(i for i, r in enumerate(inc_rows[1:]) if r[0] == incident)
    set_cell(package, "incidents", inc_row, "disputed", "false")
    set_cell(package, "incidents", inc_row, "dispute", "")
    problem = find(check(package), "disputed-consistent")
    assert problem.line == inc_row + 2
    assert "denies or disputes" in problem.message or "non-overlapping" in problem.message


def test_conflicting_figures_make_an_incident_disputed(package):
    """Two sides' exact figures that differ, on an incident marked undisputed."""
    inc = read_rows(package, "incidents")
    header = inc[0]
    new_id = "SYR-2019-9000"
    row = list(inc[1])
    row[header.index("incident_id")] = new_id
    row[header.index("disputed")] = "false"
    row[header.index("dispute")] = ""
    inc.append(row)
    write_rows(package, "incidents", inc)
    claims = read_rows(package, "claims")
    ch = claims[0]
    template = list(claims[1])

    def claim(n, claimant, figure):
        c = list(template)
        values = {"claim_id": f"{new_id}-C0{n}", "incident_id": new_id, "claimant": claimant,
                  "measure": "killed", "victims": "armed_forces", "low": figure,
                  "best": figure, "high": figure, "qualifier": "exact", "vague_term": "",
                  "stance": "asserts", "claimed_on": "", "quote": f"quote {n}"}
        for k, v in values.items():
            c[ch.index(k)] = v
        return c

    claims += [claim(1, "russian-military", "62"), claim(2, "us-military", "10")]
    write_rows(package, "claims", claims)
    problem = find(check(package), "disputed-consistent")
    assert problem.line == len(inc)
    assert "non-overlapping" in problem.message


def test_incident_without_claim(package):
    inc = read_rows(package, "incidents")
    row = list(inc[1])
    row[0] = "SYR-2019-9001"
    inc.append(row)
    write_rows(package, "incidents", inc)
    problem = find(check(package), "incident-has-claim")
    assert problem.line == len(inc)
    assert problem.value == "SYR-2019-9001"


def test_likely_duplicate_is_a_warning(package):
    inc = read_rows(package, "incidents")
    admin1 = inc[0].index("admin1")
    row = list(next(r for r in inc[1:] if r[admin1]))
    row[0] = "SYR-2019-9002"
    inc.append(row)
    write_rows(package, "incidents", inc)
    claims = read_rows(package, "claims")
    c = list(claims[1])
    c[0], c[1] = "SYR-2019-9002-C01", "SYR-2019-9002"
    claims.append(c)
    write_rows(package, "claims", claims)
    report = check(package)
    found = [p for p in report.problems if p.rule == "likely-duplicate-incident"]
    # the bundled data has pairs of its own to look at; the copy is one more
    assert [p.line for p in found if p.value == "SYR-2019-9002"] == [len(inc)]
    assert {p.severity for p in found} == {"warning"}


def test_foreign_quote_needs_translation(package):
    rows = read_rows(package, "claims")
    sources = read_rows(package, "sources")
    lang = sources[0].index("language")
    foreign = {r[0] for r in sources[1:] if r[lang] != "en"}
    src = rows[0].index("source_id")
    row = next(i for i, r in enumerate(rows[1:]) if r[src] in foreign)
    set_cell(package, "claims", row, "quote_en", "")
    problem = find(check(package), "quote-translation")
    assert (problem.line, problem.column) == (row + 2, "quote_en")


def test_unknown_language_is_reported_once_not_on_every_claim(package):
    sources = read_rows(package, "sources")
    lang = sources[0].index("language")
    row = next(i for i, r in enumerate(sources[1:]) if r[lang] != "en")
    set_cell(package, "sources", row, "language", "qq")
    report = check(package)
    assert find(report, "language-code").line == row + 2
    assert "quote-translation" not in {p.rule for p in report.errors}
