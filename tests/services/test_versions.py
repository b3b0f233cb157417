"""Versions of a standard side by side: a second version loads beside the first, its diff and reviewed
mapping, and a cohort moved along the mapping with its final results and claims carried forward."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import AuditEvent, Role
from app.assessment import services as assessment_services
from app.assessment.models import Assessment
from app.assessment.record import learner_record
from app.audit import Actor
from app.domain import DomainError
from app.extensions import db
from app.portfolio import services as portfolio
from app.portfolio.models import Claim
from app.standards.importers import service as importer
from app.standards.loader import load_paths
from app.standards.models import Element, Framework
from app.standards.queries import EVERYONE, get_framework, list_frameworks, search
from app.versioning import mapping as mapping_service
from app.versioning.diff import Change
from app.versioning.models import CarriedResult, MappingStatus
from app.versioning.moving import move_cohort
from app.versioning.proposal import Relation
from app.versioning.queries import diff_versions, mapping_rows
from tests.factories import PASSWORD, build_world

ROOT = Path(__file__).resolve().parents[2]
V4 = ROOT / "seeds" / "standards" / "bk-0331-4.yaml"
V5 = ROOT / "tests" / "fixtures" / "standards" / "bk-0331-5.yaml"
CODE = "bk-0331-4"
ADMIN = Actor.system("tests")


def _versions() -> tuple[Framework, Framework]:
    load_paths(db.session, [V4])
    report = importer.apply(db.session, ADMIN, importer.preview(db.session, V5.read_bytes(), V5.name))
    assert report.framework_created and report.new_version_of == "4"
    v4, v5 = (
        get_framework(db.session, CODE, "4", audience=EVERYONE),
        get_framework(db.session, CODE, "5", audience=EVERYONE),
    )
    assert v4 is not None and v5 is not None
    return v4, v5


def test_a_second_version_loads_beside_the_first_and_the_code_means_the_newest() -> None:
    load_paths(db.session, [V4])
    ours = select(Element.key, Element.uuid).join(Element.framework).where(Framework.code == CODE)
    before = {k: u for k, u in db.session.execute(ours)}
    result = importer.preview(db.session, V5.read_bytes(), V5.name)
    assert result.can_apply and not result.existing
    assert result.new_version_of is not None and result.new_version_of.version == "4"
    importer.apply(db.session, ADMIN, result)

    assert db.session.scalar(select(func.count()).select_from(Framework).where(Framework.code == CODE)) == 2
    current = get_framework(db.session, CODE, audience=EVERYONE)
    assert current is not None and current.version == "5"
    v4 = get_framework(db.session, CODE, "4", audience=EVERYONE)
    assert v4 is not None
    # The first version keeps every identifier it had; the second has its own.
    kept = db.session.execute(select(Element.key, Element.uuid).where(Element.framework_id == v4.id))
    assert {k: u for k, u in kept} == before
    new_uuids = set(db.session.scalars(select(Element.uuid).where(Element.framework_id == current.id)))
    assert not new_uuids & set(before.values())
    assert current.uuid != v4.uuid
    # The list shows both, the current one first; search finds the current version only.
    rows = [r for r in list_frameworks(db.session, audience=EVERYONE) if r.framework.code == CODE]
    assert [(r.framework.version, r.current) for r in rows] == [("5", True), ("4", False)]
    hits = search(db.session, "teamverband", audience=EVERYONE).hits
    assert hits and all(h.framework_code == CODE for h in hits)
    assert len({h.key for h in hits}) == len(hits)  # one version's elements, not both


def test_reimporting_the_same_version_updates_it_in_place() -> None:
    _versions()
    again = importer.preview(db.session, V5.read_bytes(), V5.name)
    assert again.existing and again.new_version_of is None
    report = importer.apply(db.session, ADMIN, again)
    assert not report.framework_created and not report.changed
    assert db.session.scalar(select(func.count()).select_from(Framework).where(Framework.code == CODE)) == 2


def test_diff_names_added_removed_retitled_and_changed_elements() -> None:
    v4, v5 = _versions()
    result = diff_versions(db.session, v4, v5)
    by_change = {c: [(e.old or e.new).key for e in result.of(c)] for c in Change}
    assert "competentie-1" in by_change[Change.RETITLED]
    assert "competentie-2" in by_change[Change.REMOVED]
    assert "competentie-nieuw" in by_change[Change.ADDED]
    assert "competentie-3" in by_change[Change.CHANGED]
    assert result.counts()[Change.UNCHANGED] > 400


def _mapping(v4: Framework, v5: Framework):
    mapping = mapping_service.propose_mapping(db.session, ADMIN, v4, v5)
    rows = {r.old_element.key: r for r in mapping_rows(db.session, mapping)}
    return mapping, rows


def test_mapping_is_proposed_from_the_diff_reviewed_and_confirmed_with_an_audit_trail() -> None:
    v4, v5 = _versions()
    mapping, rows = _mapping(v4, v5)
    assert rows["competentie-1"].relation == Relation.REPLACED
    assert rows["competentie-2"].relation == Relation.NONE and rows["competentie-2"].new_element_id is None
    assert rows["competentie-4"].relation == Relation.EXACT
    assert mapping_service.propose_mapping(db.session, ADMIN, v4, v5) is mapping  # proposing twice: the same

    mapping_service.change_row(db.session, ADMIN, rows["competentie-2"], Relation.REPLACED, "competentie-nieuw")
    assert rows["competentie-2"].changed_by_reviewer
    with pytest.raises(DomainError):
        mapping_service.change_row(db.session, ADMIN, rows["competentie-1"], Relation.REPLACED, "no-such-key")
    mapping_service.confirm_mapping(db.session, ADMIN, mapping)
    assert mapping.status == MappingStatus.CONFIRMED
    assert all(r.reviewed_at is not None for r in mapping.rows)
    with pytest.raises(DomainError):
        mapping_service.change_row(db.session, ADMIN, rows["competentie-1"], Relation.NONE, None)
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_type == "version_mapping")))
    assert actions == {"standards.mapping.proposed", "standards.mapping.row_changed", "standards.mapping.confirmed"}


def _cohort_with_results(v4: Framework):
    world = build_world()
    s = db.session
    cohort = accounts.create_cohort(
        s, ADMIN, world.school, name="BK class", year="2026-2027", framework_id=v4.id, profile_key=None
    )
    student, assessor = world.users["student"], world.users["assessor"]
    accounts.add_to_cohort(s, ADMIN, cohort, student, Role.STUDENT)
    accounts.add_to_cohort(s, ADMIN, cohort, assessor, Role.ASSESSOR)
    me, judge = Actor(user=student), Actor(user=assessor)
    item = portfolio.create_item(s, me, student, portfolio.ItemData(title="Helpdesk week"))
    claim = portfolio.add_claim(s, me, item, cohort, "competentie-1", None, "Ticket log")
    x = assessment_services.create_assessment(
        s,
        judge,
        student,
        cohort,
        assessment_services.NewAssessment(kind="summative", scope_keys=["competentie-1"], assessor_ids=[assessor.id]),
    )
    assessment_services.save_judgement(s, judge, x, assessment_services.JudgementInput("competentie-1", 3, {}))
    assessment_services.submit(s, judge, x)
    assessment_services.sign(s, judge, x, PASSWORD)
    s.flush()
    return world, cohort, student, claim, x


def test_moving_a_cohort_carries_final_results_and_claims_and_keeps_the_old_ones() -> None:
    v4, v5 = _versions()
    world, cohort, student, claim, final = _cohort_with_results(v4)
    mapping, _rows = _mapping(v4, v5)
    mapping_service.confirm_mapping(db.session, ADMIN, mapping)
    old_judgements = [(j.id, j.element_id, j.level_id) for j in final.judgements]

    report = move_cohort(db.session, Actor(user=world.users["org_admin"]), cohort, mapping)

    assert cohort.framework_id == v5.id
    assert report.results == 1 and report.claims == 1
    carried = db.session.scalars(select(CarriedResult).where(CarriedResult.cohort_id == cohort.id)).one()
    assert carried.element.framework_id == v5.id and carried.element.key == "competentie-1"
    assert carried.level is not None and carried.level.scale.framework_id == v5.id and carried.level.value == 3
    new_claim = db.session.scalars(select(Claim).where(Claim.carried_from_id == claim.id)).one()
    assert new_claim.element.framework_id == v5.id and new_claim.version_mapping_id == mapping.id
    # Nothing of the old version is lost: the claim, the assessment and its judgements are as they were.
    assert db.session.get(Claim, claim.id).element.framework_id == v4.id
    assert [(j.id, j.element_id, j.level_id) for j in final.judgements] == old_judgements
    assert db.session.get(Assessment, final.id).framework_id == v4.id
    # The learner record on the new version counts the carried result, marked with where it came from.
    record = learner_record(db.session, student, cohort)
    outcome = next(o for o in record.outcomes if o.node.key == "competentie-1")
    assert outcome.status == "achieved" and outcome.carried_from == "4 competentie-1"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.moved_version")) is not None


def test_moving_twice_carries_nothing_twice() -> None:
    v4, v5 = _versions()
    _world, cohort, _student, _claim, _final = _cohort_with_results(v4)
    mapping, _rows = _mapping(v4, v5)
    mapping_service.confirm_mapping(db.session, ADMIN, mapping)
    move_cohort(db.session, ADMIN, cohort, mapping)
    again = move_cohort(db.session, ADMIN, cohort, mapping)
    assert again.already_moved and again.results == 0 and again.claims == 0
    assert db.session.scalar(select(func.count()).select_from(CarriedResult)) == 1
    assert db.session.scalar(select(func.count()).select_from(Claim).where(Claim.carried_from_id.is_not(None))) == 1


def test_a_cohort_moves_only_along_a_confirmed_mapping_and_without_open_assessments() -> None:
    v4, v5 = _versions()
    world, cohort, student, _claim, _final = _cohort_with_results(v4)
    mapping, _rows = _mapping(v4, v5)
    with pytest.raises(DomainError):
        move_cohort(db.session, ADMIN, cohort, mapping)  # not confirmed yet
    mapping_service.confirm_mapping(db.session, ADMIN, mapping)
    assessor = world.users["assessor"]
    assessment_services.create_assessment(
        db.session,
        Actor(user=assessor),
        student,
        cohort,
        assessment_services.NewAssessment(kind="formative", scope_keys=["competentie-3"], assessor_ids=[assessor.id]),
    )
    with pytest.raises(DomainError):
        move_cohort(db.session, ADMIN, cohort, mapping)  # an open assessment
    assert cohort.framework_id == v4.id
    assert db.session.scalar(select(func.count()).select_from(CarriedResult)) == 0
