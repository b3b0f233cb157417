"""The candidates of a job profile, ranked: only people with an active consent for the employer (applying
gives one) and credential-only applicants to this profile; nobody else is read, not even counted.

A fixed number of queries whatever the number of candidates (tests count them; ``make bench`` times 10,000)."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
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


def consenting(org_id: int, now: dt.datetime, *, user_id: int | None = None, scope: Any = None) -> Select[Any]:
    """The people with an active consent for ``org_id`` (optionally: one of them; a scope flag set)."""
    query = select(Consent.user_id).where(
        Consent.organisation_id == org_id, Consent.revoked_at.is_(None), Consent.expires_at > now
    )
    if user_id is not None:
        query = query.where(Consent.user_id == user_id)
    return query.where(scope == true()) if scope is not None else query


def _consents(session: Session, org_id: int, now: dt.datetime, user_id: int | None) -> list[Any]:
    active = (
        consenting(org_id, now, user_id=user_id)
        .with_only_columns(Consent.id, Consent.user_id, Consent.item_ids, User.name)
        .join(User, User.id == Consent.user_id)
    )
    return list(session.execute(active.order_by(Consent.id)).all())


def rank_profile(
    session: Session, profile: JobProfile, *, user_id: int | None = None, application_id: int | None = None
) -> Ranking:
    """Every visible candidate (or one: ``user_id`` / ``application_id``) matched against the profile.

    Ranking 10,000 people makes a few hundred thousand small tuples and no reference cycles; the cyclic
    garbage collector is paused meanwhile, or its repeated passes over the heap cost more than the work."""
    with _no_cyclic_gc():
        return _rank_profile(session, profile, user_id, application_id)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _rank_profile(session: Session, profile: JobProfile, user_id: int | None, application_id: int | None) -> Ranking:
    now = utcnow()
    needs = needs_of(profile)
    links = crosswalk_source().links(session, [n.element_id for n in needs])
    found = evidence.lookup(
        session, [n.element_id for n in needs] + [lk.element_id for v in links.values() for lk in v]
    )
    links = settle(links, found.scales)
    candidates: dict[str, Candidate] = {}
    per_person: dict[str, evidence.ByElement] = {}
    if application_id is None:
        _gather_people(session, profile.organisation_id, now, user_id, found, candidates, per_person)
    if user_id is None:
        _gather_applications(session, profile, application_id, found, candidates, per_person)
    matches = [match(key, c.name, needs, per_person.get(key, {}), links) for key, c in candidates.items()]
    return Ranking(profile, needs, rank(matches), candidates, found, links)


def _gather_people(
    session: Session,
    org_id: int,
    now: dt.datetime,
    user_id: int | None,
    found: evidence.Lookup,
    candidates: dict[str, Candidate],
    per_person: dict[str, evidence.ByElement],
) -> None:
    rows = _consents(session, org_id, now, user_id)
    if not rows:
        return
    judged = evidence.judgements(session, consenting(org_id, now, user_id=user_id, scope=Consent.results), found)
    certified = evidence.certificates(
        session, consenting(org_id, now, user_id=user_id, scope=Consent.certificates), found
    )
    claimed = evidence.claims(session, [i for row in rows for i in row.item_ids or []], found)
    for consent_id, person, _items, name in rows:
        key = f"u{person}"
        candidates[key] = Candidate(key, name, user_id=person, consent_id=consent_id)
        per_person[key] = evidence.merge(judged.get(person), certified.get(person), claimed.get(person))


def _gather_applications(
    session: Session,
    profile: JobProfile,
    application_id: int | None,
    found: evidence.Lookup,
    candidates: dict[str, Candidate],
    per_person: dict[str, evidence.ByElement],
) -> None:
    query = select(Application).where(
        Application.job_profile_id == profile.id, Application.user_id.is_(None), Application.withdrawn_at.is_(None)
    )
    if application_id is not None:
        query = query.where(Application.id == application_id)
    for application in session.scalars(query.order_by(Application.id)):
        key = f"a{application.id}"
        candidates[key] = Candidate(key, application.name, application=application)
        per_person[key] = evidence.credentials(application.id, application.evidence or [], found)
