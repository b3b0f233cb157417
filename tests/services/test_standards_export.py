"""Exports of the built-in standards: CASE 1.1 packages that validate against 1EdTech's schema, Moodle
14-column CSV, and YAML that reloads to the same tree."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from app.extensions import db
from app.standards.exporters import plain_links
from app.standards.exporters.case import export_case
from app.standards.exporters.moodle import HEADER, export_moodle
from app.standards.exporters.yaml import export_data, export_yaml
from app.standards.loader import load_paths
from app.standards.queries import EVERYONE, get_framework, list_frameworks, load_tree
from app.standards.seedfile import parse_text
from tests.conftest import shared_path

BUILT_IN = [
    "bk-0331-4",
    "competent-E110101",
    "ecf-2.0",
    "ecf-profile-online-community-manager",
    "mbo-commercie",
    "sbb-competentiemodel",
]


def tree_of(code: str):
    fw = get_framework(db.session, code, audience=EVERYONE)
    assert fw is not None
    return load_tree(db.session, fw)


@pytest.fixture(scope="module")
def case_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(
        shared_path("interop", "schemas", "case_v1p1_cfpackage_jsonschema_1edtech.json").read_text("utf-8")
    )
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_the_built_in_standards_are_the_six_exported_here() -> None:
    assert sorted(r.framework.code for r in list_frameworks(db.session, audience=EVERYONE)) == BUILT_IN


@pytest.mark.parametrize("code", BUILT_IN)
def test_case_package_of_every_built_in_standard_validates_against_the_official_schema(code, case_validator) -> None:
    tree = tree_of(code)
    package = export_case(tree, plain_links())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in case_validator.iter_errors(package)]
    assert errors == []
    assert len(package["CFItems"]) == len(tree.by_key)
    identifiers = [o["identifier"] for o in package["CFItems"] + package["CFAssociations"]]
    assert len(identifiers) == len(set(identifiers))
    child_of = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(child_of) == len(tree.by_key)  # every element, the top level under the document


def test_case_package_maps_tree_alignments_and_scales() -> None:
    package = export_case(tree_of("ecf-profile-online-community-manager"), plain_links())
    doc = package["CFDocument"]
    assert doc["caseVersion"] == "1.1"
    assert doc["uri"] == "https://bekwaam.example/standards/ecf-profile-online-community-manager"
    items = {i["identifier"]: i for i in package["CFItems"]}
    types = Counter(a["associationType"] for a in package["CFAssociations"])
    assert types["isChildOf"] == len(items)
    aligned = [a for a in package["CFAssociations"] if a["associationType"] != "isChildOf"]
    assert aligned, "the profile declares alignments to the e-CF catalogue"
    for assoc in aligned:
        relation = assoc["extensions"]["bekwaam"]["relation"]
        expected = {"exact": "exactMatchOf", "related": "isRelatedTo"}.get(relation, "isRelatedTo")
        assert assoc["associationType"] == expected
        if relation not in ("exact", "related"):
            assert f"Bekwaam relation: {relation}" in assoc["notes"]
    rubric = package["CFRubrics"][0]
    assert rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    assert any("CFItemURI" in c for c in rubric["CFRubricCriteria"])  # elements with level descriptors


def test_two_case_exports_differ_only_in_their_timestamps() -> None:
    tree = tree_of("mbo-commercie")
    first = json.dumps(export_case(tree, plain_links(), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    second = json.dumps(export_case(tree_of("mbo-commercie"), plain_links(), dt.datetime(2027, 6, 1, tzinfo=dt.UTC)))
    assert first != second
    assert first.replace("2026-01-01T00:00:00Z", "T") == second.replace("2027-06-01T00:00:00Z", "T")


@pytest.mark.parametrize("code", BUILT_IN)
def test_moodle_csv_has_the_14_columns_a_framework_row_and_a_row_per_element(code) -> None:
    tree = tree_of(code)
    rows = list(csv.reader(io.StringIO(export_moodle(tree))))
    assert rows[0] == HEADER
    assert all(len(r) == 14 for r in rows)
    framework, competencies = rows[1], rows[2:]
    assert (framework[1], framework[12]) == (code, "1")
    config = json.loads(framework[6])
    assert "scaleid" in config[0] and any(c["proficient"] for c in config[1:])
    assert len(framework[5].split(",")) == len(config) - 1
    ids = [r[1] for r in competencies]
    assert len(ids) == len(set(ids)) == sum(1 for n in tree if n.element.type != "level_descriptor")
    seen: set[str] = set()
    for row in competencies:
        assert row[0] == "" or row[0] in seen  # a parent comes before its children
        assert 0 < len(row[2]) <= 100
        seen.add(row[1])


@pytest.mark.parametrize("code", BUILT_IN)
def test_yaml_export_validates_and_reloads_to_the_same_tree(code, tmp_path: Path) -> None:
    text = export_yaml(tree_of(code))
    spec = parse_text(text, f"{code}.yaml")
    assert len(spec.elements) == len(tree_of(code).by_key)

    scratch = f"roundtrip-{code}"
    data: dict[str, Any] = yaml.safe_load(text.replace(f"code: {code}\n", f"code: {scratch}\n", 1))
    assert data["framework"]["code"] == scratch
    path = tmp_path / f"{scratch}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_paths(db.session, [path])
    db.session.flush()

    again = export_data(tree_of(scratch))
    again["framework"]["code"] = code
    assert again == yaml.safe_load(text)


def test_retired_elements_leave_yaml_and_moodle_and_carry_an_end_date_in_case(case_validator) -> None:
    tree = tree_of("ecf-2.0")
    node = next(n for n in tree if n.parent is not None and n.element.type != "level_descriptor")
    node.element.retired_at = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    db.session.flush()
    tree = tree_of("ecf-2.0")
    gone = {node.key, *(d.key for d in tree.by_key[node.key].descendants())}
    spec = parse_text(export_yaml(tree), "ecf-2.0.yaml")
    assert not gone & {e.key for e in spec.elements}
    assert not gone & {r[1] for r in csv.reader(io.StringIO(export_moodle(tree)))}
    package = export_case(tree, plain_links())
    assert list(case_validator.iter_errors(package)) == []
    retired = next(i for i in package["CFItems"] if i["extensions"]["bekwaam"]["key"] == node.key)
    assert (retired["statusEndDate"], retired["extensions"]["bekwaam"]["retired"]) == ("2026-11-30", True)


def test_yaml_keeps_a_uuid_kept_from_a_source_and_leaves_derived_ones_to_the_loader() -> None:
    tree = tree_of("sbb-competentiemodel")
    node = next(iter(tree))
    node.element.uuid = "0b5e3c1e-7d2a-4c1b-9f3e-2a6d8c4b1e70"
    db.session.flush()
    data = export_data(tree_of("sbb-competentiemodel"))
    assert data["elements"][0]["uuid"] == "0b5e3c1e-7d2a-4c1b-9f3e-2a6d8c4b1e70"
    assert "uuid" not in data["framework"] and all("uuid" not in e for e in data["elements"][1:])
