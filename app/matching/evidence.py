"""What is known about people on a set of elements, as ``match.Evidence``, in a fixed number of queries
whatever the number of people: final agreed judgements, standing certificates, verified credentials of an
application, and claims in the portfolio items a person chose to show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.assessment.models import Assessment, AssessmentStatus, Judgement
from app.certificates.models import Certificate
from app.matching.match import Evidence, Kind
from app.matching.scales import ElementScale, element_scales
from app.portfolio.models import Claim, EvidenceItem
from app.standards.models import Element, Framework, ScaleLevel

ByElement = dict[int, list[Evidence]]


@dataclass
class Lookup:
    """The elements in play: their scales, and how a certificate or credential names them (code, key)."""

    scales: dict[int, ElementScale]
    by_ref: dict[tuple[str, str], int]
    labels: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # id -> (framework, key, label)


def lookup(session: Session, element_ids: Iterable[int]) -> Lookup:
    ids = sorted(set(element_ids))
    rows = session.execute(
        select(Element.id, Framework.code, Element.key, Element.code, Element.title)
        .join(Framework, Framework.id == Element.framework_id)
        .where(Element.id.in_(ids))
    ).all()
    labels = {r[0]: (r[1], r[2], f"{r[3]} {r[4]}" if r[3] else r[4]) for r in rows}
    return Lookup(element_scales(session, ids), {(r[1], r[2]): r[0] for r in rows}, labels)


def judgements(
    session: Session, people: Select[Any], found: Lookup, few: Collection[int] | None = None
) -> dict[int, ByElement]:
    """Standing agreed judgements of final assessments (a superseded one no longer counts). ``few``: the
    people are at most these (a page of candidates): their judgements are read by person and the elements
    picked here, which keeps SQLite from walking every judgement of the elements."""
    query = (
        select(Assessment.candidate_id, Judgement.element_id, ScaleLevel.value, Assessment.id)
        .join(Assessment, Assessment.id == Judgement.assessment_id)
        .join(ScaleLevel, ScaleLevel.id == Judgement.level_id)
        .where(
            Assessment.candidate_id.in_(people),
            Assessment.status == AssessmentStatus.FINAL,
            Assessment.superseded_at.is_(None),
            Judgement.assessor_id.is_(None),
        )
    )
    if few is None:
        query = query.where(Judgement.element_id.in_(list(found.scales)))
    else:
        query = query.where(Assessment.candidate_id.in_(sorted(few)))
    rows = [row for row in session.execute(query).all() if row[1] in found.scales]
    levels = {
        element_id: {lv.value: (scale.code_of(lv.value), scale.passing(lv.value)) for lv in scale.levels}
        for element_id, scale in found.scales.items()
    }  # worked out once per element, not once per row
    out: dict[int, ByElement] = defaultdict(lambda: defaultdict(list))
    for person, element_id, value, assessment_id in rows:
        code, passing = levels[element_id].get(value, (None, False))
        out[person][element_id].append(
            Evidence(element_id, Kind.JUDGEMENT, value, code, passing, f"assessment:{assessment_id}")
        )
    return out


def _summary_evidence(summary: dict[str, Any], found: Lookup, kind: Kind, ref: str) -> list[Evidence]:
    """The elements a certificate's summary (or a verified credential's) names, at their achieved level."""
    framework = (summary.get("framework") or {}).get("code") if isinstance(summary, dict) else None
    out = []
    for item in summary.get("elements") or [] if framework else []:
        element_id = found.by_ref.get((str(framework), str(item.get("key"))))
        if element_id is None:
            continue
        scale = found.scales[element_id]
        value = scale.value_of(item.get("level_code")) or scale.value_of(item.get("level"))
        if value is not None:
            out.append(Evidence(element_id, kind, value, scale.code_of(value), scale.passing(value), ref))
    return out


def certificates(session: Session, people: Select[Any], found: Lookup) -> dict[int, ByElement]:
    rows = session.execute(
        select(Certificate.candidate_id, Certificate.id, Certificate.summary).where(
            Certificate.candidate_id.in_(people), Certificate.revoked_at.is_(None)
        )
    ).all()
    out: dict[int, ByElement] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        person, cert_id, summary = row.candidate_id, row.id, row.summary
        for ev in _summary_evidence(summary, found, Kind.CERTIFICATE, f"certificate:{cert_id}"):
            out[person][ev.element_id].append(ev)
    return out


def credentials(application_id: int, stored: list[dict[str, Any]], found: Lookup) -> ByElement:
    """The verified credentials of a credential-only application; one that did not verify counts for nothing."""
    out: ByElement = defaultdict(list)
    for n, entry in enumerate(stored):
        if entry.get("valid") and isinstance(entry.get("summary"), dict):
            for ev in _summary_evidence(entry["summary"], found, Kind.CREDENTIAL, f"credential:{application_id}:{n}"):
                out[ev.element_id].append(ev)
    return out


def claims(session: Session, item_ids: Iterable[int], found: Lookup) -> dict[int, ByElement]:
    """Claims in the given items (a person's chosen ones), with the level the person gave themselves."""
    ids = sorted(set(item_ids))
    out: dict[int, ByElement] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return out
    rows = session.execute(
        select(EvidenceItem.owner_id, Claim.element_id, ScaleLevel.value, Claim.id)
        .join(EvidenceItem, EvidenceItem.id == Claim.item_id)
        .outerjoin(ScaleLevel, ScaleLevel.id == Claim.self_level_id)
        .where(Claim.item_id.in_(ids), Claim.element_id.in_(list(found.scales)))
    ).all()
    for person, element_id, value, claim_id in rows:
        scale = found.scales[element_id]
        out[person][element_id].append(
            Evidence(element_id, Kind.CLAIM, value, scale.code_of(value), False, f"claim:{claim_id}")
        )
    return out


def merge(*sources: ByElement | None) -> ByElement:
    present = [source for source in sources if source]
    if len(present) <= 1:  # the usual case: results only, nothing to combine
        return present[0] if present else {}
    out: ByElement = defaultdict(list)
    for source in sources:
        for element_id, items in (source or {}).items():
            out[element_id].extend(items)
    return out
