"""Read versions and mappings: each question in a fixed number of queries, whatever the size of a standard."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from app.standards.models import Element, Framework, RatingScale, ScaleLevel
from app.versioning.diff import Diff, Item, diff
from app.versioning.models import CarriedResult, MappingRow, MappingStatus, VersionMapping


def items_of(session: Session, framework: Framework) -> list[Item]:
    """The elements of a version in tree order, as the diff compares them (retired ones are not in it): one
    query."""
    rows = session.execute(
        select(
            Element.id,
            Element.key,
            Element.code,
            Element.type,
            Element.title,
            Element.description,
            Element.attributes,
            Element.parent_id,
        )
        .where(Element.framework_id == framework.id, Element.retired_at.is_(None))
        .order_by(Element.sort_order)
    ).all()
    keys = {row.id: row.key for row in rows}
    return [
        Item(
            key=row.key,
            type=row.type,
            title=row.title,
            code=row.code,
            description=row.description,
            attributes=row.attributes or {},
            parent_key=keys.get(row.parent_id) if row.parent_id else None,
            ref=row.id,
        )
        for row in rows
    ]


def diff_versions(session: Session, old: Framework, new: Framework) -> Diff:
    """Two queries: the elements of each version."""
    return diff(items_of(session, old), items_of(session, new))


def mapping_between(session: Session, old: Framework, new: Framework) -> VersionMapping | None:
    return session.scalar(
        select(VersionMapping).where(
            VersionMapping.from_framework_id == old.id, VersionMapping.to_framework_id == new.id
        )
    )


def mapping_rows(session: Session, mapping: VersionMapping) -> list[MappingRow]:
    """The rows with their old and new elements: three queries for any number of rows."""
    return list(
        session.scalars(
            select(MappingRow)
            .where(MappingRow.mapping_id == mapping.id)
            .order_by(MappingRow.position)
            .options(selectinload(MappingRow.old_element), selectinload(MappingRow.new_element))
        )
    )


def confirmed_mappings_from(session: Session, framework_id: int) -> list[VersionMapping]:
    """Confirmed mappings a cohort on this version may move along, with the version they lead to."""
    return list(
        session.scalars(
            select(VersionMapping)
            .where(VersionMapping.from_framework_id == framework_id, VersionMapping.status == MappingStatus.CONFIRMED)
            .options(selectinload(VersionMapping.to_framework))
            .order_by(VersionMapping.id)
        )
    )


def mappings_of_code(session: Session, code: str) -> list[VersionMapping]:
    old_fw = aliased(Framework)
    return list(
        session.scalars(
            select(VersionMapping)
            .join(old_fw, old_fw.id == VersionMapping.from_framework_id)
            .where(old_fw.code == code)
            .options(selectinload(VersionMapping.from_framework), selectinload(VersionMapping.to_framework))
            .order_by(VersionMapping.id)
        )
    )


def level_map(session: Session, old: Framework, new: Framework) -> dict[int, int]:
    """Each scale level of the old version to the level of the new one with the same scale code and value."""
    rows = session.execute(
        select(ScaleLevel.id, RatingScale.framework_id, RatingScale.code, ScaleLevel.value)
        .join(ScaleLevel.scale)
        .where(RatingScale.framework_id.in_([old.id, new.id]))
    ).all()
    new_levels = {(code, value): lv_id for lv_id, fw_id, code, value in rows if fw_id == new.id}
    return {
        lv_id: new_levels[(code, value)]
        for lv_id, fw_id, code, value in rows
        if fw_id == old.id and (code, value) in new_levels
    }


@dataclass(frozen=True)
class Carried:
    """A carried result as the learner record reads it."""

    candidate_id: int
    element_id: int
    level_id: int | None
    assessment_id: int  # of the judgement it came from: still readable in the old version
    finalised_at: object
    superseded: bool
    label: str  # "<old version> <old element code>"


def carried_results(session: Session, cohort_id: int, student_ids: Iterable[int]) -> dict[int, list[Carried]]:
    """Carried results of the students in the cohort, per student: one query."""
    from app.assessment.models import Judgement

    old_el, old_fw = aliased(Element), aliased(Framework)
    rows = session.execute(
        select(CarriedResult, Judgement.assessment_id, old_el.code, old_el.key, old_fw.version)
        .join(Judgement, Judgement.id == CarriedResult.carried_from_id)
        .join(old_el, old_el.id == Judgement.element_id)
        .join(old_fw, old_fw.id == old_el.framework_id)
        .where(CarriedResult.cohort_id == cohort_id, CarriedResult.candidate_id.in_(list(student_ids)))
        .order_by(CarriedResult.finalised_at, CarriedResult.id)
    ).all()
    out: dict[int, list[Carried]] = defaultdict(list)
    for carried, assessment_id, code, key, version in rows:
        label = f"{version or '-'} {code or key}"
        out[carried.candidate_id].append(
            Carried(
                carried.candidate_id,
                carried.element_id,
                carried.level_id,
                assessment_id,
                carried.finalised_at,
                carried.superseded,
                label,
            )
        )
    return out
