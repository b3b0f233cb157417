"""What the curriculum views share: the signed-in user and the plan of a request."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import User
from app.curriculum.models import Curriculum
from app.curriculum.queries import Plan, further_frameworks, load_plan
from app.extensions import db
from app.standards.models import Framework


def me() -> User:
    return current_user._get_current_object()


def plan_for_request(curriculum: Curriculum) -> tuple[Plan, list[Framework]]:
    """The plan on the standard the page asks for (``?framework=``: the main one or a further one)."""
    further = further_frameworks(db.session, curriculum)
    code = request.args.get("framework") or request.form.get("framework")
    chosen = next((f for f in further if f.code == code), None)
    return load_plan(db.session, curriculum, chosen), further


def org_names(ids: set[int]) -> dict[int, str]:
    from app.accounts.models import Organisation

    rows = db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))
    return {i: name for i, name in rows}
