"""A candidate's development plan, as PDF and XLSX (HR of the employer; the viewing is recorded)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import job_profile_or_404
from app.blueprints.matching import bp
from app.blueprints.matching.candidates import candidate_ranking, log_views
from app.downloads import send_download
from app.extensions import db
from app.matching.consents import ViewWhat
from app.matching.development import build_plan, plan_pdf, plan_xlsx
from app.uow import writes_on_get

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_labels() -> dict[str, str]:
    return {
        "verified": _("verified"),
        "via_crosswalk": _("via crosswalk"),
        "verified_lower": _("verified at a lower level"),
        "claimed": _("claimed, not judged"),
        "missing": _("missing"),
    }


@bp.get("/job-profiles/<int:profile_id>/candidates/<key>/plan.<fmt>")
@writes_on_get
def plan(profile_id: int, key: str, fmt: str) -> Response:
    profile = job_profile_or_404(current_user, profile_id)
    if fmt not in ("pdf", "xlsx"):
        from flask import abort

        abort(404)
    ranking = candidate_ranking(profile, key)
    log_views(ranking, ranking.matches, ViewWhat.PLAN)
    built = build_plan(db.session, ranking, ranking.matches[0])
    name = _("Development plan %(name)s - %(title)s", name=built.match.name, title=profile.title)
    if fmt == "pdf":
        return send_download(plan_pdf(built), f"{name}.pdf", "application/pdf", fallback="plan")
    header = [_("Standard"), _("Key"), _("Element"), _("Weight"), _("Required level"), _("Achieved level"),
              _("Status"), _("A certificate on the group would prove it too"),
              _("Curriculum units and exam instruments")]  # fmt: skip
    return send_download(plan_xlsx(built, header, status_labels()), f"{name}.xlsx", XLSX, fallback="plan")
