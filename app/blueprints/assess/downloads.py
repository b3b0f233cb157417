"""Downloads of the assessors' pages: the assessment form as a PDF, a cohort's results as CSV or XLSX."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from werkzeug.wrappers import Response

from app.assessment.models import AssessmentStatus
from app.authz import assessment_or_404, staff_cohort_or_404
from app.blueprints.assess import bp
from app.downloads import send_download
from app.extensions import db


@bp.get("/assess/<int:assessment_id>/form.pdf")
def form_pdf(assessment_id: int) -> Response:
    from app.assessment.exports import assessment_pdf

    me = current_user._get_current_object()
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

    cohort = staff_cohort_or_404(current_user._get_current_object(), cohort_id)
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
