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
from app.standards.exporters.lookup import links_for
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
    """The package as the download and the provider make it (an older version with its own addresses)."""
    return export_case(load_tree(db.session, fw), links_for(db.session, fw, plain_links()))


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


def _second_version(package: dict[str, Any]) -> dict[str, Any]:
    """The publisher's next version: a new document identifier, the items' identifiers kept (as publishers
    often do), one statement reworded."""
    nxt = json.loads(json.dumps(package))
    nxt["CFDocument"].update(identifier="0b7f9d3e-1a2b-4c5d-8e9f-0000000000f2", version="2.0")
    nxt["CFItems"][-1]["fullStatement"] += " (revised)"
    return nxt


def _import_for(package: dict[str, Any], name: str, owner_id: int | None) -> Framework:
    result = service.preview(db.session, json.dumps(package).encode(), name, "case", owner_id=owner_id)
    assert [str(p) for p in result.conversion.report.refusals] == []
    report = service.apply(db.session, Actor.system(), result)
    return db.session.get_one(Framework, report.framework_id)


def test_an_older_version_exports_with_its_own_addresses_and_the_current_one_with_the_codes() -> None:
    package = json.loads((FIXTURES / "case_rubrics_package.json").read_text("utf-8"))
    old = _import_for(package, "v1.json", None)
    new = _import_for(_second_version(package), "v2.json", None)
    code = old.code
    assert new.code == code and (old.version, new.version) == ("1.0", "2.0")
    old_package, new_package = export(old), export(new)
    base = f"https://bekwaam.example/standards/{code}"
    assert old_package["CFDocument"]["uri"] == f"{base}/versions/1.0"
    assert {i["uri"].rsplit("/e/", 1)[0] for i in old_package["CFItems"]} == {f"{base}/versions/1.0"}
    roots = [a for a in old_package["CFAssociations"] if a["destinationNodeURI"]["identifier"] == old.uuid]
    assert roots and all(a["destinationNodeURI"]["uri"] == f"{base}/versions/1.0" for a in roots)
    assert new_package["CFDocument"]["uri"] == base
    assert {i["uri"].rsplit("/e/", 1)[0] for i in new_package["CFItems"]} == {base}


def test_versions_of_a_private_imported_case_package_round_trip_through_their_own_exports() -> None:
    """Both versions of a standard private to an organisation: export each, empty the database of them,
    import the exports again (older first, for the same owner): the same packages apart from timestamps."""
    from app.accounts.models import Organisation

    school = Organisation(name="Round-trip school", kind="school")
    db.session.add(school)
    db.session.flush()
    package = json.loads((FIXTURES / "case_rubrics_package.json").read_text("utf-8"))
    old = _import_for(package, "v1.json", school.id)
    new = _import_for(_second_version(package), "v2.json", school.id)
    first_old, first_new = export(old), export(new)
    assert first_old["CFDocument"]["uri"].endswith("/versions/1.0")
    delete(new)
    delete(db.session.get_one(Framework, old.id))
    again_old = _import_for(first_old, "exported-v1.json", school.id)
    again_new = _import_for(first_new, "exported-v2.json", school.id)
    assert (again_old.organisation_id, again_new.organisation_id) == (school.id, school.id)
    assert (again_old.version, again_new.version) == ("1.0", "2.0")
    assert without_timestamps(export(again_old)) == without_timestamps(first_old)
    assert without_timestamps(export(again_new)) == without_timestamps(first_new)


def _translation_rows(fw: Framework) -> list[tuple[Any, ...]]:
    from app.standards.models import Element
    from app.standards.translations.models import ElementTranslation

    rows = db.session.execute(
        select(Element.key, ElementTranslation)
        .outerjoin(Element, ElementTranslation.element_id == Element.id)
        .where(ElementTranslation.framework_id == fw.id)
    )
    return sorted((key or "", t.field, t.language, t.text, t.translator, t.status, t.source or "") for key, t in rows)


def test_translations_travel_beside_the_source_text_and_come_back_on_import() -> None:
    fw = get_framework(db.session, "ecf-profile-online-community-manager", audience=EVERYONE)
    before = _translation_rows(fw)
    assert len(before) > 200  # the English layer of the Hungarian profile
    package = export(fw)
    item = next(i for i in package["CFItems"] if i["extensions"]["bekwaam"].get("translations"))
    assert item["fullStatement"] != item["extensions"]["bekwaam"]["translations"][0]["text"]  # the source stays
    assert {t["language"] for i in package["CFItems"] for t in i["extensions"]["bekwaam"].get("translations", [])} == {
        "en"
    }
    delete(fw)
    again, result = import_package(package, "ecf.json")
    assert result.conversion.report.adaptations == []
    assert _translation_rows(again) == before


def test_a_translation_that_does_not_fit_its_source_is_left_out_with_the_reason() -> None:
    fw = get_framework(db.session, "ecf-profile-online-community-manager", audience=EVERYONE)
    package = export(fw)
    item = next(i for i in package["CFItems"] if i["extensions"]["bekwaam"].get("translations"))
    texts = item["extensions"]["bekwaam"]["translations"]
    texts.append({**texts[0], "field": "attributes.nothing"})
    texts.append({**texts[0], "language": "hu"})  # the source's own language
    delete(fw)
    _again, result = import_package(package, "ecf.json")
    reasons = sorted(p.message for p in result.conversion.report.adaptations)
    assert reasons == [
        "translation not imported: %(language)s is not another language than the source's",
        "translation not imported: there is no source text at %(field)s",
    ]
