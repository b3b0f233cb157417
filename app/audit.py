"""The append-only audit log: who did what, when (UTC) and from where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.orm import Mapper, Session

from app.accounts.models import AuditEvent, User


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where. Views build it from the request; services and commands receive it."""

    user: User | None
    ip: str | None = None
    user_agent: str | None = None

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(user=None, ip=None, user_agent=label)


def _clean(value: str | None, limit: int) -> str | None:
    """No CR/LF or other control characters: a log line cannot be forged."""
    if value is None:
        return None
    cleaned = "".join(ch if ch.isprintable() else " " for ch in value)
    return cleaned[:limit]


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    organisation_id: int | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    summary: str = "",
    details: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    event_row = AuditEvent(
        actor_id=actor.user.id if actor.user else None,
        actor_label=_clean(actor_label or (actor.user.email if actor.user else actor.user_agent), 254),
        action=action,
        organisation_id=organisation_id,
        target_type=target_type,
        target_id=target_id,
        ip=_clean(actor.ip, 64),
        user_agent=_clean(actor.user_agent, 300),
        details=details or {},
        summary=_clean(summary, 2000) or "",
    )
    session.add(event_row)
    return event_row


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper: Mapper[AuditEvent], connection: Connection, target: AuditEvent) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper: Mapper[AuditEvent], connection: Connection, target: AuditEvent) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be deleted")
