"""Mapping units and instruments onto elements: the grid and the per-unit picker both send cells.

A cell is (source kind, source id, element id) → intensity, or None to remove the link. Instruments always
assess; years and periods map onto nothing. The whole change is one audit event with its counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit import Actor
from app.curriculum.errors import CurriculumError
from app.curriculum.models import CurriculumLink, Intensity
from app.curriculum.queries import TIMED, Plan
from app.curriculum.trail import audit, ensure_draft
from app.domain import N_

INTENSITIES = {i.value for i in Intensity}


@dataclass(frozen=True)
class Cell:
    source_kind: str  # "unit" or "instrument"
    source_id: int
    element_id: int
    intensity: str | None  # None: no link
    target_level: int | None = None


def _check(plan: Plan, cell: Cell) -> None:
    if cell.element_id not in plan.element_by_id:
        raise CurriculumError(N_("that element is not part of this programme"), field="cells")
    if cell.intensity is not None and cell.intensity not in INTENSITIES:
        raise CurriculumError(N_("unknown intensity '%(value)s'"), field="cells", value=cell.intensity)
    if cell.target_level is not None and not 1 <= cell.target_level <= 8:
        raise CurriculumError(N_("a level from 1 to 8"), field="cells")
    if cell.source_kind == "instrument":
        if not any(i.id == cell.source_id for i in plan.instruments):
            raise CurriculumError(N_("that part is not in this curriculum"), field="cells")
        if cell.intensity not in (None, Intensity.ASSESSED):
            raise CurriculumError(N_("an exam instrument always assesses"), field="cells")
    elif cell.source_kind == "unit":
        row = plan.unit_by_id.get(cell.source_id)
        if row is None:
            raise CurriculumError(N_("that part is not in this curriculum"), field="cells")
        if row.unit.kind in TIMED and cell.intensity is not None:
            raise CurriculumError(N_("map modules and activities, not years or periods"), field="cells")
    else:
        raise CurriculumError(N_("that part is not in this curriculum"), field="cells")


def set_cells(session: Session, actor: Actor, plan: Plan, cells: list[Cell]) -> dict[str, int]:
    """Writes the cells (all checked first: nothing is written when one is wrong); returns the counts."""
    curriculum = plan.curriculum
    ensure_draft(curriculum)
    for cell in cells:
        _check(plan, cell)
    existing = plan.link_map()
    counts = {"added": 0, "changed": 0, "removed": 0}
    for cell in cells:
        link = existing.get((cell.source_kind, cell.source_id, cell.element_id))
        if cell.intensity is None:
            if link is not None:
                session.delete(link)
                plan.links.remove(link)
                counts["removed"] += 1
            continue
        if link is None:
            link = CurriculumLink(
                curriculum_id=curriculum.id,
                unit_id=cell.source_id if cell.source_kind == "unit" else None,
                instrument_id=cell.source_id if cell.source_kind == "instrument" else None,
                element_id=cell.element_id,
                intensity=cell.intensity,
                target_level=cell.target_level,
            )
            session.add(link)
            plan.links.append(link)
            counts["added"] += 1
        elif (link.intensity, link.target_level) != (cell.intensity, cell.target_level):
            link.intensity, link.target_level = cell.intensity, cell.target_level
            counts["changed"] += 1
    session.flush()
    if any(counts.values()):
        audit(
            session, actor, curriculum, "curriculum.map", plan.framework.code, framework=plan.framework.code, **counts
        )
    return counts
