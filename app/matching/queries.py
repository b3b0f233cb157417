"""Reads for the matching pages: an employer's job profiles, a learner's consents and fits, and what
explains a candidate's statuses (which judgement by which assessors, which certificate, which link)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.accounts.models import Membership, Organisation, OrgKind, Role, User
from app.assessment.models import Assessment, AssessmentAssessor
from app.certificates.models import Certificate
from app.crosswalks.evidence import LinkInfo, published_links
from app.matching import evidence
from app.matching.crosswalk import crosswalk_source, settle
from app.matching.match import Match, match, rank
from app.matching.models import Application, Consent, JobProfile, ProfileStatus, Requirement
from app.matching.ranking import Ranking, needs_of
from app.portfolio.models import EvidenceItem
from app.standards.models import Element


def profile_options() -> list[Any]:
    return [selectinload(JobProfile.requirements).selectinload(Requirement.element).selectinload(Element.framework),
            selectinload(JobProfile.requirements).selectinload(Requirement.level)]  # fmt: skip


def job_profiles_of(session: Session, org: Organisation) -> list[tuple[JobProfile, int]]:
    counts = (
        select(Requirement.job_profile_id, func.count(Requirement.id).label("n"))
        .group_by(Requirement.job_profile_id)
        .subquery()
    )
    rows = session.execute(
        select(JobProfile, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.job_profile_id == JobProfile.id)
        .where(JobProfile.organisation_id == org.id)
        .order_by(JobProfile.title)
    ).all()
    return [(row[0], row[1]) for row in rows]


def hr_organisations(session: Session, user: User) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user.id, Membership.role == Role.HR, Organisation.kind == OrgKind.EMPLOYER)
            .order_by(Organisation.name)
        )
    )


def employers(session: Session) -> list[Organisation]:
    return list(
        session.scalars(select(Organisation).where(Organisation.kind == OrgKind.EMPLOYER).order_by(Organisation.name))
    )


def consents_of(session: Session, user: User) -> list[Consent]:
    return list(
        session.scalars(
            select(Consent)
            .where(Consent.user_id == user.id)
            .options(selectinload(Consent.views), selectinload(Consent.organisation))
            .order_by(Consent.created_at.desc())
        )
    )


def applications_of(session: Session, user: User) -> dict[int, Application]:
    rows = session.scalars(
        select(Application).where(Application.user_id == user.id, Application.withdrawn_at.is_(None))
    )
    return {a.job_profile_id: a for a in rows}


def published_profile(session: Session, profile_id: int) -> JobProfile | None:
    return session.scalar(
        select(JobProfile).where(JobProfile.id == profile_id, JobProfile.status == ProfileStatus.PUBLISHED)
    )


def learner_fits(session: Session, user: User) -> list[tuple[JobProfile, Match]]:
    """Every published job profile against the learner's own record (all of it: results, certificates and
    every claim of theirs), best fit first; a fixed number of queries whatever the number of profiles."""
    profiles = list(
        session.scalars(
            select(JobProfile).where(JobProfile.status == ProfileStatus.PUBLISHED).options(*profile_options())
        )
    )
    needs = {p.id: needs_of(p) for p in profiles}
    element_ids = {n.element_id for ns in needs.values() for n in ns}
    links = crosswalk_source().links(session, element_ids)
    found = evidence.lookup(session, element_ids | {lk.element_id for v in links.values() for lk in v})
    links = settle(links, found.scales)
    me = select(User.id).where(User.id == user.id)
    items = session.scalars(select(EvidenceItem.id).where(EvidenceItem.owner_id == user.id)).all()
    mine = evidence.merge(
        evidence.judgements(session, me, found).get(user.id),
        evidence.certificates(session, me, found).get(user.id),
        evidence.claims(session, items, found).get(user.id),
    )
    matches = {p.id: match(p.id, p.title, needs[p.id], mine, links) for p in profiles}
    by_id = {p.id: p for p in profiles}
    return [(by_id[int(str(m.candidate))], m) for m in rank(matches.values())]


def crosswalk_links(session: Session, ranking: Ranking) -> dict[int, LinkInfo]:
    """The published crosswalk links the ranking's (one or few) candidates' statuses rest on: one query."""
    ids = {i for m in ranking.matches for line in m.lines if line.via is not None for i in line.via.links}
    return published_links(session, ids)[1] if ids else {}


@dataclass
class Source:
    """What one status rests on, for the candidate page."""

    kind: str
    title: str
    date: Any = None
    people: list[str] | None = None
    organisation: str = ""


def explain(session: Session, ranking: Ranking) -> dict[str, Source]:
    """Each evidence reference of the ranking's (one or few) candidates, described."""
    refs = {line.evidence.ref for m in ranking.matches for line in m.lines if line.evidence is not None}
    ids: dict[str, set[int]] = {"assessment": set(), "certificate": set()}
    for ref in refs:
        kind, _, rest = ref.partition(":")
        if kind in ids:
            ids[kind].add(int(rest))
    out: dict[str, Source] = {}
    assessments = session.scalars(
        select(Assessment).where(Assessment.id.in_(ids["assessment"]))
        .options(selectinload(Assessment.assessors).selectinload(AssessmentAssessor.assessor),
                 selectinload(Assessment.cohort))
    )  # fmt: skip
    for a in assessments:
        names = [entry.assessor.name for entry in a.assessors]
        out[f"assessment:{a.id}"] = Source("judgement", a.title, a.finalised_at, names, a.cohort.name)
    certs = session.scalars(
        select(Certificate)
        .where(Certificate.id.in_(ids["certificate"]))
        .options(selectinload(Certificate.organisation))
    )
    for c in certs:
        out[f"certificate:{c.id}"] = Source(
            "certificate", f"{c.number} · {c.title}", c.issued_at, None, c.organisation.name
        )
    for m in ranking.matches:
        application = ranking.candidate(m).application
        if application is None:
            continue
        for n, entry in enumerate(application.evidence or []):
            if entry.get("valid"):
                out[f"credential:{application.id}:{n}"] = Source(
                    "credential",
                    f"{entry.get('certificate', '')} · {entry.get('file', '')}",
                    None,
                    None,
                    entry.get("issuer", ""),
                )
    return out
