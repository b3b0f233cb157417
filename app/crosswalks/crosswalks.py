"""Verbs on a crosswalk as a whole: create, edit, publish, unpublish, delete a draft. Every one is audited;
services flush; the request commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit import Actor, record
from app.crosswalks.models import Crosswalk, CrosswalkStatus
from app.db import utcnow
from app.domain import N_, DomainError
from app.standards.models import Framework
from app.standards.queries import Audience, get_framework

NAME_LIMIT = 200


@dataclass(frozen=True)
class NewCrosswalk:
    name: str
    source_code: str
    target_code: str
    organisation_id: int | None  # None: platform-wide
    description: str = ""
    source_ref: str | None = None
    editorial: bool = False
    code: str | None = None


def _framework(session: Session, code: str, field: str, owner_id: int | None) -> Framework:
    """The current version of a standard the crosswalk's owner sees (platform-wide ones and its own private
    ones); another organisation's private standard is unknown, as if it did not exist."""
    framework = get_framework(session, code, audience=Audience.of_owner(owner_id))
    if framework is None:
        raise DomainError(N_("Unknown standard: %(code)s."), field=field, code=code)
    return framework


def _name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name or len(name) > NAME_LIMIT:
        raise DomainError(N_("Give the crosswalk a name of at most %(n)s characters."), field="name", n=NAME_LIMIT)
    return name


def create_crosswalk(session: Session, actor: Actor, new: NewCrosswalk) -> Crosswalk:
    name = _name(new.name)
    source = _framework(session, new.source_code, "source", new.organisation_id)
    target = _framework(session, new.target_code, "target", new.organisation_id)
    if source.id == target.id:
        raise DomainError(N_("A crosswalk links two different standards."), field="target")
    crosswalk = Crosswalk(
        code=new.code,
        name=name,
        description=new.description.strip(),
        source_framework_id=source.id,
        target_framework_id=target.id,
        organisation_id=new.organisation_id,
        editorial=new.editorial,
        source_ref=(new.source_ref or "").strip()[:500] or None,
        author_id=actor.user.id if actor.user else None,
        status=CrosswalkStatus.DRAFT,
    )
    session.add(crosswalk)
    session.flush()
    record(
        session,
        actor,
        "crosswalk.create",
        organisation_id=crosswalk.organisation_id,
        target_type="crosswalk",
        target_id=crosswalk.id,
        summary=f"{name}: {source.code} ↔ {target.code}",
    )
    return crosswalk


def publish_crosswalk(session: Session, actor: Actor, crosswalk: Crosswalk) -> None:
    """Published: readable by everyone, and its links carry evidence into learner records."""
    if crosswalk.status == CrosswalkStatus.PUBLISHED:
        raise DomainError(N_("This crosswalk is already published."))
    if not crosswalk.links:
        raise DomainError(N_("Add at least one link before publishing."))
    if crosswalk.source_framework.organisation_id or crosswalk.target_framework.organisation_id:
        # Published crosswalks are read by everyone: one with a private standard would show its elements.
        raise DomainError(
            N_("A crosswalk with a standard private to an organisation stays a draft of that organisation.")
        )
    crosswalk.status = CrosswalkStatus.PUBLISHED
    crosswalk.published_at = crosswalk.updated_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "crosswalk.publish",
        organisation_id=crosswalk.organisation_id,
        target_type="crosswalk",
        target_id=crosswalk.id,
        summary=f"{crosswalk.name}: {len(crosswalk.links)} links",
    )


def _audit(session: Session, actor: Actor, crosswalk: Crosswalk, action: str, summary: str, **details: object) -> None:
    record(
        session,
        actor,
        action,
        organisation_id=crosswalk.organisation_id,
        target_type="crosswalk",
        target_id=crosswalk.id,
        summary=summary,
        details=details,
    )


def update_crosswalk(
    session: Session, actor: Actor, crosswalk: Crosswalk, name: str, description: str, source_ref: str | None
) -> None:
    """Rename it, or change what it says about itself; its standards and owner stay (a new crosswalk for
    those). Only what changed is recorded."""
    new_name, new_ref = _name(name), (source_ref or "").strip()[:500] or None
    before = {"name": crosswalk.name, "description": crosswalk.description, "source_ref": crosswalk.source_ref}
    after = {"name": new_name, "description": description.strip(), "source_ref": new_ref}
    changed = sorted(key for key in after if after[key] != before[key])
    if not changed:
        return
    crosswalk.name, crosswalk.description, crosswalk.source_ref = new_name, description.strip(), new_ref
    crosswalk.updated_at = utcnow()
    session.flush()
    _audit(
        session,
        actor,
        crosswalk,
        "crosswalk.update",
        f"{before['name']} → {after['name']}" if "name" in changed else crosswalk.name,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )


def unpublish_crosswalk(session: Session, actor: Actor, crosswalk: Crosswalk) -> None:
    """Back to a draft of its owner: from now on its links carry no evidence and only its owner reads it.
    Judgements that cited evidence through it keep their snapshot of what they cited."""
    if crosswalk.status != CrosswalkStatus.PUBLISHED:
        raise DomainError(N_("This crosswalk is not published."))
    crosswalk.status = CrosswalkStatus.DRAFT
    crosswalk.published_at = None
    crosswalk.updated_at = utcnow()
    session.flush()
    _audit(session, actor, crosswalk, "crosswalk.unpublish", crosswalk.name)


def delete_crosswalk(session: Session, actor: Actor, crosswalk: Crosswalk) -> None:
    """Only a draft is deleted, with its links and rejected suggestions; a published one is unpublished first
    (people may have read it), so deleting never silently takes evidence out of learner records."""
    if crosswalk.status == CrosswalkStatus.PUBLISHED:
        raise DomainError(N_("Unpublish this crosswalk before deleting it."))
    _audit(
        session,
        actor,
        crosswalk,
        "crosswalk.delete",
        crosswalk.name,
        links=len(crosswalk.links),
        source=crosswalk.source_framework.code,
        target=crosswalk.target_framework.code,
    )
    session.delete(crosswalk)
    session.flush()
