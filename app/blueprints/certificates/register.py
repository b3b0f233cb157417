"""The certificate register of an organisation, for its exam committee and administrators: issued and
revoked certificates, filtered and searched, and exported as CSV or XLSX."""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import issuing_organisation_or_404
from app.blueprints.certificates import bp
from app.certificates import register as reg
from app.downloads import send_download
from app.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, "").strip()[:10])
    except ValueError:
        return None  # an unreadable date filters nothing


def _filter() -> reg.RegisterFilter:
    status = request.args.get("status", "all")
    cohort = request.args.get("cohort", "")
    return reg.RegisterFilter(
        status=status if status in reg.STATUSES else "all",
        cohort_id=int(cohort) if cohort.isdigit() else None,
        issued_from=_date("from"),
        issued_to=_date("to"),
        q=request.args.get("q", "")[:100],
    )


def _filter_args() -> dict[str, str]:
    """The filter as query arguments, for the export links (only the filter's own names)."""
    return {name: value for name in ("q", "status", "cohort", "from", "to") if (value := request.args.get(name, ""))}


@bp.get("/certificates/register/<int:org_id>")
def register(org_id: int) -> str:
    org = issuing_organisation_or_404(current_user._get_current_object(), org_id)
    f = _filter()
    certs = reg.register(db.session, org.id, f, limit=reg.LIMIT + 1)
    return render_template("certificates/register.html", org=org, f=f, certs=certs[: reg.LIMIT],
                           more=len(certs) > reg.LIMIT, cohorts=reg.cohorts_of(db.session, org.id),
                           statuses=reg.STATUSES, args=_filter_args())  # fmt: skip


@bp.get("/certificates/register/<int:org_id>/export.<fmt>")
def register_export(org_id: int, fmt: str) -> Response:
    org = issuing_organisation_or_404(current_user._get_current_object(), org_id)
    certs = reg.register(db.session, org.id, _filter(), limit=None)
    if fmt == "csv":
        data, mimetype = reg.register_csv(certs), "text/csv"
    elif fmt == "xlsx":
        data, mimetype = reg.register_xlsx(certs), XLSX
    else:
        abort(404)
    response = send_download(data, f"certificate-register-{org.id}-{dt.date.today():%Y%m%d}.{fmt}", mimetype)
    response.headers["Cache-Control"] = "private, no-store"
    return response
