"""An assessor starts exams from an instrument of the plan, for students of a cohort that follows it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.authz import can_start_assessment, curriculum_or_404, staff_cohort_or_404
from app.blueprints.assess.forms import StartForm
from app.blueprints.curriculum import bp
from app.blueprints.curriculum.common import me
from app.curriculum.models import CohortCurriculum, ExamInstrument
from app.curriculum.queries import load_plan
from app.curriculum.starting import instrument_scope, start_from_instrument
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.web import current_actor


@bp.route("/<int:curriculum_id>/instruments/<int:instrument_id>/start/<int:cohort_id>", methods=["GET", "POST"])
def start_from_instrument_page(curriculum_id: int, instrument_id: int, cohort_id: int) -> str | Response:
    curriculum = curriculum_or_404(me(), curriculum_id)
    instrument = db.session.get(ExamInstrument, instrument_id)
    if instrument is None or instrument.curriculum_id != curriculum.id:
        abort(404)
    cohort = staff_cohort_or_404(me(), cohort_id)
    follows = db.session.get(CohortCurriculum, cohort.id)
    if follows is None or follows.curriculum_id != curriculum.id:
        abort(404)
    if not can_start_assessment(me(), cohort):
        abort(403)
    plan = load_plan(db.session, curriculum)
    form = StartForm()
    if request.method == "POST":
        form.validate()
        students = {s.id: s for s in cohort.students}
        chosen = [students[i] for i in form.students.data or [] if i in students]
        try:
            created = start_from_instrument(
                db.session,
                current_actor(),
                plan,
                instrument,
                cohort,
                chosen,
                form.assessors.data or [],
                form.held_on.data,
            )
        except DomainError as exc:
            show_refusal(exc)
        else:
            flash(_("%(n)s assessments started.", n=len(created)), "success")
            if len(created) == 1:
                return redirect(url_for("assess.show", assessment_id=created[0].id))
            return redirect(url_for("assess.queue"))
    return render_template(
        "curriculum/start.html",
        curriculum=curriculum,
        instrument=instrument,
        cohort=cohort,
        scope=[plan.element_by_key[k] for k in instrument_scope(plan, instrument)],
        form=form,
    )
