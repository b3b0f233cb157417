"""Adding an assessor of the cohort to an open assessment, for instance after one left the cohort."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.models import User
from app.assessment import staffing
from app.assessment.errors import AssessmentError
from app.authz import assessment_or_404, can_start_assessment
from app.blueprints.assess import bp
from app.domain import N_
from app.errors import show_refusal
from app.extensions import db
from app.web import current_actor


@bp.post("/assess/<int:assessment_id>/assessors")
def add_assessor(assessment_id: int) -> Response:
    me = current_user._get_current_object()
    assessment = assessment_or_404(me, assessment_id)
    if not can_start_assessment(me, assessment.cohort):
        abort(403)
    try:
        chosen = int(request.form.get("assessor_id", ""))
    except ValueError:
        chosen = 0
    person = db.session.get(User, chosen) if chosen else None
    try:
        if person is None:
            raise AssessmentError(N_("Choose an assessor of the cohort."), field="assessor")
        staffing.add_assessor(db.session, current_actor(), assessment, person)
    except AssessmentError as exc:
        show_refusal(exc)
    else:
        flash(_("%(name)s assesses this too.", name=person.name), "success")
    return redirect(url_for("assess.show", assessment_id=assessment.id))
