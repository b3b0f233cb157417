"""Every candidate of a job profile in ranked order, fast: the compact rule (app.matching.compact) over plain
columns, no ORM objects and no ``Evidence`` per result. The same people as app.matching.ranking (an active
consent for the employer, credential-only applicants to the profile; nobody else is read, not even counted)
and the same statuses; the detailed lines, with the judgement and the link each rests on, are built by
``ranking.rank_profile(..., keys=...)`` for the candidates a page shows.

A fixed number of queries whatever the number of candidates or links (``make bench`` ranks 10,000)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, Text, cast, func, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.assessment.models import Assessment, AssessmentStatus, Judgement
from app.db import utcnow
from app.matching import evidence
from app.matching.compact import Score, Scorer, Table, compile_rules
from app.matching.crosswalk import crosswalk_source, settle
from app.matching.match import Kind
from app.matching.models import Application, Consent, JobProfile
from app.matching.ranking import consenting, needs_of
from app.standards.models import ScaleLevel

Levels = dict[int, dict[int, int]]  # person -> element -> best verified level
SHIFT = 1 << 20  # scale values are small positive integers (e-CF 1…5); element ids fit in the other 43 bits


@dataclass
class Standings:
    """Every candidate, ranked: ``table`` holds the figures, ``order`` its row numbers best first."""

    profile: JobProfile
    table: Table
    order: list[int]
    consents: dict[str, int]  # candidate key -> the consent that lets the employer see them

    def keep(self, *, essentials_verified: bool = False, one_level_gaps: bool = False) -> list[int]:
        return self.table.keep(self.order, essentials_verified=essentials_verified, one_level_gaps=one_level_gaps)

    def scores(self, rows: Sequence[int]) -> list[Score]:
        return [self.table.score(i) for i in rows]


def _best_levels(session: Session, people: Select[Any], element_ids: list[int]) -> Levels:
    """The best standing final judgement per person and element. The database groups the rows: one row per
    person with "n,n,n", each n = element × SHIFT + level (aggregate_strings: group_concat / string_agg), so
    10,000 people cost 10,000 short strings instead of 90,000 result rows; the best level is kept here."""
    pair = cast(Judgement.element_id * SHIFT + ScaleLevel.value, String)  # one integer: element and level
    rows: Any = session.connection().execute(
        select(Assessment.candidate_id, func.aggregate_strings(pair, ","))
        .select_from(Judgement)
        .join(Assessment, Assessment.id == Judgement.assessment_id)
        .join(ScaleLevel, ScaleLevel.id == Judgement.level_id)
        .where(
            Assessment.candidate_id.in_(people),
            Assessment.status == AssessmentStatus.FINAL,
            Assessment.superseded_at.is_(None),
            Judgement.assessor_id.is_(None),
            Judgement.element_id.in_(element_ids),
        )
        .group_by(Assessment.candidate_id)
    )
    out: Levels = {}
    for person, pairs in rows:
        numbers = [int(n) for n in pairs.split(",")]
        levels = {n // SHIFT: n % SHIFT for n in numbers}
        if len(levels) < len(numbers):  # judged more than once on an element: the best level counts
            levels = {}
            for n in numbers:
                element_id, level = divmod(n, SHIFT)
                if level > levels.get(element_id, -1):
                    levels[element_id] = level
        out[person] = levels
    return out


def _consents(session: Session, org_id: int, now: dt.datetime) -> list[tuple[int, int, tuple[int, ...], str]]:
    """(consent, person, chosen item ids, name) of every active consent; the item ids read as text and
    decoded only where a person chose items (most choose none), so 10,000 rows decode nothing."""
    rows = session.connection().execute(
        consenting(org_id, now)
        .with_only_columns(Consent.id, Consent.user_id, cast(Consent.item_ids, Text), User.name)
        .join(User, User.id == Consent.user_id)
        .order_by(Consent.id)
    )
    out = []
    for consent_id, person, items, name in rows:
        chosen = json.loads(items) if items and items not in ("[]", "null") else []
        out.append((consent_id, person, tuple(int(i) for i in chosen or ()), name))
    return out


def _fold(into: dict[int, int], items: evidence.ByElement | None) -> dict[int, int]:
    """Certificates' and credentials' verified levels added to the judged ones (the best counts)."""
    for element_id, found in (items or {}).items():
        for item in found:
            if item.kind is not Kind.CLAIM and item.level is not None and item.level > into.get(element_id, -1):
                into[element_id] = item.level
    return into


def standings(session: Session, profile: JobProfile) -> Standings:
    now = utcnow()
    needs = needs_of(profile)
    links = crosswalk_source().links(session, [n.element_id for n in needs])
    found = evidence.lookup(
        session, [n.element_id for n in needs] + [lk.element_id for v in links.values() for lk in v]
    )
    links = settle(links, found.scales)
    table = Table(Scorer(compile_rules(needs, links, {e: scale.required for e, scale in found.scales.items()})))
    org = profile.organisation_id
    rows = _consents(session, org, now)
    consent_ids = {}
    if rows:
        levels = _best_levels(session, consenting(org, now, scope=Consent.results), list(found.scales))
        certified = evidence.certificates(session, consenting(org, now, scope=Consent.certificates), found)
        claimed = evidence.claims(session, [i for row in rows for i in row[2]], found)
        for consent_id, person, _items, name in rows:
            key = f"u{person}"
            mine = _fold(dict(levels.get(person, {})), certified.get(person)) if person in certified else None
            table.add(key, name, mine or levels.get(person, {}), claimed.get(person) or {}, False)
            consent_ids[key] = consent_id
    applications = session.execute(
        select(Application.id, Application.name, Application.evidence).where(
            Application.job_profile_id == profile.id, Application.user_id.is_(None), Application.withdrawn_at.is_(None)
        )
    ).all()
    for row in applications:
        table.add(f"a{row.id}", row.name, _fold({}, evidence.credentials(row.id, row.evidence or [], found)), (), True)
    return Standings(profile, table, table.ranked(), consent_ids)
