"""``flask standards import`` and the import service: preview writes nothing, applying is all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from app.accounts.models import AuditEvent
from app.extensions import db
from app.standards.models import Alignment, Element, Framework, RatingScale
from tests.conftest import shared_path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "interop"


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_dry_run_prints_the_preview_and_writes_nothing(runner) -> None:
    before = (_count(Framework), _count(Element), _count(AuditEvent))
    result = runner.invoke(args=["standards", "import", str(FIXTURES / "case_rubrics_package.json"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "creates service-technician" in result.output
    assert (
        "7 elements (2 area, 3 competence, 1 descriptor, 1 section)" in result.output or "7 elements" in result.output
    )
    assert "CFAssociations[12]: exactMatchOf points outside the package" in result.output
    assert "dry run: nothing was written" in result.output
    assert (_count(Framework), _count(Element), _count(AuditEvent)) == before


def test_import_writes_the_standard_and_an_audit_event(runner) -> None:
    result = runner.invoke(args=["standards", "import", str(FIXTURES / "case_rubrics_package.json")])
    assert result.exit_code == 0, result.output
    fw = db.session.scalar(select(Framework).where(Framework.code == "service-technician"))
    assert fw is not None and fw.kind == "imported_framework"
    assert db.session.scalar(select(func.count()).select_from(Element).where(Element.framework_id == fw.id)) == 7
    assert (
        db.session.scalar(select(func.count()).select_from(RatingScale).where(RatingScale.framework_id == fw.id)) == 2
    )
    assert db.session.scalar(select(func.count()).select_from(Alignment).where(Alignment.declared_by_id == fw.id)) == 4
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "standards.import"))
    assert event.target_id == fw.id and event.details["format"] == "case"
    again = runner.invoke(args=["standards", "import", str(FIXTURES / "case_rubrics_package.json")])
    assert again.exit_code == 0 and "unchanged" in again.output


def test_moodle_files_import_with_format_given_or_detected(runner) -> None:
    result = runner.invoke(args=["standards", "import", str(FIXTURES / "moodle_14col.csv"), "--format", "moodle"])
    assert result.exit_code == 0, result.output
    legacy = shared_path("interop", "moodle", "moodlehq_plugin_fixture_pharmacy_legacy_12col.csv")
    result = runner.invoke(args=["standards", "import", str(legacy)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Framework).where(Framework.code == "pharmacy")) is not None


def test_refused_file_writes_nothing(runner, tmp_path) -> None:
    bad = tmp_path / "cycle.json"
    items = [{"identifier": "a", "fullStatement": "A"}, {"identifier": "b", "fullStatement": "B"}]
    links = [
        {"associationType": "isChildOf", "originNodeURI": {"identifier": o}, "destinationNodeURI": {"identifier": d}}
        for o, d in (("a", "b"), ("b", "a"))
    ]
    doc = {"CFDocument": {"identifier": "d", "title": "Cycle"}, "CFItems": items, "CFAssociations": links}
    bad.write_text(json.dumps(doc))
    before = (_count(Framework), _count(AuditEvent))
    result = runner.invoke(args=["standards", "import", str(bad)])
    assert result.exit_code != 0
    assert "cycle: a → b → a" in result.output
    assert (_count(Framework), _count(AuditEvent)) == before


def test_an_import_does_not_replace_another_standard_with_the_same_code(runner, tmp_path) -> None:
    runner.invoke(args=["standards", "import", str(FIXTURES / "moodle_14col.csv")])
    other = tmp_path / "other.json"
    doc = {
        "CFDocument": {"identifier": "other", "title": "KOK 2026"},
        "CFItems": [{"identifier": "a", "fullStatement": "A"}],
    }
    other.write_text(json.dumps(doc))
    result = runner.invoke(args=["standards", "import", str(other)])
    assert result.exit_code != 0
    assert "another standard already has the code kok-2026" in result.output


def test_case_identifiers_become_uuids_and_are_not_taken_from_another_standard(runner, tmp_path) -> None:
    package = FIXTURES / "case_rubrics_package.json"
    assert runner.invoke(args=["standards", "import", str(package)]).exit_code == 0
    fw = db.session.scalar(select(Framework).where(Framework.code == "service-technician"))
    assert fw.uuid == "0b7f9d3e-1a2b-4c5d-8e9f-000000000001"
    com = db.session.scalar(select(Element).where(Element.framework_id == fw.id, Element.code == "COM"))
    assert com.uuid == "0b7f9d3e-1a2b-4c5d-8e9f-000000000101"
    copy = json.loads(package.read_text())
    copy["CFDocument"]["title"] = "A copy under another title"
    (tmp_path / "copy.json").write_text(json.dumps(copy))
    result = runner.invoke(args=["standards", "import", str(tmp_path / "copy.json")])
    assert result.exit_code != 0
    assert "8 identifiers are already used by another standard (service-technician)" in result.output


def test_bekwaam_yaml_imports_like_a_seed_file_and_aliases_are_refused(runner, tmp_path) -> None:
    seed = Path(__file__).parents[1] / "fixtures" / "standards" / "mini-catalogue.yaml"
    result = runner.invoke(args=["standards", "import", str(seed)])
    assert result.exit_code == 0, result.output
    assert "(yaml): creates" in result.output
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("format: bekwaam-standard/1\na: &a [x, x]\nb: [*a, *a]\n")
    result = runner.invoke(args=["standards", "import", str(bomb), "--dry-run"])
    assert result.exit_code != 0 and "YAML aliases" in result.output
