"""A plan's life: adoption by the exam committee, a new version after adoption, a copy for the next cohort
year, and the compare page."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.authz import Action, adoptable_curriculum_or_404, curriculum_or_404
from app.blueprints.curriculum import bp
from app.blueprints.curriculum.common import me
from app.blueprints.curriculum.forms import AdoptForm, CopyForm
from app.curriculum import adoption, plans
from app.curriculum.compare import Row, diff
from app.curriculum.queries import Plan, load_plan, plan_coverage
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.web import current_actor


@bp.post("/<int:curriculum_id>/adopt")
def adopt(curriculum_id: int) -> Response:
    curriculum = adoptable_curriculum_or_404(me(), curriculum_id)
    form = AdoptForm(prefix="adopt")
    _result, check = plan_coverage(load_plan(db.session, curriculum))
    try:
        adoption.adopt(db.session, current_actor(), curriculum, form.password.data or "", check.complete)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("The exam plan is adopted."), "success")
    return redirect(url_for("curriculum.show", curriculum_id=curriculum.id))


@bp.post("/<int:curriculum_id>/versions")
def new_version(curriculum_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    copy = plans.new_version(db.session, current_actor(), curriculum)
    flash(
        _(
            "Version %(version)s is a draft copy to change; the adopted plan stays until it is adopted.",
            version=copy.version,
        ),
        "success",
    )
    return redirect(url_for("curriculum.show", curriculum_id=copy.id))


@bp.post("/<int:curriculum_id>/copy")
def copy(curriculum_id: int) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id, Action.MANAGE)
    form = CopyForm(prefix="copy")
    if not form.validate():
        flash(_("Give the cohort year of the copy."), "error")
        return redirect(url_for("curriculum.show", curriculum_id=curriculum.id))
    try:
        new = plans.copy_to_year(db.session, current_actor(), curriculum, form.cohort_year.data)
    except DomainError as exc:
        show_refusal(exc)
        return redirect(url_for("curriculum.show", curriculum_id=curriculum.id))
    flash(_("The copy for %(year)s is made.", year=new.cohort_year), "success")
    return redirect(url_for("curriculum.compare", curriculum_id=new.id, other_id=curriculum.id))


def _rows(plan: Plan) -> tuple[list[Row], list[Row], list[Row]]:
    units = [
        Row(f"{r.unit.label}", f"{r.period_label or ''} · {r.unit.hours or 0} h · {r.unit.credits or 0}")
        for r in plan.units
    ]
    instruments = [
        Row(i.label, f"{i.kind} · {i.scale} · {i.assessors_required} · {'S' if i.summative else 'F'} · {i.pass_rule}")
        for i in plan.instruments
    ]
    labels = {("unit", r.unit.id): r.unit.label for r in plan.units} | {
        ("instrument", i.id): i.label for i in plan.instruments
    }
    links = []
    for link in plan.links:
        source = ("unit", link.unit_id or 0) if link.unit_id else ("instrument", link.instrument_id or 0)
        node = plan.element_by_id[link.element_id]
        links.append(Row(f"{labels.get(source, '?')} → {node.element.code or node.key}", link.intensity))
    return units, instruments, links


@bp.get("/<int:curriculum_id>/compare/<int:other_id>")
def compare(curriculum_id: int, other_id: int) -> str:
    """What changed from ``other`` (the older plan) to this one."""
    curriculum = curriculum_or_404(me(), curriculum_id)
    other = curriculum_or_404(me(), other_id)
    new, old = _rows(load_plan(db.session, curriculum)), _rows(load_plan(db.session, other))
    sections = [
        (_("Units"), diff(old[0], new[0])),
        (_("Exam instruments"), diff(old[1], new[1])),
        (_("Links"), diff(old[2], new[2])),
    ]
    return render_template("curriculum/compare.html", curriculum=curriculum, other=other, sections=sections)
