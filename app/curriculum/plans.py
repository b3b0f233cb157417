"""Curricula as a whole: create one, its settings, the cohorts that follow it, a new version and a copy for
the next year. Each verb checks, writes, audits and flushes; the request commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Cohort, Organisation
from app.audit import Actor
from app.curriculum.errors import CurriculumError
from app.curriculum.models import (
    CohortCurriculum,
    Curriculum,
    CurriculumFramework,
    CurriculumLink,
    CurriculumStatus,
    CurriculumUnit,
    ExamInstrument,
)
from app.curriculum.trail import audit, clean_text, ensure_draft
from app.domain import N_
from app.standards.models import Element, Framework
from app.standards.queries import Audience, get_framework


@dataclass
class NewCurriculum:
    title: str
    cohort_year: str
    framework_code: str
    profile_key: str | None = None
    further_codes: tuple[str, ...] = ()
    over_assessed_threshold: int = 2


def _framework(session: Session, code: str, field: str, organisation_id: int) -> Framework:
    """The current version of a standard the school sees (platform-wide or its own private one)."""
    framework = get_framework(session, code, audience=Audience.of_owner(organisation_id))
    if framework is None:
        raise CurriculumError(N_("unknown standard: %(code)s"), field=field, code=code)
    return framework


def _profile(session: Session, framework: Framework, key: str | None) -> str | None:
    if not key:
        return None
    found = session.scalar(select(Element.id).where(Element.framework_id == framework.id, Element.key == key))
    if found is None:
        raise CurriculumError(
            N_("%(framework)s has no profile %(key)s"), field="profile_key", framework=framework.code, key=key
        )
    return key


def _threshold(value: int | None) -> int:
    if value is None or not 1 <= value <= 20:
        raise CurriculumError(N_("the threshold is a whole number from 1 to 20"), field="over_assessed_threshold")
    return value


def _check_unique(session: Session, org_id: int, title: str, year: str, version: int) -> None:
    clash = session.scalar(
        select(Curriculum.id).where(
            Curriculum.organisation_id == org_id,
            Curriculum.title == title,
            Curriculum.cohort_year == year,
            Curriculum.version == version,
        )
    )
    if clash is not None:
        raise CurriculumError(
            N_("there is already a curriculum %(title)s for %(year)s"), field="title", title=title, year=year
        )


def create_curriculum(session: Session, actor: Actor, org: Organisation, data: NewCurriculum) -> Curriculum:
    title = clean_text(data.title, 200, "title", required=True)
    year = clean_text(data.cohort_year, 20, "cohort_year", required=True)
    framework = _framework(session, data.framework_code, "framework_code", org.id)
    profile = _profile(session, framework, data.profile_key)
    _check_unique(session, org.id, title, year, 1)
    curriculum = Curriculum(
        organisation_id=org.id,
        framework_id=framework.id,
        profile_key=profile,
        title=title,
        cohort_year=year,
        over_assessed_threshold=_threshold(data.over_assessed_threshold),
    )
    for code in dict.fromkeys(c for c in data.further_codes if c and c != framework.code):
        curriculum.further.append(
            CurriculumFramework(framework_id=_framework(session, code, "further_codes", org.id).id)
        )
    session.add(curriculum)
    session.flush()
    audit(session, actor, curriculum, "curriculum.create", framework.code, profile=profile)
    return curriculum


def update_threshold(session: Session, actor: Actor, curriculum: Curriculum, threshold: int | None) -> None:
    ensure_draft(curriculum)
    before = curriculum.over_assessed_threshold
    curriculum.over_assessed_threshold = _threshold(threshold)
    session.flush()
    audit(session, actor, curriculum, "curriculum.update", "threshold", before=before, after=threshold)


def follow(session: Session, actor: Actor, curriculum: Curriculum, cohort: Cohort) -> None:
    """``cohort`` follows this curriculum version (replacing the one it followed)."""
    if cohort.organisation_id != curriculum.organisation_id:
        raise CurriculumError(N_("that cohort is not of this organisation"), field="cohort_id")
    if cohort.framework_id != curriculum.framework_id:
        raise CurriculumError(N_("that cohort follows another standard"), field="cohort_id")
    link = session.get(CohortCurriculum, cohort.id)
    before = link.curriculum_id if link else None
    if link is None:
        session.add(CohortCurriculum(cohort_id=cohort.id, curriculum_id=curriculum.id))
    else:
        link.curriculum_id = curriculum.id
    session.flush()
    audit(session, actor, curriculum, "curriculum.cohort", cohort.name, cohort=cohort.id, before=before)


def copy_plan(session: Session, source: Curriculum, *, cohort_year: str, version: int) -> Curriculum:
    """A draft copy of ``source``: units, instruments, links and further standards (no cohorts)."""
    copy = Curriculum(
        organisation_id=source.organisation_id,
        framework_id=source.framework_id,
        profile_key=source.profile_key,
        title=source.title,
        cohort_year=cohort_year,
        version=version,
        over_assessed_threshold=source.over_assessed_threshold,
        previous_id=source.id,
        further=[CurriculumFramework(framework_id=f.framework_id, profile_key=f.profile_key) for f in source.further],
    )
    session.add(copy)
    session.flush()
    unit_ids = _copy_units(session, source, copy)
    instrument_ids: dict[int, int] = {}
    for inst in source.instruments:
        new_inst = ExamInstrument(
            curriculum_id=copy.id,
            period_id=unit_ids.get(inst.period_id) if inst.period_id else None,
            code=inst.code,
            title=inst.title,
            kind=inst.kind,
            scale=inst.scale,
            pass_rule=inst.pass_rule,
            assessors_required=inst.assessors_required,
            summative=inst.summative,
            position=inst.position,
        )
        session.add(new_inst)
        session.flush()
        instrument_ids[inst.id] = new_inst.id
    for link in session.scalars(select(CurriculumLink).where(CurriculumLink.curriculum_id == source.id)):
        session.add(
            CurriculumLink(
                curriculum_id=copy.id,
                unit_id=unit_ids.get(link.unit_id) if link.unit_id else None,
                instrument_id=instrument_ids.get(link.instrument_id) if link.instrument_id else None,
                element_id=link.element_id,
                intensity=link.intensity,
                target_level=link.target_level,
            )
        )
    session.flush()
    return copy


def _copy_units(session: Session, source: Curriculum, copy: Curriculum) -> dict[int, int]:
    """Copies the unit tree, parents before children; returns old id → new id."""
    unit_ids: dict[int, int] = {}
    pending = sorted(source.units, key=lambda u: (u.parent_id is not None, u.id))
    while pending:  # parents before children
        unit = next(u for u in pending if u.parent_id is None or u.parent_id in unit_ids)
        pending.remove(unit)
        new = CurriculumUnit(
            curriculum_id=copy.id,
            parent_id=unit_ids.get(unit.parent_id) if unit.parent_id else None,
            kind=unit.kind,
            code=unit.code,
            title=unit.title,
            description=unit.description,
            hours=unit.hours,
            credits=unit.credits,
            position=unit.position,
        )
        session.add(new)
        session.flush()
        unit_ids[unit.id] = new.id
    return unit_ids


def new_version(session: Session, actor: Actor, curriculum: Curriculum) -> Curriculum:
    """A draft next version of an adopted plan, to change it; the adopted one stays until the new one is."""
    if not curriculum.adopted:
        raise CurriculumError(N_("this plan is still a draft: change it directly"))
    latest = session.scalar(
        select(func.max(Curriculum.version)).where(
            Curriculum.organisation_id == curriculum.organisation_id,
            Curriculum.title == curriculum.title,
            Curriculum.cohort_year == curriculum.cohort_year,
        )
    )
    copy = copy_plan(session, curriculum, cohort_year=curriculum.cohort_year, version=(latest or 1) + 1)
    audit(session, actor, copy, "curriculum.version", f"from v{curriculum.version}", previous=curriculum.id)
    return copy


def copy_to_year(session: Session, actor: Actor, curriculum: Curriculum, cohort_year: str) -> Curriculum:
    year = clean_text(cohort_year, 20, "cohort_year", required=True)
    if year == curriculum.cohort_year:
        raise CurriculumError(N_("choose another cohort year than %(year)s"), field="cohort_year", year=year)
    _check_unique(session, curriculum.organisation_id, curriculum.title, year, 1)
    copy = copy_plan(session, curriculum, cohort_year=year, version=1)
    audit(session, actor, copy, "curriculum.copy", f"from {curriculum.cohort_year}", previous=curriculum.id)
    return copy


def supersede_previous(session: Session, curriculum: Curriculum) -> None:
    """Adopting a new version of a plan supersedes the version it was made from, and moves its cohorts."""
    previous = curriculum.previous
    if (
        previous is None
        or previous.cohort_year != curriculum.cohort_year
        or previous.status != CurriculumStatus.ADOPTED
    ):
        return
    previous.status = CurriculumStatus.SUPERSEDED
    for link in session.scalars(select(CohortCurriculum).where(CohortCurriculum.curriculum_id == previous.id)):
        link.curriculum_id = curriculum.id
    session.flush()
