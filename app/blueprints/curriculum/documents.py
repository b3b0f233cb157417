"""The examenplan to print or to work with: PDF and XLSX, for the plan or for one cohort that follows it."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts.models import Cohort
from app.authz import curriculum_or_404
from app.blueprints.curriculum import bp
from app.blueprints.curriculum.common import me, plan_for_request
from app.curriculum.documents import ExamPlanDocument, SheetLabels, build_document, exam_plan_pdf, exam_plan_xlsx
from app.curriculum.models import CohortCurriculum, Curriculum, InstrumentKind
from app.curriculum.queries import plan_coverage
from app.downloads import send_download
from app.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cohort(curriculum: Curriculum) -> Cohort | None:
    """``?cohort=<id>``: one of the cohorts that follow this plan (anything else is not found)."""
    raw = request.args.get("cohort", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        abort(404)
    cohort = db.session.scalar(
        select(Cohort)
        .join(CohortCurriculum, CohortCurriculum.cohort_id == Cohort.id)
        .where(Cohort.id == int(raw), CohortCurriculum.curriculum_id == curriculum.id)
    )
    if cohort is None:
        abort(404)
    return cohort


def kind_labels() -> dict[str, str]:
    return {
        InstrumentKind.PROEVE: _("Proeve van bekwaamheid"),
        InstrumentKind.PRACTICAL: _("Practical exam"),
        InstrumentKind.INTERVIEW: _("Criterion-based interview"),
        InstrumentKind.PORTFOLIO: _("Portfolio assessment"),
        InstrumentKind.KNOWLEDGE_TEST: _("Knowledge test"),
        InstrumentKind.OTHER: _("Other exam"),
    }


def sheet_labels(doc: ExamPlanDocument) -> SheetLabels:
    curriculum = doc.curriculum
    if curriculum.adopted and curriculum.adopted_at is not None:
        by = curriculum.adopted_by.name if curriculum.adopted_by else ""
        adoption = _("Adopted on %(date)s by %(name)s.", date=curriculum.adopted_at.strftime("%Y-%m-%d"), name=by)
    else:
        adoption = _("Draft: the exam committee has not adopted this exam plan yet.")
    if doc.check.complete:
        verdict = _("Complete: %(n)s of %(total)s elements are examined.", n=doc.check.examined, total=doc.check.total)
    else:
        verdict = _("Not complete: %(n)s of %(total)s elements are examined.", n=doc.check.examined,
                    total=doc.check.total)  # fmt: skip
    about = [
        (_("Organisation"), curriculum.organisation.name),
        (_("Standard"), f"{doc.plan.framework.title} ({doc.plan.framework.code})"),
        (_("Cohort year"), curriculum.cohort_year),
        (_("Version"), str(curriculum.version)),
        (_("Adoption"), adoption),
        (_("Exam plan check"), verdict),
    ]
    if doc.cohort is not None:
        about.append((_("Cohort"), doc.cohort.name))
    header = [_("Code"), _("Exam instrument"), _("Kind"), _("Summative or formative"), _("When"), _("Core tasks"),
              _("What it examines"), _("Assessors"), _("Scale"), _("Pass rule (cesuur)")]  # fmt: skip
    progress = [_("planned"), _("in progress"), _("passed"), _("failed"), _("Still waiting")]
    return SheetLabels(_("Exam plan"), about, header, kind_labels(), _("summative"), _("formative"), progress)


@bp.get("/<int:curriculum_id>/exam-plan.<fmt>")
def exam_plan_download(curriculum_id: int, fmt: str) -> Response:
    curriculum = curriculum_or_404(me(), curriculum_id)
    if fmt not in ("pdf", "xlsx"):
        abort(404)
    cohort = _cohort(curriculum)
    plan, _further = plan_for_request(curriculum)
    _result, check = plan_coverage(plan)
    doc = build_document(db.session, plan, check, cohort)
    name = _("Exam plan %(title)s %(year)s v%(version)s", title=curriculum.title, year=curriculum.cohort_year,
             version=curriculum.version)  # fmt: skip
    if cohort is not None:
        name = f"{name} {cohort.name}"
    if fmt == "pdf":
        return send_download(exam_plan_pdf(doc), f"{name}.pdf", "application/pdf", fallback="exam-plan")
    return send_download(exam_plan_xlsx(doc, sheet_labels(doc)), f"{name}.xlsx", XLSX, fallback="exam-plan")
