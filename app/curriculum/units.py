"""The parts of a programme: units (years, periods, modules, activities) and exam instruments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import Actor
from app.curriculum.errors import CurriculumError
from app.curriculum.models import Curriculum, CurriculumUnit, ExamInstrument, InstrumentKind, UnitKind
from app.curriculum.trail import audit, clean_text, ensure_draft
from app.domain import N_

# What a unit may sit in: periods in a year, modules in a year or period, activities in a module.
PARENTS = {
    UnitKind.YEAR: (None,),
    UnitKind.PERIOD: (None, UnitKind.YEAR),
    UnitKind.MODULE: (None, UnitKind.YEAR, UnitKind.PERIOD),
    UnitKind.ACTIVITY: (UnitKind.MODULE,),
}


@dataclass
class UnitInput:
    kind: str
    title: str
    code: str = ""
    parent_id: int | None = None
    hours: int | None = None
    credits: int | None = None
    description: str = ""


@dataclass
class InstrumentInput:
    title: str
    kind: str
    code: str = ""
    period_id: int | None = None
    scale: str = ""
    pass_rule: str = ""
    assessors_required: int = 1
    summative: bool = True


def unit_of(curriculum: Curriculum, unit_id: int | None, field: str) -> CurriculumUnit | None:
    if unit_id is None:
        return None
    unit = next((u for u in curriculum.units if u.id == unit_id), None)
    if unit is None:
        raise CurriculumError(N_("that part is not in this curriculum"), field=field)
    return unit


def _amount(value: int | None, field: str) -> int | None:
    if value is not None and not 0 <= value <= 10000:
        raise CurriculumError(N_("a number from 0 to 10000"), field=field)
    return value


def _check_unit(curriculum: Curriculum, data: UnitInput, unit: CurriculumUnit | None = None) -> CurriculumUnit | None:
    if data.kind not in {k.value for k in UnitKind}:
        raise CurriculumError(N_("unknown kind '%(kind)s'"), field="kind", kind=data.kind)
    parent = unit_of(curriculum, data.parent_id, "parent_id")
    if (parent.kind if parent else None) not in PARENTS[UnitKind(data.kind)]:
        raise CurriculumError(N_("a part of this kind cannot be placed there"), field="parent_id")
    ancestor = parent
    while unit is not None and ancestor is not None:
        if ancestor.id == unit.id:
            raise CurriculumError(N_("a part cannot be placed inside itself"), field="parent_id")
        ancestor = unit_of(curriculum, ancestor.parent_id, "parent_id")
    _amount(data.hours, "hours")
    _amount(data.credits, "credits")
    return parent


def add_unit(session: Session, actor: Actor, curriculum: Curriculum, data: UnitInput) -> CurriculumUnit:
    ensure_draft(curriculum)
    parent = _check_unit(curriculum, data)
    last = session.scalar(
        select(func.max(CurriculumUnit.position)).where(
            CurriculumUnit.curriculum_id == curriculum.id,
            CurriculumUnit.parent_id == parent.id if parent else CurriculumUnit.parent_id.is_(None),
        )
    )
    unit = CurriculumUnit(
        curriculum_id=curriculum.id,
        parent_id=parent.id if parent else None,
        kind=data.kind,
        code=clean_text(data.code, 40, "code"),
        title=clean_text(data.title, 200, "title", required=True),
        description=(data.description or "").strip()[:4000],
        hours=data.hours,
        credits=data.credits,
        position=(last or 0) + 1,
    )
    curriculum.units.append(unit)
    session.flush()
    audit(session, actor, curriculum, "curriculum.unit.add", unit.label, unit=unit.id, kind=unit.kind)
    return unit


def update_unit(session: Session, actor: Actor, curriculum: Curriculum, unit: CurriculumUnit, data: UnitInput) -> None:
    ensure_draft(curriculum)
    data.kind = unit.kind  # a unit keeps its kind; its place, names and size change
    parent = _check_unit(curriculum, data, unit)
    unit.parent_id = parent.id if parent else None
    unit.code = clean_text(data.code, 40, "code")
    unit.title = clean_text(data.title, 200, "title", required=True)
    unit.description = (data.description or "").strip()[:4000]
    unit.hours, unit.credits = data.hours, data.credits
    session.flush()
    audit(session, actor, curriculum, "curriculum.unit.update", unit.label, unit=unit.id)


def delete_unit(session: Session, actor: Actor, curriculum: Curriculum, unit: CurriculumUnit) -> None:
    """Removes the unit with what it holds and its links (the database cascades)."""
    ensure_draft(curriculum)
    label = unit.label
    session.delete(unit)
    session.flush()
    session.expire(curriculum)
    audit(session, actor, curriculum, "curriculum.unit.delete", label, unit=unit.id)


def _instrument_values(curriculum: Curriculum, data: InstrumentInput) -> dict[str, object]:
    if data.kind not in {k.value for k in InstrumentKind}:
        raise CurriculumError(N_("unknown kind '%(kind)s'"), field="kind", kind=data.kind)
    period = unit_of(curriculum, data.period_id, "period_id")
    if period is not None and period.kind not in (UnitKind.PERIOD, UnitKind.YEAR):
        raise CurriculumError(N_("choose a period or a year"), field="period_id")
    if not 1 <= (data.assessors_required or 0) <= 5:
        raise CurriculumError(N_("from 1 to 5 assessors"), field="assessors_required")
    return {
        "title": clean_text(data.title, 200, "title", required=True),
        "code": clean_text(data.code, 40, "code"),
        "kind": data.kind,
        "period_id": period.id if period else None,
        "scale": clean_text(data.scale, 200, "scale"),
        "pass_rule": (data.pass_rule or "").strip()[:2000],
        "assessors_required": data.assessors_required,
        "summative": bool(data.summative),
    }


def add_instrument(session: Session, actor: Actor, curriculum: Curriculum, data: InstrumentInput) -> ExamInstrument:
    ensure_draft(curriculum)
    values = _instrument_values(curriculum, data)
    instrument = ExamInstrument(curriculum_id=curriculum.id, position=len(curriculum.instruments) + 1, **values)
    curriculum.instruments.append(instrument)
    session.flush()
    audit(session, actor, curriculum, "curriculum.instrument.add", instrument.label, instrument=instrument.id)
    return instrument


def update_instrument(
    session: Session, actor: Actor, curriculum: Curriculum, instrument: ExamInstrument, data: InstrumentInput
) -> None:
    ensure_draft(curriculum)
    for name, value in _instrument_values(curriculum, data).items():
        setattr(instrument, name, value)
    session.flush()
    audit(session, actor, curriculum, "curriculum.instrument.update", instrument.label, instrument=instrument.id)


def delete_instrument(session: Session, actor: Actor, curriculum: Curriculum, instrument: ExamInstrument) -> None:
    ensure_draft(curriculum)
    label = instrument.label
    session.delete(instrument)
    session.flush()
    session.expire(curriculum)
    audit(session, actor, curriculum, "curriculum.instrument.delete", label, instrument=instrument.id)
