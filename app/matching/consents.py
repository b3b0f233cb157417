"""A learner's consents: granted to one employer organisation for a scope and a period, revocable at any
time, each change and every viewing recorded (the learner sees the viewings, the audit log keeps all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, OrgKind, User
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_
from app.matching.errors import MatchingError
from app.matching.models import Consent, ConsentView
from app.portfolio.models import EvidenceItem

MAX_CONSENT_DAYS = 730


class ViewWhat:
    """What an employer looked at (stored in ConsentView.what)."""

    LIST = "list"
    CANDIDATE = "candidate"
    COMPARE = "compare"
    PLAN = "plan"
    API = "api"


def grant_consent(
    session: Session,
    actor: Actor,
    learner: User,
    org: Organisation,
    *,
    days: int,
    results: bool = True,
    certificates: bool = True,
    item_ids: Iterable[int] = (),
) -> Consent:
    """A new consent replaces the learner's active one for the same employer (one scope at a time)."""
    if org.kind != OrgKind.EMPLOYER:
        raise MatchingError(N_("choose an employer"), field="organisation")
    if not 1 <= days <= MAX_CONSENT_DAYS:
        raise MatchingError(N_("consent lasts between 1 and %(days)s days"), field="days", days=MAX_CONSENT_DAYS)
    ids = sorted(set(item_ids))
    if ids:
        owned = set(
            session.scalars(
                select(EvidenceItem.id).where(EvidenceItem.id.in_(ids), EvidenceItem.owner_id == learner.id)
            )
        )
        if owned != set(ids):
            raise MatchingError(N_("choose only your own portfolio items"), field="items")
    if not (results or certificates or ids):
        raise MatchingError(N_("choose at least one thing the employer may see"), field="results")
    now = utcnow()
    for old in active_consents_of(session, learner, now):
        if old.organisation_id == org.id:
            _revoke(session, actor, old, now, replaced=True)
    consent = Consent(
        user_id=learner.id,
        organisation_id=org.id,
        results=results,
        certificates=certificates,
        item_ids=ids,
        expires_at=now + dt.timedelta(days=days),
    )
    session.add(consent)
    session.flush()
    scope = ", ".join(
        s for s, on in (("results", results), ("certificates", certificates), (f"{len(ids)} items", ids)) if on
    )
    record(
        session,
        actor,
        "matching.consent_grant",
        organisation_id=org.id,
        target_type="consent",
        target_id=consent.id,
        summary=f"{learner.email} lets {org.name} see: {scope}; until {consent.expires_at.date().isoformat()}",
        details={"results": results, "certificates": certificates, "item_ids": ids, "days": days},
    )
    return consent


def revoke_consent(session: Session, actor: Actor, consent: Consent) -> None:
    if consent.revoked_at is not None:
        return
    _revoke(session, actor, consent, utcnow(), replaced=False)


def _revoke(session: Session, actor: Actor, consent: Consent, now: dt.datetime, *, replaced: bool) -> None:
    consent.revoked_at = now
    session.flush()
    record(
        session,
        actor,
        "matching.consent_revoke",
        organisation_id=consent.organisation_id,
        target_type="consent",
        target_id=consent.id,
        summary="replaced by a new consent" if replaced else "withdrawn",
    )


def active_consents_of(session: Session, learner: User, now: dt.datetime | None = None) -> list[Consent]:
    now = now or utcnow()
    return list(
        session.scalars(
            select(Consent).where(Consent.user_id == learner.id, Consent.revoked_at.is_(None), Consent.expires_at > now)
        )
    )


def record_views(
    session: Session,
    actor: Actor,
    consent_ids: Sequence[int],
    what: str,
    *,
    organisation_id: int,
    job_profile_id: int | None,
    summary: str,
) -> None:
    """One viewing row per consent shown (one statement, whatever their number) and one audit event."""
    if not consent_ids:
        return
    now = utcnow()
    label = actor.user.email if actor.user else (actor.user_agent or "")
    session.execute(
        insert(ConsentView),
        [
            {
                "consent_id": cid,
                "viewer_id": actor.user.id if actor.user else None,
                "viewer_label": label[:254],
                "what": what,
                "job_profile_id": job_profile_id,
                "viewed_at": now,
            }
            for cid in consent_ids
        ],
    )
    record(
        session,
        actor,
        f"matching.view_{what}",
        organisation_id=organisation_id,
        target_type="job_profile",
        target_id=job_profile_id,
        summary=summary,
        details={"consent_ids": list(consent_ids)[:200], "count": len(consent_ids)},
    )
