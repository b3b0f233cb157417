"""The levels an element is judged on: the scale of its required level (e-CF e-1…e-5, mbo voldoende/goed,
Competent/BK beheerst), or, for an element without one, its framework's first scale. Read for many elements
in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.standards.models import Element, RatingScale, RequiredLevel, ScaleLevel


@dataclass
class ElementScale:
    """One element's levels, by value, and the value its standard requires (None: no required level)."""

    levels: list[ScaleLevel] = field(default_factory=list)
    required: int | None = None

    def value_of(self, name: str | None) -> int | None:
        """A level named by its code ("e-3") or its label ("goed"), as credentials and certificates do."""
        if not name:
            return None
        wanted = name.strip().casefold()
        for level in self.levels:
            if wanted in {(level.code or "").casefold(), level.label.casefold()}:
                return level.value
        return None

    def code_of(self, value: int | None) -> str | None:
        level = next((lv for lv in self.levels if lv.value == value), None)
        return (level.code or level.label) if level is not None else None

    def passing(self, value: int | None) -> bool:
        if value is None:
            return False
        return value >= self.required if self.required is not None else True


def element_scales(session: Session, element_ids: Iterable[int]) -> dict[int, ElementScale]:
    """Three queries whatever the number of elements."""
    ids = sorted(set(element_ids))
    if not ids:
        return {}
    required = session.execute(
        select(RequiredLevel.element_id, ScaleLevel.scale_id, ScaleLevel.value)
        .join(ScaleLevel, ScaleLevel.id == RequiredLevel.scale_level_id)
        .where(RequiredLevel.element_id.in_(ids))
    ).all()
    scale_of = {row.element_id: (row.scale_id, row.value) for row in required}
    first_scale = dict(
        session.execute(
            select(Element.id, RatingScale.id)
            .join(RatingScale, RatingScale.framework_id == Element.framework_id)
            .where(Element.id.in_(ids))
            .order_by(RatingScale.position.desc())
        ).all()
    )  # the last row per element wins: its framework's first scale
    scale_ids = {s for s, _ in scale_of.values()} | set(first_scale.values())
    levels: dict[int, list[ScaleLevel]] = defaultdict(list)
    for level in session.scalars(
        select(ScaleLevel).where(ScaleLevel.scale_id.in_(scale_ids)).order_by(ScaleLevel.value)
    ):
        levels[level.scale_id].append(level)
    out = {}
    for element_id in ids:
        if element_id in scale_of:
            scale_id, value = scale_of[element_id]
            out[element_id] = ElementScale(levels[scale_id], value)
        else:
            scale_id = first_scale.get(element_id)
            out[element_id] = ElementScale(levels.get(scale_id, []) if scale_id else [], None)
    return out
