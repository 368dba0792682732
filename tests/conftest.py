import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from incidents._paths import bundled_root
from incidents.datapackage import write_descriptor
from incidents.validate.package import validate_package

TODAY = date(2026, 1, 1)


def copy_package(dest: Path) -> Path:
    src = bundled_root()
    (dest / "data").mkdir(parents=True)
    shutil.copyfile(src / "datapackage.json", dest / "datapackage.json")
    for csv_file in (src / "data").glob("*.csv"):
        shutil.copyfile(csv_file, dest / "data" / csv_file.name)
    return dest


@pytest.fixture
def package(tmp_path) -> Path:
    """A writable copy of the bundled data package."""
    return copy_package(tmp_path / "pkg")


def read_rows(pkg: Path, table: str) -> list[list[str]]:
    with open(pkg / "data" / f"{table}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(pkg: Path, table: str, rows: list[list[str]], rebuild: bool = True) -> None:
    with open(pkg / "data" / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    if rebuild:
        write_descriptor(pkg)


def set_cell(pkg: Path, table: str, row: int, column: str, value: str) -> int:
    """Set one cell (row counts data rows from 0); return the CSV line number it is on."""
    rows = read_rows(pkg, table)
    rows[row + 1][rows[0].index(column)] = value
    write_rows(pkg, table, rows)
    return row + 2


def get_cell(pkg: Path, table: str, row: int, column: str) -> str:
    rows = read_rows(pkg, table)
    return rows[row + 1][rows[0].index(column)]


def check(pkg: Path):
    return validate_package(pkg, today=TODAY)


def rules(report) -> set[str]:
    return {p.rule for p in report.errors}


def find(report, rule: str):
    hits = [p for p in report.problems if p.rule == rule]
    assert hits, f"no {rule!r} problem in:\n{report.to_text()}"
    return hits[0]
