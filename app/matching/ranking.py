"""The candidates of a job profile, ranked: only people with an active consent for the employer (applying
gives one) and credential-only applicants to this profile; nobody else is read, not even counted.

A fixed number of queries whatever the number of candidates (tests count them; ``make bench`` times 10,000)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select, true
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.db import utcnow
from app.matching import evidence
from app.matching.crosswalk import crosswalk_source, settle
from app.matching.match import Link, Match, Need, match, rank
from app.matching.models import Application, Consent, JobProfile


@dataclass
class Candidate:
    key: str  # "u12" for a person with an account, "a3" for a credential-only application
    name: str
    user_id: int | None = None
    consent_id: int | None = None
    application: Application | None = None


@dataclass
class Ranking:
    profile: JobProfile
    needs: list[Need]
    matches: list[Match]
    candidates: dict[str, Candidate]
    found: evidence.Lookup
    links: dict[int, list[Link]] = field(default_factory=dict)

    def candidate(self, match: Match) -> Candidate:
        return self.candidates[str(match.candidate)]


def needs_of(profile: JobProfile) -> list[Need]:
    return [
        Need(
            r.element_id,
            r.weight,
            r.level.value if r.level is not None else None,
            (r.level.code or r.level.label) if r.level is not None else None,
            r.id,
        )
        for r in profile.requirements
    ]


def consenting(
    org_id: int, now: dt.datetime, *, user_ids: Collection[int] | None = None, scope: Any = None
) -> Select[Any]:
    """The people with an active consent for ``org_id`` (optionally: some of them; a scope flag set)."""
    query = select(Consent.user_id).where(
        Consent.organisation_id == org_id, Consent.revoked_at.is_(None), Consent.expires_at > now
    )
    if user_ids is not None:
        query = query.where(Consent.user_id.in_(sorted(user_ids)))
    return query.where(scope == true()) if scope is not None else query


def consent_rows(session: Session, org_id: int, now: dt.datetime, user_ids: Collection[int] | None) -> list[Any]:
    """(consent id, person, chosen item ids, name) of the active consents (of ``user_ids`` only, if given)."""
    active = (
        consenting(org_id, now, user_ids=user_ids)
        .with_only_columns(Consent.id, Consent.user_id, Consent.item_ids, User.name)
        .join(User, User.id == Consent.user_id)
    )
    return list(session.execute(active.order_by(Consent.id)).all())


def rank_profile(
    session: Session,
    profile: JobProfile,
    *,
    user_id: int | None = None,
    application_id: int | None = None,
    keys: Collection[str] | None = None,
) -> Ranking:
    """Visible candidates matched against the profile with every line explained: all of them, one
    (``user_id`` / ``application_id``), or those of ``keys`` ("u12", "a3": the page being shown). To rank
    everyone without the detail, app.matching.standings is much faster."""
    if keys is None:
        users = None if user_id is None else {user_id}
        applications = None if application_id is None else {application_id}
        if users is not None and applications is None:
            applications = set()
        if applications is not None and users is None:
            users = set()
    else:
        users = {int(k[1:]) for k in keys if k[:1] == "u" and k[1:].isdigit()}
        applications = {int(k[1:]) for k in keys if k[:1] == "a" and k[1:].isdigit()}
    now = utcnow()
    needs = needs_of(profile)
    links = crosswalk_source().links(session, [n.element_id for n in needs])
    found = evidence.lookup(
        session, [n.element_id for n in needs] + [lk.element_id for v in links.values() for lk in v]
    )
    links = settle(links, found.scales)
    candidates: dict[str, Candidate] = {}
    per_person: dict[str, evidence.ByElement] = {}
    if users is None or users:
        _gather_people(session, profile.organisation_id, now, users, found, candidates, per_person)
    if applications is None or applications:
        _gather_applications(session, profile, applications, found, candidates, per_person)
    matches = [match(key, c.name, needs, per_person.get(key, {}), links) for key, c in candidates.items()]
    return Ranking(profile, needs, rank(matches), candidates, found, links)


def _gather_people(
    session: Session,
    org_id: int,
    now: dt.datetime,
    user_ids: Collection[int] | None,
    found: evidence.Lookup,
    candidates: dict[str, Candidate],
    per_person: dict[str, evidence.ByElement],
) -> None:
    rows = consent_rows(session, org_id, now, user_ids)
    if not rows:
        return
    judged = evidence.judgements(
        session, consenting(org_id, now, user_ids=user_ids, scope=Consent.results), found, few=user_ids
    )
    certified = evidence.certificates(
        session, consenting(org_id, now, user_ids=user_ids, scope=Consent.certificates), found
    )
    claimed = evidence.claims(session, [i for row in rows for i in row.item_ids or []], found)
    for consent_id, person, _items, name in rows:
        key = f"u{person}"
        candidates[key] = Candidate(key, name, user_id=person, consent_id=consent_id)
        per_person[key] = evidence.merge(judged.get(person), certified.get(person), claimed.get(person))


def _gather_applications(
    session: Session,
    profile: JobProfile,
    application_ids: Collection[int] | None,
    found: evidence.Lookup,
    candidates: dict[str, Candidate],
    per_person: dict[str, evidence.ByElement],
) -> None:
    query = select(Application).where(
        Application.job_profile_id == profile.id, Application.user_id.is_(None), Application.withdrawn_at.is_(None)
    )
    if application_ids is not None:
        query = query.where(Application.id.in_(sorted(application_ids)))
    for application in session.scalars(query.order_by(Application.id)):
        key = f"a{application.id}"
        candidates[key] = Candidate(key, application.name, application=application)
        per_person[key] = evidence.credentials(application.id, application.evidence or [], found)
