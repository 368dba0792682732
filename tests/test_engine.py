"""The validator runs the pandera models: it agrees with them, and follows schema.py."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandera.pandas as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents import schema
from incidents.cli import main
from incidents.load import load_table
from tests.conftest import check, copy_package, read_rows, set_cell, write_rows

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
_RULE_OF_CHECK = {"not_nullable": "required", "str_matches": "pattern",
                  "str_length": "max-length", "greater_than_or_equal_to": "minimum",
                  "less_than_or_equal_to": "maximum", "field_uniqueness": "unique"}


def _text_and_integer_columns():
    out = []
    for table, model in schema.MODELS.items():
        if table == "links":
            continue  # no rows in the bundled data
        for name, column in model.to_schema().columns.items():
            if str(column.dtype) in ("Int64",) or str(column.dtype).startswith("str"):
                out.append((table, name, str(column.dtype)))
    return out


COLUMNS = _text_and_integer_columns()
# text that may break a pattern, a length, the text checks; never a line break, which the
# loader (one row per line) would read differently
HOSTILE = ["\x07", "\x1b", "\x7f", "\u202e", "\u2066", "\u200b", "\u2028", "\x85", "\xa0"]
texts = st.text(alphabet=st.sampled_from([*"aZ09-_ ,;=+@\"'é:/.", *HOSTILE]), max_size=12)


def _pandera_rules(table, root, row):
    frame = load_table(table, root)
    try:
        schema.MODELS[table].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        found = set()
        for column, check_text, index in zip(cases["column"], cases["check"], cases["index"],
                                             strict=True):
            if index is None or int(index) != row:
                continue
            name = str(check_text).split("(", 1)[0]
            rule = (schema.FIELD_CHECKS[name][0] if name in schema.FIELD_CHECKS
                    else _RULE_OF_CHECK.get(name, name))
            found.add((column, rule))
        return found
    return set()


@SETTINGS
@given(pick=st.sampled_from(COLUMNS), row=st.integers(0, 10_000), text=texts,
       number=st.integers(-5, 10**6))
def test_validate_and_the_pandera_model_agree(pick, row, text, number):
    table, column, dtype = pick
    pkg = copy_package(Path(tempfile.mkdtemp()) / "pkg")
    rows = read_rows(pkg, table)
    row = row % (len(rows) - 1)
    value = str(number) if dtype == "Int64" else text
    rows[row + 1][rows[0].index(column)] = value
    # keep the row where it sorts, so the key column's change moves no line
    write_rows(pkg, table, rows)
    line = row + 2
    fields = {(p.column, p.rule) for p in check(pkg).problems
              if p.line == line and p.file == f"data/{table}.csv"
              and p.rule in {*_RULE_OF_CHECK.values(),
                             *(r for r, _ in schema.FIELD_CHECKS.values())}}
    assert fields == _pandera_rules(table, pkg, row)


def test_validate_imports_pandera_and_rejects_a_no_break_space(package):
    set_cell(package, "sources", 0, "url", "https://example.org/a\xa0b")
    code = ("import sys; from incidents.validate.package import validate_package; "
            f"r = validate_package({str(package)!r}); "
            "print('pandera' in sys.modules, sorted({p.rule for p in r.errors}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "True ['pattern']"


def test_a_tightened_constraint_is_enforced(package, monkeypatch):
    """Change one model in schema.py (here: in memory) and the validator follows."""
    class Actors(schema.Actors):
        name: pa.typing.Series[str] = pa.Field(str_length={"max_value": 5})

        class Config(schema.Actors.Config):
            pass

    monkeypatch.setitem(schema.MODELS, "actors", Actors)
    found = {p.rule for p in check(package).errors if p.file == "data/actors.csv"}
    assert "max-length" in found


def test_a_dataframe_rule_added_to_the_registry_runs(package, monkeypatch):
    def no_airwars(ctx):
        actors = ctx.tables["actors"]
        return [schema.Hit("actors", (actors["actor_id"] == "airwars").to_numpy().nonzero()[0],
                           "actor_id", "airwars")]

    rule = schema.Rule("no-airwars", "No airwars.", "Remove it.", check=no_airwars)
    monkeypatch.setitem(schema.RULES, "no-airwars", rule)
    problem = next(p for p in check(package).problems if p.rule == "no-airwars")
    assert problem.hint == "Remove it." and problem.file == "data/actors.csv"


def test_load_does_not_import_pandera_and_schema_is_reachable():
    code = ("import sys, incidents; incidents.load(); a = 'pandera' in sys.modules; "
            "incidents.schema.Claims.validate(incidents.load('claims')); "
            "print(a, 'pandera' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False True", out.stderr


def test_public_validate_function_survives_the_subpackage_import(package):
    import incidents
    import incidents.validate.package

    assert callable(incidents.validate)
    assert incidents.validate(package, today=None).summary_line().endswith("warning(s)")


@pytest.mark.parametrize("value", ["\x1b[2Jerased", "evil\u202ereversed", "bell\x07"])
def test_values_are_escaped_in_every_format(package, capsys, value):
    set_cell(package, "actors", 0, "note", value)
    for fmt in ("text", "github", "json"):
        main(["validate", str(package), "--format", fmt])
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
        if fmt == "json":
            assert value in {p["value"] for p in json.loads(out)["problems"]}


def test_escape_in_a_header_name_is_escaped(package, capsys):
    rows = read_rows(package, "actors")
    rows = [[*r, "x"] for r in rows]
    rows[0][-1] = "\x1b[1Aname"
    write_rows(package, "actors", rows)
    main(["validate", str(package)])
    assert "\x1b" not in capsys.readouterr().out


@pytest.mark.parametrize("args", [["--max-examples", "-1"], ["--max-bytes", "0"]])
def test_numeric_options_are_range_checked(capsys, args):
    assert main(["validate", *args]) == 2
    assert args[0] in capsys.readouterr().err


@pytest.fixture
def broken(package):
    """The bundled data with a field problem in each kind of table and a broken rule."""
    set_cell(package, "sources", 0, "url", "https://example.org/a\xa0b")
    set_cell(package, "claims", 3, "best", "-4")
    set_cell(package, "claims", 5, "quote", "=HYPERLINK(1)")
    set_cell(package, "incidents", 2, "incident_id", "NOT-AN-ID")
    return package


@pytest.mark.skipif(sys.platform != "linux", reason="the models are forked on Linux only")
def test_the_models_run_in_a_child_as_they_run_inline(broken, monkeypatch):
    from incidents.validate import package as engine

    inline = check(broken).to_json()
    monkeypatch.setattr(engine, "FORK_ROWS", 0)
    forked = []
    original = engine._beside
    monkeypatch.setattr(engine, "_beside",
                        lambda work, fork: forked.append(fork) or original(work, fork))
    assert check(broken).to_json() == inline and forked == [True]
    found = {p.rule for p in check(broken).errors}
    assert {"pattern", "minimum", "no-formula-prefix", "foreign-key"} <= found


@pytest.mark.skipif(sys.platform != "linux", reason="the models are forked on Linux only")
def test_a_child_that_dies_leaves_the_work_to_the_parent(broken, monkeypatch):
    from incidents.validate import package as engine

    inline = check(broken).to_json()
    monkeypatch.setattr(engine, "FORK_ROWS", 0)
    monkeypatch.setattr(engine, "_send", lambda work, send: os._exit(9))
    assert check(broken).to_json() == inline


@pytest.mark.skipif(sys.platform != "linux", reason="the models are forked on Linux only")
def test_an_error_in_the_child_is_raised_in_the_parent(package, monkeypatch):
    from incidents.validate import package as engine

    parent, run = os.getpid(), engine.model_problems

    def fails(tables):
        if os.getpid() != parent:  # only in the child
            raise ValueError("model failed")
        return run(tables)

    monkeypatch.setattr(engine, "FORK_ROWS", 0)
    monkeypatch.setattr(engine, "model_problems", fails)
    with pytest.raises(ValueError, match="model failed"):
        check(package)


def test_no_fork_while_another_thread_of_the_caller_runs(package, monkeypatch):
    import threading

    from incidents.validate import package as engine

    monkeypatch.setattr(engine, "FORK_ROWS", 0)
    forked = []
    original = engine._beside
    monkeypatch.setattr(engine, "_beside",
                        lambda work, fork: forked.append(fork) or original(work, fork))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert check(package).ok
    finally:
        stop.set()
        other.join()
    assert forked == [False]
