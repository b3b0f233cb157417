"""Propose, review and confirm a version mapping (flush only; the request's unit of work commits).

The mapping is proposed from the diff, one row per element of the old version. A person changes the rows
that are wrong and then confirms the mapping; confirming stamps every row not changed by hand with who
confirmed it, and from then on the mapping no longer changes (cohorts move along it). Every change and the
confirmation are in the audit log.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import utcnow
from app.domain import N_, DomainError
from app.standards.models import Element, Framework
from app.versioning.models import MappingRow, MappingStatus, VersionMapping
from app.versioning.proposal import Relation, propose
from app.versioning.queries import diff_versions, mapping_between


def propose_mapping(session: Session, actor: Actor, old: Framework, new: Framework) -> VersionMapping:
    """The mapping from ``old`` to ``new`` as the diff proposes it (the existing one when there is one)."""
    if old.code != new.code or old.id == new.id:
        raise DomainError(N_("A mapping goes from one version of a standard to another version of it."))
    existing = mapping_between(session, old, new)
    if existing is not None:
        return existing
    mapping = VersionMapping(
        from_framework_id=old.id, to_framework_id=new.id, created_by_id=actor.user.id if actor.user else None
    )
    session.add(mapping)
    session.flush()
    proposals = propose(diff_versions(session, old, new))
    for position, p in enumerate(proposals):
        session.add(
            MappingRow(
                mapping_id=mapping.id,
                position=position,
                old_element_id=p.old_ref,
                new_element_id=p.new_ref,
                relation=p.relation,
                proposed_element_id=p.new_ref,
                proposed_relation=p.relation,
            )
        )
    counts = {r.value: sum(1 for p in proposals if p.relation == r) for r in Relation}
    audit.record(
        session,
        actor,
        "standards.mapping.proposed",
        target_type="version_mapping",
        target_id=mapping.id,
        summary=f"{old.code}: mapping {old.version or '-'} → {new.version or '-'} proposed ({len(proposals)} rows)",
        details={"from": old.id, "to": new.id, "relations": counts},
    )
    session.flush()
    return mapping


def change_row(session: Session, actor: Actor, row: MappingRow, relation: str, new_key: str | None) -> MappingRow:
    """A person's decision on one row: the successor (by its key in the new version) and the relation."""
    mapping = row.mapping
    if mapping.confirmed:
        raise DomainError(N_("This mapping is confirmed: it no longer changes."))
    if relation not in {r.value for r in Relation}:
        raise DomainError(N_("Choose how the element relates to its successor."), field="relation")
    successor: Element | None = None
    if relation != Relation.NONE:
        key = (new_key or "").strip()
        successor = session.scalar(
            select(Element).where(
                Element.framework_id == mapping.to_framework_id, Element.key == key, Element.retired_at.is_(None)
            )
        )
        if successor is None:
            raise DomainError(N_("The new version has no element %(key)s."), field="successor", key=key[:160] or "—")
    row.relation = relation
    row.new_element_id = successor.id if successor else None
    row.reviewed_at = utcnow()
    row.reviewed_by_id = actor.user.id if actor.user else None
    audit.record(
        session,
        actor,
        "standards.mapping.row_changed",
        target_type="version_mapping",
        target_id=mapping.id,
        summary=f"{row.old_element.key}: {relation} {successor.key if successor else ''}".strip(),
        details={"row": row.id, "relation": relation, "successor": successor.id if successor else None},
    )
    session.flush()
    return row


def confirm_mapping(session: Session, actor: Actor, mapping: VersionMapping) -> VersionMapping:
    """Confirm every row as it stands now; the mapping no longer changes afterwards."""
    if mapping.confirmed:
        raise DomainError(N_("This mapping is confirmed already."))
    now = utcnow()
    user_id = actor.user.id if actor.user else None
    changed = 0
    for row in mapping.rows:
        changed += row.changed_by_reviewer
        if row.reviewed_at is None:
            row.reviewed_at, row.reviewed_by_id = now, user_id
    mapping.status = MappingStatus.CONFIRMED
    mapping.confirmed_at, mapping.confirmed_by_id = now, user_id
    old, new = mapping.from_framework, mapping.to_framework
    audit.record(
        session,
        actor,
        "standards.mapping.confirmed",
        target_type="version_mapping",
        target_id=mapping.id,
        summary=(
            f"{old.code}: mapping {old.version or '-'} → {new.version or '-'} confirmed "
            f"({len(mapping.rows)} rows, {changed} changed by hand)"
        ),
        details={
            "rows": len(mapping.rows),
            "changed": changed,
            "relations": {r.value: sum(1 for x in mapping.rows if x.relation == r) for r in Relation},
        },
    )
    session.flush()
    return mapping
