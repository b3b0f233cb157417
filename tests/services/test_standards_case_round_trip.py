"""CASE round trip: export a standard, import that package into a database without it, export again: the same
package apart from its timestamps, for the six built-in standards and for an imported CASE package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.audit import Actor
from app.extensions import db
from app.standards.exporters import plain_links
from app.standards.exporters.case import export_case
from app.standards.importers import service
from app.standards.models import Framework
from app.standards.queries import EVERYONE, get_framework, load_tree
from tests.conftest import shared_path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "interop"
BUILT_IN = [
    "bk-0331-4",
    "competent-E110101",
    "ecf-2.0",
    "ecf-profile-online-community-manager",
    "mbo-commercie",
    "sbb-competentiemodel",
]
TIMESTAMPS = {"lastChangeDateTime"}


def without_timestamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_timestamps(v) for k, v in value.items() if k not in TIMESTAMPS}
    if isinstance(value, list):
        return [without_timestamps(v) for v in value]
    return value


def export(fw: Framework) -> dict[str, Any]:
    return export_case(load_tree(db.session, fw), plain_links())


def import_package(package: dict[str, Any], name: str) -> tuple[Framework, service.Preview]:
    """Import through the service, as the page and the CLI do; the preview must allow it."""
    result = service.preview(db.session, json.dumps(package).encode(), name, "case")
    assert [str(p) for p in result.conversion.report.refusals] == []
    service.apply(db.session, Actor.system(), result)
    identifier = package["CFDocument"]["identifier"]
    fw = db.session.scalar(select(Framework).where(Framework.uuid == identifier))
    assert fw is not None
    return fw, result


def delete(fw: Framework) -> None:
    """Empty the database of this standard (the test's transaction is rolled back afterwards)."""
    db.session.delete(fw)
    db.session.flush()
    db.session.expire_all()


@pytest.mark.parametrize("code", BUILT_IN)
def test_case_export_import_export_of_a_built_in_standard_differs_only_in_timestamps(code: str) -> None:
    fw = get_framework(db.session, code, audience=EVERYONE)
    assert fw is not None
    first = export(fw)
    delete(fw)
    again, result = import_package(first, f"{code}.json")
    assert result.conversion.report.adaptations == []  # Bekwaam's own package needs no adaptation
    assert again.code == code
    second = export(again)
    assert without_timestamps(second) == without_timestamps(first)


def test_an_imported_case_package_round_trips_through_its_own_export() -> None:
    package = json.loads((FIXTURES / "case_rubrics_package.json").read_text("utf-8"))
    fw, _result = import_package(package, "case_rubrics_package.json")
    first = export(fw)
    delete(fw)
    again, _result = import_package(first, "exported.json")
    second = export(again)
    assert without_timestamps(second) == without_timestamps(first)


@pytest.mark.parametrize("name", ["opensalt_act_holistic_framework_math.json", "smarterbalanced_webb_dok_levels.json"])
def test_a_real_case_10_package_round_trips_through_its_own_export(name: str) -> None:
    package = json.loads(shared_path("interop", "case", name).read_text("utf-8"))
    fw, _result = import_package(package, name)
    first = export(fw)
    delete(fw)
    again, _result = import_package(first, "exported.json")
    second = export(again)
    assert without_timestamps(second) == without_timestamps(first)
