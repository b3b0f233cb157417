"""The curriculum API's JSON: a plan, and its coverage with the exam plan check (shapes in the README)."""

from __future__ import annotations

from typing import Any

from app.curriculum.coverage import CoverageResult
from app.curriculum.examplan import ExamPlanCheck
from app.curriculum.models import Curriculum
from app.curriculum.queries import Plan


def curriculum_summary(c: Curriculum, framework_code: str) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "cohort_year": c.cohort_year,
        "version": c.version,
        "status": c.status,
        "organisation_id": c.organisation_id,
        "framework": framework_code,
        "profile": c.profile_key,
        "adopted_at": c.adopted_at.isoformat() if c.adopted_at else None,
    }


def curriculum_detail(plan: Plan, further: list[str]) -> dict[str, Any]:
    c = plan.curriculum
    keys = {n.element.id: n.key for n in plan.elements}
    return {
        **curriculum_summary(c, plan.framework.code),
        "further_frameworks": further,
        "over_assessed_threshold": c.over_assessed_threshold,
        "units": [
            {
                "id": r.unit.id,
                "parent_id": r.unit.parent_id,
                "kind": r.unit.kind,
                "code": r.unit.code,
                "title": r.unit.title,
                "hours": r.unit.hours,
                "credits": r.unit.credits,
                "period": r.period_label,
            }
            for r in plan.units
        ],
        "instruments": [
            {
                "id": i.id,
                "code": i.code,
                "title": i.title,
                "kind": i.kind,
                "period_id": i.period_id,
                "scale": i.scale,
                "pass_rule": i.pass_rule,
                "assessors_required": i.assessors_required,
                "summative": i.summative,
            }
            for i in plan.instruments
        ],
        "links": [
            {
                "unit_id": link.unit_id,
                "instrument_id": link.instrument_id,
                "element": keys[link.element_id],
                "intensity": link.intensity,
                "target_level": link.target_level,
            }
            for link in plan.links
        ],
    }


def coverage_dict(plan: Plan, result: CoverageResult, check: ExamPlanCheck) -> dict[str, Any]:
    return {
        "curriculum": plan.curriculum.id,
        "framework": plan.framework.code,
        "elements": [
            {
                "element": c.element.key,
                "code": c.element.code,
                "introduced": c.introduced,
                "practised": c.practised,
                "assessed": c.assessed,
                "summative": c.summative,
                "flags": list(c.flags),
            }
            for c in result.elements
        ],
        "orphan_units": [{"kind": s.kind, "id": s.id, "label": s.label} for s in result.orphans],
        "exam_plan": {
            "rule": check.rule,
            "complete": check.complete,
            "violations": [v.as_dict() for v in check.violations],
        },
    }
