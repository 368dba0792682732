"""datapackage.json is generated from the schema, in step with the files, and conformant."""

import json
import shutil

import pytest

from incidents import __version__
from incidents._paths import bundled_root
from incidents.datapackage import build_descriptor, render


def test_committed_descriptor_is_what_build_generates():
    root = bundled_root()
    committed = (root / "datapackage.json").read_text(encoding="utf-8")
    assert committed == render(build_descriptor(root)), "run `incidents build`"


def test_build_is_deterministic():
    root = bundled_root()
    assert render(build_descriptor(root)) == render(build_descriptor(root))
    assert "T00:" not in render(build_descriptor(root))  # no timestamps


def test_descriptor_carries_version_licences_and_keys():
    descriptor = json.loads((bundled_root() / "datapackage.json").read_text())
    assert descriptor["version"] == __version__
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["code_license"]["name"] == "MIT"
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")
    assert claims["schema"]["primaryKey"] == ["claim_id"]
    targets = {fk["reference"]["resource"] for fk in claims["schema"]["foreignKeys"]}
    assert targets == {"incidents", "sources", "actors"}
    assert claims["hash"].startswith("sha256:")
    for field in claims["schema"]["fields"]:
        assert field["description"]


def test_frictionless_accepts_the_package(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    root = bundled_root()
    shutil.copytree(root / "data", tmp_path / "data")
    shutil.copyfile(root / "datapackage.json", tmp_path / "datapackage.json")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_broken_cell_too(tmp_path):
    """The generated Table Schema carries the rules, so frictionless enforces them as well."""
    frictionless = pytest.importorskip("frictionless")
    root = bundled_root()
    shutil.copytree(root / "data", tmp_path / "data")
    path = tmp_path / "data" / "claims.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("measure")] = "dead"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    from incidents.datapackage import write_descriptor

    write_descriptor(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid


def test_descriptor_is_data_package_v2():
    """$schema on package, resources and schemas; coded fields carry labelled categories."""
    from incidents import vocab

    descriptor = json.loads((bundled_root() / "datapackage.json").read_text())
    assert descriptor["$schema"].startswith("https://datapackage.org/profiles/2.0/")
    assert "profile" not in descriptor
    assert any("creator" in c["roles"] for c in descriptor["contributors"])
    for res in descriptor["resources"]:
        assert res["$schema"].endswith("/2.0/dataresource.json")
        assert res["type"] == "table"
        assert "profile" not in res
        for field in res["schema"]["fields"]:
            enum = field.get("constraints", {}).get("enum")
            if enum:
                assert [c["value"] for c in field["categories"]] == enum
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")
    measure = next(f for f in claims["schema"]["fields"] if f["name"] == "measure")
    assert {c["value"]: c["label"] for c in measure["categories"]} == vocab.MEASURE
    assert measure["categoriesOrdered"] is True
