"""Reads of crosswalks: the list a person may see, one crosswalk's links, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.crosswalks.models import Crosswalk, CrosswalkLink
from app.standards.models import Element, Framework, RatingScale, ScaleLevel
from app.standards.queries import Audience
from app.standards.versions import current_ids


@dataclass(frozen=True)
class CrosswalkRow:
    crosswalk: Crosswalk
    link_count: int


def list_crosswalks(session: Session, visible: Any) -> list[CrosswalkRow]:
    """``visible`` is the authorization's select of the crosswalks a person may see (two queries)."""
    crosswalks = session.scalars(
        visible.options(
            selectinload(Crosswalk.source_framework),
            selectinload(Crosswalk.target_framework),
            selectinload(Crosswalk.organisation),
            selectinload(Crosswalk.author),
        ).order_by(Crosswalk.name, Crosswalk.id)
    ).all()
    ids = [c.id for c in crosswalks]
    counts = dict(
        session.execute(
            select(CrosswalkLink.crosswalk_id, func.count())
            .where(CrosswalkLink.crosswalk_id.in_(ids))
            .group_by(CrosswalkLink.crosswalk_id)
        ).all()
    )
    return [CrosswalkRow(c, counts.get(c.id, 0)) for c in crosswalks]


def load_links(session: Session, crosswalk: Crosswalk) -> list[CrosswalkLink]:
    """The crosswalk's links with their elements, condition level and author, in subject order."""
    return list(
        session.scalars(
            select(CrosswalkLink)
            .join(Element, Element.id == CrosswalkLink.subject_id)
            .where(CrosswalkLink.crosswalk_id == crosswalk.id)
            .options(
                selectinload(CrosswalkLink.subject),
                selectinload(CrosswalkLink.object),
                selectinload(CrosswalkLink.min_level),
                selectinload(CrosswalkLink.author),
            )
            .order_by(Element.sort_order, CrosswalkLink.id)
        )
    )


def condition_levels(session: Session, crosswalk: Crosswalk) -> list[tuple[ScaleLevel, str]]:
    """The levels a link's condition may name: those of both standards' scales, with their standard's code."""
    rows = session.execute(
        select(ScaleLevel, Framework.code)
        .join(RatingScale, RatingScale.id == ScaleLevel.scale_id)
        .join(Framework, Framework.id == RatingScale.framework_id)
        .where(Framework.id.in_([crosswalk.source_framework_id, crosswalk.target_framework_id]))
        .order_by(Framework.code, RatingScale.position, ScaleLevel.value)
    ).all()
    return [(level, code) for level, code in rows]


def framework_choices(session: Session, audience: Audience) -> list[tuple[str, str]]:
    """The standards a crosswalk may link: the current version of each one ``audience`` sees."""
    current = list(current_ids(session).values())
    rows = session.execute(
        select(Framework.code, Framework.title)
        .where(Framework.id.in_(current), audience.filter())
        .order_by(Framework.code)
    )
    return [(code, f"{code} · {title}") for code, title in rows]
