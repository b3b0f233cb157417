"""Read-only JSON API over curricula (token scope ``curriculum:read``): the person's curricula, one plan,
and its coverage with the exam plan check."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.accounts.models import ApiScope
from app.authz import api_token, can_view_curriculum, curricula_visible_to
from app.blueprints.api import bp
from app.curriculum import serialize
from app.curriculum.models import Curriculum
from app.curriculum.queries import further_frameworks, load_plan, plan_coverage
from app.errors import json_error
from app.extensions import db


def _curriculum(curriculum_id: int) -> Curriculum | None:
    curriculum = db.session.get(Curriculum, curriculum_id)
    if curriculum is None or not can_view_curriculum(g.api_user, curriculum):
        return None
    return curriculum


@bp.get("/curricula")
@api_token(ApiScope.CURRICULUM_READ)
def curricula() -> dict[str, Any]:
    rows = db.session.scalars(
        curricula_visible_to(g.api_user)
        .options(selectinload(Curriculum.framework))
        .order_by(Curriculum.cohort_year.desc(), Curriculum.title, Curriculum.version.desc())
    ).all()
    return {"curricula": [serialize.curriculum_summary(c, c.framework.code) for c in rows]}


def _plan(curriculum: Curriculum) -> Any:
    further = further_frameworks(db.session, curriculum)
    code = request.args.get("framework")
    chosen = next((f for f in further if f.code == code), None)
    return load_plan(db.session, curriculum, chosen), [f.code for f in further]


@bp.get("/curricula/<int:curriculum_id>")
@api_token(ApiScope.CURRICULUM_READ)
def curriculum(curriculum_id: int) -> Any:
    found = _curriculum(curriculum_id)
    if found is None:
        return json_error(404, _("unknown curriculum: %(id)s", id=curriculum_id))
    plan, further = _plan(found)
    return serialize.curriculum_detail(plan, further)


@bp.get("/curricula/<int:curriculum_id>/coverage")
@api_token(ApiScope.CURRICULUM_READ)
def curriculum_coverage(curriculum_id: int) -> Any:
    found = _curriculum(curriculum_id)
    if found is None:
        return json_error(404, _("unknown curriculum: %(id)s", id=curriculum_id))
    plan, _further = _plan(found)
    result, check = plan_coverage(plan)
    return serialize.coverage_dict(plan, result, check)
