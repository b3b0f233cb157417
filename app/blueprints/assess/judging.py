"""One assessment: the page, judging, submitting, settling, signing and opening a correction. Each view
loads (checking loader), parses (a form), calls a service verb and responds; the request commits."""

from __future__ import annotations

from collections import defaultdict

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.assessment import services as a
from app.assessment.errors import AssessmentError
from app.assessment.models import Assessment, AssessmentStatus
from app.assessment.queries import differences, visible_judgements
from app.assessment.scope import criteria_of
from app.assessment.staffing import candidates_to_add, lacking
from app.assessment.trail import visible_history
from app.authz import Action, assessment_or_404, can_judge, can_start_assessment
from app.blueprints.assess import bp
from app.blueprints.assess.forms import JudgementForm
from app.crosswalks.evidence import carried_evidence
from app.errors import show_refusal
from app.extensions import db
from app.portfolio.programme import load_programme
from app.portfolio.queries import claims_by_element
from app.web import current_actor


def _me() -> User:
    return current_user._get_current_object()


@bp.get("/assess/<int:assessment_id>")
def show(assessment_id: int) -> str:
    me = _me()
    assessment = assessment_or_404(me, assessment_id)
    programme = load_programme(db.session, assessment.cohort, assessment.framework)
    nodes = [programme.tree.by_key[k] for k in assessment.scope_keys if k in programme.tree.by_key]
    visible = visible_judgements(assessment, me)
    others: dict[int, list] = defaultdict(list)
    for j in visible:
        if j.assessor_id is not None:
            others[j.element_id].append(j)
    open_ = assessment.status == AssessmentStatus.OPEN
    return render_template(
        "assess/show.html",
        assessment=assessment,
        programme=programme,
        nodes=nodes,
        mine={j.element_id: j for j in visible if j.assessor_id == me.id},
        settled={j.element_id: j for j in visible if j.assessor_id is None},
        others=others,
        names={entry.assessor_id: entry.assessor.name for entry in assessment.assessors},
        claims=claims_by_element(db.session, assessment.candidate_id, assessment.cohort_id),
        criteria={n.element.id: criteria_of(n) for n in nodes},
        differences=set() if open_ else differences(assessment),
        entry=assessment.assessor_entry(me.id),
        can_judge=can_judge(me, assessment),
        history=visible_history(db.session, assessment, me),
        correction=db.session.scalar(select(Assessment).where(Assessment.supersedes_id == assessment.id)),
        statuses=AssessmentStatus,
        lacking=lacking(assessment),
        can_staff=can_start_assessment(me, assessment.cohort),
        addable=candidates_to_add(db.session, assessment) if open_ else [],
        carried=carried_evidence(db.session, assessment.candidate, programme),
    )


def _anchor(assessment: Assessment, key: str) -> str:
    return url_for("assess.show", assessment_id=assessment.id) + "#el-" + key.replace("/", "-")


def _back(assessment: Assessment) -> Response:
    return redirect(url_for("assess.show", assessment_id=assessment.id))


@bp.post("/assess/<int:assessment_id>/judge/<path:key>")
def judge(assessment_id: int, key: str) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    form = JudgementForm()
    if not form.validate():
        flash(form.first_error(), "error")
        return redirect(_anchor(assessment, key))
    try:
        a.save_judgement(db.session, current_actor(), assessment, form.judgement(key))
    except AssessmentError as exc:
        show_refusal(exc)
    else:
        flash(_("Saved."), "success")
    return redirect(_anchor(assessment, key))


@bp.post("/assess/<int:assessment_id>/submit")
def submit(assessment_id: int) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    try:
        a.submit(db.session, current_actor(), assessment)
    except AssessmentError as exc:
        show_refusal(exc)
    else:
        if assessment.status == AssessmentStatus.SETTLING:
            flash(_("Every assessor has submitted: compare and settle the differences."), "success")
        else:
            flash(_("Submitted. The other assessor's judgement stays hidden until they submit too."), "success")
    return _back(assessment)


@bp.post("/assess/<int:assessment_id>/settle/<path:key>")
def settle(assessment_id: int, key: str) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    form = JudgementForm()
    if not form.validate():
        flash(form.first_error(), "error")
        return redirect(_anchor(assessment, key))
    try:
        a.settle(db.session, current_actor(), assessment, form.judgement(key), form.note.data or "")
    except AssessmentError as exc:
        show_refusal(exc)
    else:
        flash(_("Agreed judgement saved."), "success")
    return redirect(_anchor(assessment, key))


@bp.post("/assess/<int:assessment_id>/sign")
def sign(assessment_id: int) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    try:
        final = a.sign(db.session, current_actor(), assessment, request.form.get("password", ""))
    except AssessmentError as exc:
        show_refusal(exc)
    else:
        flash(
            _("Signed. The assessment is final.") if final else _("Signed. Waiting for the other signature."), "success"
        )
    return _back(assessment)


@bp.post("/assess/<int:assessment_id>/correct")
def correct(assessment_id: int) -> Response:
    assessment = assessment_or_404(_me(), assessment_id, Action.MANAGE)
    try:
        new = a.correct(db.session, current_actor(), assessment, request.form.get("reason", ""))
    except AssessmentError as exc:
        show_refusal(exc)
        return _back(assessment)
    flash(_("A correction is open; the final version stays as it is until the correction is signed."), "success")
    return _back(new)
