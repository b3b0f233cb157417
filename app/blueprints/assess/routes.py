"""Assessors' work: the queue, the cohort matrix and starting assessments; the learner's progress. One
assessment's page and its verbs are in ``judging``, the downloads in ``downloads``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from app.accounts.models import Cohort, User
from app.assessment import services as a
from app.assessment.chart import Bar, levels_chart
from app.assessment.errors import AssessmentError
from app.assessment.models import Assessment, AssessmentAssessor, AssessmentStatus
from app.assessment.record import cohort_records, learner_record
from app.assessment.scope import scope_choices
from app.authz import (
    can_start_assessment,
    portfolio_or_404,
    staff_cohort_ids,
    staff_cohort_or_404,
)
from app.blueprints.assess import bp
from app.blueprints.assess.forms import StartForm
from app.crosswalks.evidence import carried_evidence
from app.errors import show_refusal
from app.extensions import db
from app.portfolio.models import Claim, ClaimStatus, EvidenceItem
from app.uow import refused
from app.web import current_actor


@bp.errorhandler(StaleDataError)
def _concurrent_change(exc: StaleDataError) -> Response:
    """Two people saved the same assessment at the same moment: one wins, the other is told, nothing breaks."""
    refused()
    flash(
        _("Someone else changed this assessment at the same moment. Nothing of yours was saved; look again."), "error"
    )
    assessment_id = (request.view_args or {}).get("assessment_id")
    if assessment_id is not None:
        return redirect(url_for("assess.show", assessment_id=assessment_id))
    return redirect(url_for("assess.queue"))


def _me() -> User:
    return current_user._get_current_object()


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().lstrip("-").isdigit() else None


# --- the queue -----------------------------------------------------------------------------------


@bp.get("/assess/")
def queue() -> str:
    me = _me()
    mine = db.session.scalars(
        select(Assessment)
        .join(AssessmentAssessor, AssessmentAssessor.assessment_id == Assessment.id)
        .where(AssessmentAssessor.assessor_id == me.id, Assessment.status != AssessmentStatus.FINAL)
        .options(
            selectinload(Assessment.candidate),
            selectinload(Assessment.cohort),
            selectinload(Assessment.assessors).selectinload(AssessmentAssessor.assessor),
        )
        .order_by(Assessment.held_on, Assessment.id)
    ).all()
    to_review = db.session.scalars(
        select(Claim)
        .where(Claim.status == ClaimStatus.SUBMITTED, Claim.cohort_id.in_(staff_cohort_ids(me)))
        .options(selectinload(Claim.item).selectinload(EvidenceItem.owner), selectinload(Claim.element))
        .order_by(Claim.submitted_at)
        .limit(200)
    ).all()
    reviews: dict[int, list[Claim]] = defaultdict(list)
    for claim in to_review:
        reviews[claim.item_id].append(claim)
    cohorts = db.session.scalars(
        select(Cohort).where(Cohort.id.in_(staff_cohort_ids(me))).order_by(Cohort.year.desc(), Cohort.name)
    ).all()
    recent = db.session.scalars(
        select(Assessment)
        .join(AssessmentAssessor, AssessmentAssessor.assessment_id == Assessment.id)
        .where(AssessmentAssessor.assessor_id == me.id, Assessment.status == AssessmentStatus.FINAL)
        .options(selectinload(Assessment.candidate), selectinload(Assessment.cohort))
        .order_by(Assessment.finalised_at.desc())
        .limit(10)
    ).all()
    return render_template(
        "assess/queue.html",
        mine=mine,
        reviews=reviews,
        cohorts=cohorts,
        recent=recent,
        me=me,
        statuses=AssessmentStatus,
    )


# --- the cohort matrix and starting assessments --------------------------------------------------


@bp.get("/assess/cohorts/<int:cohort_id>")
def matrix(cohort_id: int) -> str:
    me = _me()
    cohort = staff_cohort_or_404(me, cohort_id)
    programme, records = cohort_records(db.session, cohort)
    assessors = sorted(cohort.assessors, key=lambda u: u.name)
    open_by_student: dict[int, int] = defaultdict(int)
    for candidate_id in db.session.scalars(
        select(Assessment.candidate_id).where(
            Assessment.cohort_id == cohort.id, Assessment.status != AssessmentStatus.FINAL
        )
    ):
        open_by_student[candidate_id] += 1
    return render_template(
        "assess/matrix.html",
        cohort=cohort,
        programme=programme,
        records=records,
        assessors=assessors,
        scopes=scope_choices(programme),
        open_by_student=open_by_student,
        preselect=_int(request.args.get("student")),
        me=me,
        today=dt.date.today().isoformat(),
    )


@bp.post("/assess/cohorts/<int:cohort_id>/start")
def start(cohort_id: int) -> Response:
    """Start the same assessment for every selected student at once."""
    me = _me()
    cohort = staff_cohort_or_404(me, cohort_id)
    if not can_start_assessment(me, cohort):
        abort(403)
    form = StartForm()
    form.validate()
    problem = form.first_problem()
    if problem is not None:
        flash(problem, "error")
        return redirect(url_for("assess.matrix", cohort_id=cohort.id))
    students = {s.id: s for s in cohort.students}
    student_ids = form.students.data
    if any(sid not in students for sid in student_ids):
        abort(404)
    new = form.new_assessment()
    try:  # all or none: a refusal rolls back the ones created before it
        created = [a.create_assessment(db.session, current_actor(), students[sid], cohort, new) for sid in student_ids]
    except AssessmentError as exc:
        show_refusal(exc)
        return redirect(url_for("assess.matrix", cohort_id=cohort.id))
    if len(created) == 1:
        return redirect(url_for("assess.show", assessment_id=created[0].id))
    flash(_("%(n)s assessments started.", n=len(created)), "success")
    return redirect(url_for("assess.queue"))


# --- the learner's progress ----------------------------------------------------------------------


@bp.get("/progress/students/<int:student_id>/programmes/<int:cohort_id>")
def progress(student_id: int, cohort_id: int) -> str:
    me = _me()
    student, cohort = portfolio_or_404(me, student_id, cohort_id)
    record = learner_record(db.session, student, cohort)
    chart = None
    if any(o.target is not None and o.target.code and o.target.code.startswith("e-") for o in record.outcomes):
        first_target = record.outcomes[0].target
        assert first_target is not None  # the e-CF check above found targets
        scale = first_target.scale
        chart = levels_chart(
            [
                Bar(
                    o.node.element.code or o.node.key,
                    o.node.element.title,
                    o.target.value if o.target else None,
                    o.level.value if o.level else None,
                )
                for o in record.outcomes
            ],
            max_level=max(lv.value for lv in scale.levels),
            level_labels={lv.value: lv.code or str(lv.value) for lv in scale.levels},
            title=_("Achieved and target e-CF levels of %(name)s", name=student.name),
            not_assessed_label=_("not assessed"),
            achieved_label=_("achieved"),
            target_label=_("target"),
            no_target_label=_("no target"),
            empty_label=_("No competences to show."),
        )
    assessments = db.session.scalars(
        select(Assessment)
        .where(Assessment.candidate_id == student.id, Assessment.cohort_id == cohort.id)
        .options(selectinload(Assessment.assessors).selectinload(AssessmentAssessor.assessor))
        .order_by(Assessment.created_at.desc())
    ).all()
    return render_template(
        "assess/progress.html",
        student=student,
        cohort=cohort,
        record=record,
        chart=chart,
        assessments=assessments,
        is_staff=can_start_assessment(me, cohort),
        carried=carried_evidence(db.session, student, record.programme),
    )
