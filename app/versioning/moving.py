"""Move a cohort to a new version of its standard along a confirmed mapping, all or nothing (flush only).

What moves: the cohort's version (``Cohort.framework_id``) and profile; each final result (the settled
judgement of a final assessment) on an old element with a successor becomes a :class:`CarriedResult` on the
successor, and each portfolio claim a new claim on the successor with ``carried_from_id`` and the mapping.
What stays: every old assessment, judgement and claim, unchanged; the assessments are marked with the
version they were held on, so they keep being read in it. Moving again carries nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.accounts.models import Cohort
from app.assessment.models import Assessment, AssessmentStatus, Judgement
from app.audit import Actor
from app.domain import N_, DomainError
from app.portfolio.models import Claim
from app.standards.models import Element
from app.versioning.models import CarriedResult, MappingRow, VersionMapping
from app.versioning.queries import level_map


@dataclass
class MoveReport:
    results: int = 0  # final results carried now
    claims: int = 0  # claims carried now
    already_moved: bool = False


def move_cohort(session: Session, actor: Actor, cohort: Cohort, mapping: VersionMapping) -> MoveReport:
    """Move ``cohort`` along ``mapping``; a cohort already on the new version gets only what is missing."""
    if not mapping.confirmed:
        raise DomainError(N_("The mapping between these versions is not confirmed yet."))
    report = MoveReport(already_moved=cohort.framework_id == mapping.to_framework_id)
    if not report.already_moved:
        _check_can_move(session, cohort, mapping)
    successors = _successors(session, mapping)
    levels = level_map(session, mapping.from_framework, mapping.to_framework)
    report.results = _carry_results(session, cohort, mapping, successors, levels)
    report.claims = _carry_claims(session, cohort, mapping, successors, levels)
    if not report.already_moved:
        _mark_assessments(session, cohort, mapping.from_framework_id)
        cohort.profile_key = _new_profile_key(session, cohort.profile_key, mapping, successors)
        cohort.framework = mapping.to_framework  # the relationship too, so this session reads the new version
    old, new = mapping.from_framework, mapping.to_framework
    audit.record(
        session,
        actor,
        "cohort.moved_version",
        organisation_id=cohort.organisation_id,
        target_type="cohort",
        target_id=cohort.id,
        summary=(
            f"{cohort.name}: {old.code} {old.version or '-'} → {new.version or '-'}; "
            f"{report.results} results and {report.claims} claims carried"
        ),
        details={
            "mapping": mapping.id,
            "results": report.results,
            "claims": report.claims,
            "again": report.already_moved,
        },
    )
    session.flush()
    return report


def _check_can_move(session: Session, cohort: Cohort, mapping: VersionMapping) -> None:
    if cohort.framework_id != mapping.from_framework_id:
        raise DomainError(N_("This cohort does not follow the version the mapping starts from."))
    unfinished = session.scalar(
        select(Assessment.id)
        .where(Assessment.cohort_id == cohort.id, Assessment.status != AssessmentStatus.FINAL)
        .limit(1)
    )
    if unfinished is not None:
        raise DomainError(
            N_("The cohort has assessments that are not final yet: finish them before it moves to another version.")
        )


def _successors(session: Session, mapping: VersionMapping) -> dict[int, int]:
    """Old element id → successor id, for the rows that have one."""
    rows = session.execute(
        select(MappingRow.old_element_id, MappingRow.new_element_id).where(
            MappingRow.mapping_id == mapping.id, MappingRow.new_element_id.is_not(None)
        )
    )
    return {old: new for old, new in rows if new is not None}


def _carry_results(
    session: Session, cohort: Cohort, mapping: VersionMapping, successors: dict[int, int], levels: dict[int, int]
) -> int:
    rows = session.execute(
        select(Judgement, Assessment.candidate_id, Assessment.finalised_at, Assessment.superseded_at)
        .join(Assessment, Assessment.id == Judgement.assessment_id)
        .where(
            Assessment.cohort_id == cohort.id,
            Assessment.status == AssessmentStatus.FINAL,
            Judgement.assessor_id.is_(None),
            Judgement.element_id.in_(list(successors)),
        )
        .order_by(Judgement.id)
    ).all()
    done = {
        (from_id, element_id)
        for from_id, element_id in session.execute(
            select(CarriedResult.carried_from_id, CarriedResult.element_id).where(CarriedResult.cohort_id == cohort.id)
        )
    }
    carried = 0
    for judgement, candidate_id, finalised_at, superseded_at in rows:
        target = successors[judgement.element_id]
        if (judgement.id, target) in done:
            continue
        level_id = levels.get(judgement.level_id, judgement.level_id) if judgement.level_id else None
        session.add(
            CarriedResult(
                cohort_id=cohort.id,
                candidate_id=candidate_id,
                element_id=target,
                level_id=level_id,
                carried_from_id=judgement.id,
                mapping_id=mapping.id,
                finalised_at=finalised_at or judgement.updated_at,
                superseded=superseded_at is not None,
            )
        )
        done.add((judgement.id, target))
        carried += 1
    return carried


def _carry_claims(
    session: Session, cohort: Cohort, mapping: VersionMapping, successors: dict[int, int], levels: dict[int, int]
) -> int:
    claims = session.scalars(select(Claim).where(Claim.cohort_id == cohort.id).order_by(Claim.id)).all()
    present = {(c.item_id, c.element_id) for c in claims}
    carried = 0
    for old in claims:
        target = successors.get(old.element_id)
        if target is None or (old.item_id, target) in present:
            continue  # no successor, carried before, or the student claimed the new element already
        session.add(
            Claim(
                item_id=old.item_id,
                cohort_id=cohort.id,
                element_id=target,
                self_level_id=levels.get(old.self_level_id) if old.self_level_id else None,
                explanation=old.explanation,
                status=old.status,
                created_at=old.created_at,
                updated_at=old.updated_at,
                submitted_at=old.submitted_at,
                reviewed_at=old.reviewed_at,
                reviewed_by_id=old.reviewed_by_id,
                carried_from_id=old.id,
                version_mapping_id=mapping.id,
            )
        )
        present.add((old.item_id, target))
        carried += 1
    return carried


def _mark_assessments(session: Session, cohort: Cohort, framework_id: int) -> None:
    for assessment in session.scalars(
        select(Assessment).where(Assessment.cohort_id == cohort.id, Assessment.framework_id.is_(None))
    ):
        assessment.framework_id = framework_id


def _new_profile_key(
    session: Session, profile_key: str | None, mapping: VersionMapping, successors: dict[int, int]
) -> str | None:
    """The cohort's profile in the new version: the successor of the old profile element."""
    if profile_key is None:
        return None
    old_id = session.scalar(
        select(Element.id).where(Element.framework_id == mapping.from_framework_id, Element.key == profile_key)
    )
    new_id = successors.get(old_id) if old_id is not None else None
    new_key = session.scalar(select(Element.key).where(Element.id == new_id)) if new_id is not None else None
    if new_key is None:
        raise DomainError(
            N_("The cohort's profile %(profile)s has no successor in the new version."), profile=profile_key
        )
    return new_key
