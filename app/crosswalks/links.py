"""Verbs on a crosswalk's links: add one (by hand or an accepted suggestion), remove one, reject suggestions.
Every change is audited; a refused link writes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import Actor, record
from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkRejection, LinkRelation
from app.db import utcnow
from app.domain import N_, DomainError
from app.standards.models import Element, RatingScale, ScaleLevel

NOTE_LIMIT = 4000


@dataclass(frozen=True)
class LinkInput:
    subject_key: str
    object_key: str
    relation: str
    note: str = ""
    confidence: float = 0.8
    min_level_id: int | None = None
    condition_text: str = ""
    suggested: bool = False


def _element(session: Session, framework_id: int, key: str, field: str) -> Element:
    element = session.scalar(select(Element).where(Element.framework_id == framework_id, Element.key == key))
    if element is None or element.retired_at is not None:
        raise DomainError(
            N_("Choose an element of the standard on this side (%(key)s is not one)."), field=field, key=key
        )
    return element


def _check_condition(session: Session, crosswalk: Crosswalk, link: LinkInput) -> None:
    if link.min_level_id is None:
        return
    framework_id = session.scalar(
        select(RatingScale.framework_id)
        .join(ScaleLevel, ScaleLevel.scale_id == RatingScale.id)
        .where(ScaleLevel.id == link.min_level_id)
    )
    if framework_id not in (crosswalk.source_framework_id, crosswalk.target_framework_id):
        raise DomainError(N_("The minimum level must be a level of one of the two standards."), field="min_level")


def _validate(link: LinkInput) -> None:
    if link.relation not in {r.value for r in LinkRelation}:
        raise DomainError(N_("Choose a relation."), field="relation")
    if not 0 <= link.confidence <= 1:
        raise DomainError(N_("Confidence is a number from 0 to 1."), field="confidence")
    if len(link.note) > NOTE_LIMIT or len(link.condition_text) > NOTE_LIMIT:
        raise DomainError(N_("A note or condition is at most %(n)s characters."), field="note", n=NOTE_LIMIT)


def add_link(session: Session, actor: Actor, crosswalk: Crosswalk, link: LinkInput) -> CrosswalkLink:
    _validate(link)
    subject = _element(session, crosswalk.source_framework_id, link.subject_key, "subject_key")
    obj = _element(session, crosswalk.target_framework_id, link.object_key, "object_key")
    _check_condition(session, crosswalk, link)
    exists = session.scalar(
        select(CrosswalkLink.id).where(
            CrosswalkLink.crosswalk_id == crosswalk.id,
            CrosswalkLink.subject_id == subject.id,
            CrosswalkLink.object_id == obj.id,
        )
    )
    if exists is not None:
        raise DomainError(
            N_("%(subject)s and %(object)s are already linked in this crosswalk."),
            subject=subject.label,
            object=obj.label,
        )
    row = CrosswalkLink(
        crosswalk=crosswalk,
        subject_id=subject.id,
        object_id=obj.id,
        relation=link.relation,
        note=link.note.strip(),
        confidence=link.confidence,
        min_level_id=link.min_level_id,
        condition_text=link.condition_text.strip(),
        suggested=link.suggested,
        author_id=actor.user.id if actor.user else None,
    )
    session.add(row)
    crosswalk.updated_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "crosswalk.link_add",
        organisation_id=crosswalk.organisation_id,
        target_type="crosswalk",
        target_id=crosswalk.id,
        summary=f"{subject.key} {link.relation} {obj.key}" + (" (suggested)" if link.suggested else ""),
        details={"link": row.id, "confidence": link.confidence, "suggested": link.suggested},
    )
    return row


def accept_suggestions(session: Session, actor: Actor, crosswalk: Crosswalk, links: Iterable[LinkInput]) -> int:
    """Bulk accept: all the chosen suggestions or, if one is refused, none."""
    added = [add_link(session, actor, crosswalk, link) for link in links]
    return len(added)


def remove_link(session: Session, actor: Actor, crosswalk: Crosswalk, link: CrosswalkLink) -> None:
    summary = f"{link.subject.key} {link.relation} {link.object.key}"
    session.delete(link)
    crosswalk.updated_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "crosswalk.link_remove",
        organisation_id=crosswalk.organisation_id,
        target_type="crosswalk",
        target_id=crosswalk.id,
        summary=summary,
    )


def reject_suggestions(session: Session, actor: Actor, crosswalk: Crosswalk, pairs: Iterable[tuple[str, str]]) -> int:
    """Turn suggestions down (by subject and object key): they are not suggested again."""
    count = 0
    for subject_key, object_key in pairs:
        subject = _element(session, crosswalk.source_framework_id, subject_key, "subject_key")
        obj = _element(session, crosswalk.target_framework_id, object_key, "object_key")
        if session.get(CrosswalkRejection, (crosswalk.id, subject.id, obj.id)) is None:
            session.add(
                CrosswalkRejection(
                    crosswalk_id=crosswalk.id,
                    subject_id=subject.id,
                    object_id=obj.id,
                    rejected_by_id=actor.user.id if actor.user else None,
                )
            )
            count += 1
            record(
                session,
                actor,
                "crosswalk.suggestion_reject",
                organisation_id=crosswalk.organisation_id,
                target_type="crosswalk",
                target_id=crosswalk.id,
                summary=f"{subject.key} ↔ {obj.key}",
            )
    session.flush()
    return count
