"""Whatever the validator accepts, the loader and the summary accept.

Mutations of the bundled package (a cell, a column, a row, the descriptor) go to the public
``incidents.validate``; for each one it accepts, every table and the flat view must load and
``incidents summary`` must succeed.
"""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import incidents
from incidents.cli import main
from incidents.datapackage import write_descriptor
from incidents.descriptor import PackageError
from incidents.summary import render_summary
from tests.conftest import TODAY, copy_package, read_rows, write_rows

TABLES = ["incidents", "claims", "sources", "actors"]
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# values chosen to sit at the edges of what a reader can represent
EDGE_VALUES = [
    "", "1600-01-01", "1677-09-21", "2262-04-12", "0001-01-01", "9999-12-31", "2020-02-30",
    "-0", "0012", "0", "-1", "9223372036854775808", "99999999999999999999", "1e3", "true",
    "false", "TRUE", "unknown", "all", "other", "SYR", "about", "at_least", " ", "\u202e",
    "x" * 300, "=1+1", "a\nb", "a,b", '"', "NaN", "inf", "null",
]

cell_value = st.one_of(st.sampled_from(EDGE_VALUES), st.text(max_size=20))


def accepted(pkg: Path) -> bool:
    try:
        report = incidents.validate(pkg, today=TODAY)
    except PackageError:
        return False
    return report.ok


def assert_loads(pkg: Path, capsys=None) -> None:
    for table in TABLES:
        incidents.load(table, root=pkg)
    flat = incidents.load(root=pkg)
    assert len(flat) == len(incidents.load("incidents", root=pkg))
    assert render_summary(pkg)
    assert main(["summary", str(pkg)]) == 0


@SETTINGS
@given(table=st.sampled_from(TABLES), row=st.integers(0, 10_000), column=st.integers(0, 40),
       value=cell_value)
def test_an_accepted_cell_change_loads(table, row, column, value):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp) / "pkg")
        rows = read_rows(pkg, table)
        rows[1 + row % (len(rows) - 1)][column % len(rows[0])] = value
        write_rows(pkg, table, rows)
        if accepted(pkg):
            assert_loads(pkg)


@SETTINGS
@given(table=st.sampled_from(TABLES), column=st.integers(0, 40),
       action=st.sampled_from(["drop-column", "drop-row", "repeat-row", "header-only"]),
       row=st.integers(0, 10_000))
def test_an_accepted_structural_change_loads(table, column, action, row):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp) / "pkg")
        rows = read_rows(pkg, table)
        k = column % len(rows[0])
        r = 1 + row % (len(rows) - 1)
        if action == "drop-column":
            rows = [line[:k] + line[k + 1:] for line in rows]
        elif action == "drop-row":
            del rows[r]
        elif action == "repeat-row":
            rows.insert(r, list(rows[r]))
        else:
            rows = rows[:1]
        write_rows(pkg, table, rows)
        if accepted(pkg):
            assert_loads(pkg)


@SETTINGS
@given(key=st.sampled_from(["views", "resources.path", "resources.schema", "name",
                            "resources.name", "profile"]),
       value=st.one_of(st.none(), st.sampled_from(["../x.csv", "data/claims.csv", [], {}, 3,
                                                   ["incidents"], "http://example.com/a.csv"])),
       index=st.integers(0, 3))
def test_an_accepted_descriptor_change_loads(key, value, index):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp) / "pkg")
        write_descriptor(pkg)
        path = pkg / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        if key.startswith("resources."):
            target = descriptor["resources"][index]
            field = key.split(".", 1)[1]
        else:
            target, field = descriptor, key
        if value is None:
            target.pop(field, None)
        else:
            target[field] = value
        path.write_text(json.dumps(descriptor), encoding="utf-8")
        if accepted(pkg):
            assert_loads(pkg)


def test_the_bundled_package_is_accepted_and_loads(package):
    # the properties above are worth something only if unchanged data is accepted
    assert accepted(package)
    assert_loads(package)


def test_a_date_the_loader_cannot_hold_is_not_accepted(package):
    from tests.conftest import set_cell

    set_cell(package, "sources", 0, "published", "1600-01-01")
    assert not accepted(package)
