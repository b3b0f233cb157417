"""Coverage at a glance: the heatmap, one element's drill-down, the exam plan check, and a student's own plan."""

from __future__ import annotations

from flask import abort, render_template, request

from app.authz import can_edit_curriculum, curriculum_or_404, studied_cohort_or_404
from app.blueprints.curriculum import bp
from app.blueprints.curriculum.common import me, plan_for_request
from app.curriculum.coverage import ELEMENT_FLAGS
from app.curriculum.progress import instrument_progress, student_results
from app.curriculum.queries import curriculum_of_cohort, load_plan, plan_coverage
from app.extensions import db


@bp.get("/<int:curriculum_id>/coverage")
def coverage(curriculum_id: int) -> str:
    curriculum = curriculum_or_404(me(), curriculum_id)
    plan, further = plan_for_request(curriculum)
    result, check = plan_coverage(plan)
    by = "units" if request.args.get("by") == "units" else "periods"
    only = request.args.get("only") if request.args.get("only") in ("gaps", *ELEMENT_FLAGS) else None
    rows = result.elements
    if only == "gaps":
        rows = [c for c in rows if c.flags]
    elif only:
        rows = [c for c in rows if only in c.flags]
    shown = {c.element.id for c in rows}
    return render_template(
        "curriculum/coverage.html",
        curriculum=curriculum,
        plan=plan,
        further=further,
        result=result,
        check=check,
        rows={c.element.id: c for c in rows},
        groups=[g for g in plan.groups if any(c.element.id in shown for c in rows if c.element.group_key == g.key)],
        ungrouped=[c for c in rows if c.element.group_key is None],
        by=by,
        only=only,
        counts=result.counts(),
        flags=ELEMENT_FLAGS,
    )


@bp.get("/<int:curriculum_id>/coverage/<path:key>")
def element(curriculum_id: int, key: str) -> str:
    curriculum = curriculum_or_404(me(), curriculum_id)
    plan, _further = plan_for_request(curriculum)
    node = plan.element_by_key.get(key)
    if node is None:
        abort(404)
    result, _check = plan_coverage(plan)
    cov = next(c for c in result.elements if c.element.id == node.element.id)
    return render_template(
        "curriculum/element.html",
        curriculum=curriculum,
        plan=plan,
        node=node,
        cov=cov,
        mentions=sorted(cov.mentions, key=lambda m: (m.source.period is None, m.source.period or 0, m.source.kind)),
        threshold=result.threshold,
    )


@bp.get("/<int:curriculum_id>/exam-plan")
def exam_plan(curriculum_id: int) -> str:
    curriculum = curriculum_or_404(me(), curriculum_id)
    plan, further = plan_for_request(curriculum)
    _result, check = plan_coverage(plan)
    covered: dict[int, list] = {i.id: [] for i in plan.instruments}
    for link in plan.links:
        if link.instrument_id is not None:
            covered[link.instrument_id].append(plan.element_by_id[link.element_id])
    progress = instrument_progress(db.session, curriculum, plan)
    return render_template(
        "curriculum/exam_plan.html",
        curriculum=curriculum,
        plan=plan,
        further=further,
        check=check,
        covered=covered,
        progress=progress,
        cohorts=list({id(row.cohort): row.cohort for row in progress}.values()),
        can_edit=can_edit_curriculum(me(), curriculum),
    )


@bp.get("/mine/<int:cohort_id>")
def my_plan(cohort_id: int) -> str:
    """A student's own exam plan: what is examined when, and their result so far (read-only)."""
    cohort = studied_cohort_or_404(me(), cohort_id)
    curriculum = curriculum_of_cohort(db.session, cohort.id)
    if curriculum is None:
        return render_template("curriculum/mine.html", cohort=cohort, curriculum=None)
    plan = load_plan(db.session, curriculum)
    return render_template(
        "curriculum/mine.html",
        cohort=cohort,
        curriculum=curriculum,
        plan=plan,
        results=student_results(db.session, me(), cohort, plan),
    )
