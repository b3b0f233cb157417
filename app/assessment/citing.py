"""Citing carried evidence in a judgement (issue 14 part 4): an assessor may name, per element, the results
and portfolio claims on other standards that reach it through published crosswalks. The judgement keeps a
snapshot of each cited item (what it said when it was cited); citing never changes the level, which is the
assessor's own, and carried evidence stays what it is: not a final judgement of this standard."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.assessment.errors import AssessmentError
from app.assessment.models import Assessment
from app.crosswalks.evidence import CarriedView, carried_evidence
from app.domain import N_
from app.portfolio.programme import Programme
from app.standards.queries import Node


def snapshot(view: CarriedView) -> dict[str, str]:
    """What the trail shows of a cited item, in data (the page words it): plain strings only."""
    result = view.result
    return {
        "key": view.key,
        "kind": result.kind,
        "framework": result.framework_code,
        "element": result.element,
        "level": result.level_code or result.level_label or "",
        "item": result.item_title,
        "assessors": ", ".join(result.assessors),
        "crosswalks": " → ".join(dict.fromkeys(link.crosswalk_name for link in view.links)),
        "strength": view.carried.strength.value,
    }


def check_carried(
    session: Session, assessment: Assessment, programme: Programme, node: Node, keys: Iterable[str]
) -> list[dict[str, str]]:
    """The snapshots of the cited items; refuses anything that does not reach ``node`` through a published
    crosswalk for this candidate now (another learner's result, a draft crosswalk's link, a made-up key)."""
    wanted = list(dict.fromkeys(k for k in keys if k))
    if not wanted:
        return []
    views = carried_evidence(session, assessment.candidate, programme).get(node.element.id, [])
    by_key = {view.key: view for view in views}
    if any(key not in by_key for key in wanted):
        raise AssessmentError(
            N_("a judgement can cite only evidence that reaches %(element)s through a published crosswalk"),
            field="carried",
            element=node.element.label,
        )
    return [snapshot(by_key[key]) for key in wanted]


def merged(citations: Iterable[list[dict[str, str]]]) -> list[dict[str, str]]:
    """The assessors' citations together, each item once (for the agreed judgement when settling starts)."""
    out: dict[str, dict[str, str]] = {}
    for cited in citations:
        for entry in cited:
            out.setdefault(entry["key"], entry)
    return list(out.values())
