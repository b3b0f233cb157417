"""Importing the map from XLSX: upload → preview (each change, each problem with its sheet and row) →
confirm by digest → all or nothing.

The sheet is the whole map of the plan on one standard: a link in the plan that the sheet does not hold is
removed. The preview's digest covers the file and the map it was compared with, so a confirmation applies
exactly what was previewed; when the plan changed in between, the digest differs and the person previews
again. Writing goes through ``mapping.set_cells`` (its checks, the draft rule, one audit event)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.audit import Actor
from app.curriculum.mapfile import SHEET, SheetRow, part_code, read_map
from app.curriculum.mapping import Cell, set_cells
from app.curriculum.models import Intensity
from app.curriculum.queries import TIMED, Plan
from app.curriculum.trail import ensure_draft
from app.domain import N_

INTENSITY = {"i": "introduced", "p": "practised", "a": "assessed"} | {i.value: i.value for i in Intensity}
ADD, CHANGE, REMOVE = "add", "change", "remove"


@dataclass(frozen=True)
class Problem:
    row: int
    message: str  # a msgid with %(name)s placeholders, translated where it is shown
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str = SHEET


@dataclass(frozen=True)
class Change:
    action: str  # add, change, remove
    part: str
    element: str
    old: tuple[str, int | None] | None  # (intensity, target level) before
    new: tuple[str, int | None] | None
    row: int | None = None  # the sheet row it comes from (none for a removal)


@dataclass
class MapPreview:
    digest: str
    changes: list[Change]
    problems: list[Problem]
    cells: list[Cell]
    rows: int

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.changes)


def _parts(plan: Plan) -> dict[str, list[tuple[str, int, str]]]:
    """code (or title) → the parts it names: (kind, id, label); years and periods map onto nothing."""
    out: dict[str, list[tuple[str, int, str]]] = {}
    for row in plan.units:
        u = row.unit
        kind = "period" if u.kind in TIMED else "unit"
        out.setdefault(part_code(u.code, u.title).casefold(), []).append((kind, u.id, u.label))
    for i in plan.instruments:
        out.setdefault(part_code(i.code, i.title).casefold(), []).append(("instrument", i.id, i.label))
    return out


def _level(raw: str) -> int | Problem | None:
    if not raw:
        return None
    if raw.isdigit() and 1 <= int(raw) <= 8:
        return int(raw)
    return Problem(0, N_("the target level '%(value)s' is not a level from 1 to 8"), {"value": raw})


def _resolve(plan: Plan, parts: dict[str, list[tuple[str, int, str]]], row: SheetRow) -> Cell | Problem:
    named = parts.get(row.code.casefold(), [])
    if not row.code or not named:
        return Problem(row.row, N_("no unit or exam instrument has the code '%(code)s'"), {"code": row.code})
    if len(named) > 1:
        return Problem(row.row, N_("the code '%(code)s' names more than one part"), {"code": row.code})
    kind, source_id, _label = named[0]
    if kind == "period":
        return Problem(row.row, N_("'%(code)s' is a year or period: map modules and activities"), {"code": row.code})
    node = plan.element_by_key.get(row.element) or next(
        (n for n in plan.elements if n.element.code and n.element.code.casefold() == row.element.casefold()), None
    )
    if node is None:
        return Problem(row.row, N_("the element '%(element)s' is not part of this programme"), {"element": row.element})
    intensity = INTENSITY.get(row.intensity.casefold())
    if intensity is None:
        return Problem(row.row, N_("the intensity '%(value)s' is not I, P or A"), {"value": row.intensity})
    if kind == "instrument" and intensity != Intensity.ASSESSED:
        return Problem(row.row, N_("an exam instrument always assesses: write A"))
    level = _level(row.target_level)
    if isinstance(level, Problem):
        return Problem(row.row, level.message, level.params)
    return Cell(kind, source_id, node.element.id, intensity, level)


def _labels(plan: Plan) -> dict[tuple[str, int], str]:
    return {("unit", r.unit.id): r.unit.label for r in plan.units} | {
        ("instrument", i.id): i.label for i in plan.instruments
    }


def compare(plan: Plan, rows: list[SheetRow], raw: bytes) -> MapPreview:
    """What importing ``rows`` would change in ``plan``, and every problem that stops it."""
    parts = _parts(plan)
    problems: list[Problem] = []
    cells: dict[tuple[str, int, int], tuple[Cell, int]] = {}
    for row in rows:
        resolved = _resolve(plan, parts, row)
        if isinstance(resolved, Problem):
            problems.append(resolved)
            continue
        key = (resolved.source_kind, resolved.source_id, resolved.element_id)
        if key in cells:
            problems.append(Problem(row.row, N_("row %(first)s already maps this part onto this element"),
                                    {"first": cells[key][1]}))  # fmt: skip
            continue
        cells[key] = (resolved, row.row)
    labels, existing = _labels(plan), plan.link_map()
    code = {n.element.id: n.element.code or n.key for n in plan.elements}
    changes: list[Change] = []
    for key, (cell, number) in cells.items():
        link = existing.get(key)
        new = (cell.intensity or "", cell.target_level)
        old = (link.intensity, link.target_level) if link is not None else None
        if old != new:
            action = ADD if old is None else CHANGE
            changes.append(Change(action, labels[key[:2]], code[key[2]], old, new, number))
    removals = [Cell(k[0], k[1], k[2], None) for k in existing if k not in cells]
    for cell in removals:
        link = existing[(cell.source_kind, cell.source_id, cell.element_id)]
        key2 = (cell.source_kind, cell.source_id)
        changes.append(Change(REMOVE, labels[key2], code[cell.element_id], (link.intensity, link.target_level), None))
    digest = hashlib.sha256(raw)
    for k, link in sorted(existing.items()):
        digest.update(f"|{k}:{link.intensity}:{link.target_level}".encode())
    to_write = [cell for cell, _n in cells.values()] + removals
    return MapPreview(digest.hexdigest(), changes, problems, to_write, len(rows))


def preview(plan: Plan, raw: bytes) -> MapPreview:
    """Reads the file (refusing a hostile one with a CurriculumError) and compares it with the plan."""
    ensure_draft(plan.curriculum)
    return compare(plan, read_map(raw), raw)


def apply(session: Session, actor: Actor, plan: Plan, result: MapPreview) -> dict[str, int]:
    """Writes a previewed import (the caller checked the digest); nothing when it has a problem."""
    if not result.can_apply:
        return {"added": 0, "changed": 0, "removed": 0}
    return set_cells(session, actor, plan, result.cells)
