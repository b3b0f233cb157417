"""Assessors' work: the queue, the cohort matrix, judging, settling and signing; the learner's progress."""

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
from app.assessment.models import Assessment, AssessmentAssessor, AssessmentKind, AssessmentStatus
from app.assessment.record import cohort_records, learner_record
from app.assessment.staffing import candidates_to_add, lacking
from app.authz import (
    Action,
    assessment_or_404,
    can_judge,
    can_start_assessment,
    portfolio_or_404,
    staff_cohort_ids,
    staff_cohort_or_404,
)
from app.blueprints.assess import bp
from app.downloads import send_download
from app.extensions import db
from app.portfolio.models import Claim, ClaimStatus, EvidenceItem
from app.portfolio.programme import load_programme
from app.web import current_actor


@bp.errorhandler(StaleDataError)
def _concurrent_change(exc: StaleDataError) -> Response:
    """Two people saved the same assessment at the same moment: one wins, the other is told, nothing breaks."""
    db.session.rollback()
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
    return render_template("assess/queue.html", mine=mine, reviews=reviews, cohorts=cohorts, recent=recent, me=me)


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
        scopes=a.scope_choices(programme),
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
    student_ids = [i for i in (_int(x) for x in request.form.getlist("students")) if i]
    assessor_ids = [i for i in (_int(x) for x in request.form.getlist("assessors")) if i]
    scope = request.form.getlist("scope") or []
    held_on = None
    if request.form.get("held_on"):
        try:
            held_on = dt.date.fromisoformat(request.form["held_on"])
        except ValueError:
            flash(_("The date is not valid; use the date picker."), "error")
            return redirect(url_for("assess.matrix", cohort_id=cohort.id))
    if not student_ids:
        flash(_("Select at least one student."), "error")
        return redirect(url_for("assess.matrix", cohort_id=cohort.id))
    students = {s.id: s for s in cohort.students}
    created = []
    try:
        for sid in student_ids:
            if sid not in students:
                abort(404)
            created.append(
                a.create_assessment(
                    db.session,
                    current_actor(),
                    students[sid],
                    cohort,
                    a.NewAssessment(
                        kind=request.form.get("kind", AssessmentKind.SUMMATIVE),
                        scope_keys=scope,
                        assessor_ids=assessor_ids,
                        held_on=held_on,
                        context=request.form.get("context", "")[:2000],
                    ),
                )
            )
    except a.AssessmentError as exc:
        db.session.rollback()  # all or none
        flash(exc.message, "error")
        return redirect(url_for("assess.matrix", cohort_id=cohort.id))
    db.session.commit()
    if len(created) == 1:
        return redirect(url_for("assess.show", assessment_id=created[0].id))
    flash(_("%(n)s assessments started.", n=len(created)), "success")
    return redirect(url_for("assess.queue"))


# --- one assessment ------------------------------------------------------------------------------


@bp.get("/assess/<int:assessment_id>")
def show(assessment_id: int) -> str:
    me = _me()
    assessment = assessment_or_404(me, assessment_id)
    programme = load_programme(db.session, assessment.cohort)
    nodes = [programme.tree.by_key[k] for k in assessment.scope_keys if k in programme.tree.by_key]
    visible = a.visible_judgements(assessment, me)
    mine = {j.element_id: j for j in visible if j.assessor_id == me.id}
    settled = {j.element_id: j for j in visible if j.assessor_id is None}
    others: dict[int, list] = defaultdict(list)
    for j in visible:
        if j.assessor_id is not None:
            others[j.element_id].append(j)
    names = {entry.assessor_id: entry.assessor.name for entry in assessment.assessors}
    claims = db.session.scalars(
        select(Claim)
        .join(EvidenceItem, EvidenceItem.id == Claim.item_id)
        .where(Claim.cohort_id == assessment.cohort_id, EvidenceItem.owner_id == assessment.candidate_id)
        .options(selectinload(Claim.item), selectinload(Claim.self_level))
    ).all()
    claims_by_element: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        claims_by_element[claim.element_id].append(claim)
    entry = assessment.assessor_entry(me.id)
    correction = db.session.scalar(select(Assessment).where(Assessment.supersedes_id == assessment.id))
    return render_template(
        "assess/show.html",
        assessment=assessment,
        programme=programme,
        nodes=nodes,
        mine=mine,
        settled=settled,
        others=others,
        names=names,
        claims=claims_by_element,
        criteria={n.element.id: a.criteria_of(n) for n in nodes},
        differences=a.differences(assessment) if assessment.status != AssessmentStatus.OPEN else set(),
        entry=entry,
        can_judge=can_judge(me, assessment),
        history=a.visible_history(db.session, assessment, me),
        correction=correction,
        statuses=AssessmentStatus,
        lacking=lacking(assessment),
        can_staff=can_start_assessment(me, assessment.cohort),
        addable=candidates_to_add(db.session, assessment) if assessment.status == AssessmentStatus.OPEN else [],
    )


