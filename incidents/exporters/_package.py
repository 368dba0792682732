"""The tables an export writes: every resource the descriptor declares, then the flat view.

Read once through the loader, so every format starts from the same typed frames that
``incidents.load`` returns, and new tables or columns (links, related ...) appear in every
export as soon as the descriptor declares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from incidents._paths import bundled_root
from incidents.descriptor import read_descriptor
from incidents.load import flat_view, load_table

FLAT = "flat"


@dataclass
class Package:
    """A loaded data package: its descriptor and its typed frames by name.

    Attributes
    ----------
    descriptor : dict
        The parsed ``datapackage.json``.
    tables : dict of str to pandas.DataFrame
        Every resource in descriptor order, then ``"flat"``.
    """

    descriptor: dict
    tables: dict[str, pd.DataFrame]

    def resource(self, name: str) -> dict | None:
        """The descriptor's resource ``name`` (None for the flat view)."""
        for res in self.descriptor["resources"]:
            if res["name"] == name:
                return res
        return None

    def fields(self, name: str) -> list[dict]:
        """Field descriptors of table ``name``: the schema's, or the flat view's descriptions."""
        res = self.resource(name)
        if res is not None:
            return res["schema"]["fields"]
        return [{"name": col, "description": text}
                for col, text in self.descriptor["views"][FLAT].items()]

    def description(self, name: str) -> str:
        """What table ``name`` holds, as the descriptor says."""
        res = self.resource(name)
        if res is not None:
            return res.get("description", "")
        return "One row per incident: names, figure ranges, source counts (incidents.load())."

    def codes(self, table: str, column: str) -> dict[str, str]:
        """Code -> definition of a coded column (empty when the column is not coded)."""
        for field in self.fields(table):
            if field["name"] == column:
                return field.get("codes", {})
        return {}


def read_package(root: Path | None = None) -> Package:
    """Load every table of a data package and its flat view.

    Parameters
    ----------
    root : pathlib.Path, optional
        A data package directory (default: the bundled data).

    Returns
    -------
    Package
    """
    root = root if root is not None else bundled_root()
    descriptor = read_descriptor(root)
    tables = {res["name"]: load_table(res["name"], root) for res in descriptor["resources"]}
    tables[FLAT] = flat_view(root)
    return Package(descriptor, tables)