def _judgement_input(key: str) -> a.JudgementInput:
    criteria = {}
    for name, value in request.form.items():
        if name.startswith("c:") and value != "":
            parsed = _int(value)
            if parsed is None:
                raise a.AssessmentError(f"{value!r} is not a level", field="criteria")
            criteria[name.removeprefix("c:")] = parsed
    return a.JudgementInput(
        element_key=key,
        level_value=_int(request.form.get("level")),
        criteria=criteria,
        rationale=request.form.get("rationale", "")[:10000],
        claim_ids=[i for i in (_int(x) for x in request.form.getlist("claims")) if i],
        expected_version=_int(request.form.get("version")),
    )


def _anchor(assessment: Assessment, key: str) -> str:
    return url_for("assess.show", assessment_id=assessment.id) + "#el-" + key.replace("/", "-")


@bp.post("/assess/<int:assessment_id>/judge/<path:key>")
def judge(assessment_id: int, key: str) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    try:
        a.save_judgement(db.session, current_actor(), assessment, _judgement_input(key))
    except a.AssessmentError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(_anchor(assessment, key))


@bp.post("/assess/<int:assessment_id>/submit")
def submit(assessment_id: int) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    try:
        a.submit(db.session, current_actor(), assessment)
    except a.AssessmentError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        if assessment.status == AssessmentStatus.SETTLING:
            flash(_("Every assessor has submitted: compare and settle the differences."), "success")
        else:
            flash(_("Submitted. The other assessor's judgement stays hidden until they submit too."), "success")
    return redirect(url_for("assess.show", assessment_id=assessment.id))


@bp.post("/assess/<int:assessment_id>/settle/<path:key>")
def settle(assessment_id: int, key: str) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    try:
        a.settle(db.session, current_actor(), assessment, _judgement_input(key), request.form.get("note", ""))
    except a.AssessmentError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Agreed judgement saved."), "success")
    return redirect(_anchor(assessment, key))


@bp.post("/assess/<int:assessment_id>/sign")
def sign(assessment_id: int) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    try:
        final = a.sign(db.session, current_actor(), assessment, request.form.get("password", ""))
    except a.AssessmentError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(
            _("Signed. The assessment is final.") if final else _("Signed. Waiting for the other signature."), "success"
        )
    return redirect(url_for("assess.show", assessment_id=assessment.id))


@bp.post("/assess/<int:assessment_id>/correct")
def correct(assessment_id: int) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    try:
        new = a.correct(db.session, current_actor(), assessment, request.form.get("reason", ""))
    except a.AssessmentError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("assess.show", assessment_id=assessment.id))
    db.session.commit()
    flash(_("A correction is open; the final version stays as it is until the correction is signed."), "success")
    return redirect(url_for("assess.show", assessment_id=new.id))


@bp.get("/assess/<int:assessment_id>/form.pdf")
def form_pdf(assessment_id: int) -> Response:
    from app.assessment.exports import assessment_pdf

    me = _me()
    assessment = assessment_or_404(me, assessment_id)
    if assessment.candidate_id == me.id and assessment.status == AssessmentStatus.SETTLING:
        abort(403)  # the candidate sees the judgements when they are final, not while being settled
    data = assessment_pdf(db.session, assessment)
    name = f"beoordeling-{assessment.id}-{assessment.candidate.name}.pdf".replace(" ", "-")
    response = send_download(data, name, "application/pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/assess/cohorts/<int:cohort_id>/results.<fmt>")
def results(cohort_id: int, fmt: str) -> Response:
    from app.assessment.exports import cohort_results_csv, cohort_results_xlsx

    cohort = staff_cohort_or_404(_me(), cohort_id)
    if fmt == "csv":
        data, mimetype = cohort_results_csv(db.session, cohort), "text/csv"
    elif fmt == "xlsx":
        data = cohort_results_xlsx(db.session, cohort)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    name = f"resultaten-{cohort.name}-{cohort.year}.{fmt}".replace(" ", "-")
    response = send_download(data, name, mimetype)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the learner's progress ----------------------------------------------------------------------


@bp.get("/progress/students/<int:student_id>/programmes/<int:cohort_id>")
def progress(student_id: int, cohort_id: int) -> str:
    me = _me()
    student, cohort = portfolio_or_404(me, student_id, cohort_id)
    record = learner_record(db.session, student, cohort)
    chart = None
    if any(o.target is not None and o.target.code and o.target.code.startswith("e-") for o in record.outcomes):
        scale = record.outcomes[0].target.scale
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
    )
