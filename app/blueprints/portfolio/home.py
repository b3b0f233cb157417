"""The portfolio home, the portfolio of one programme, and notifications."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import is_cohort_staff, portfolio_or_404, staff_cohort_ids
from app.blueprints.portfolio import bp
from app.blueprints.portfolio.common import me
from app.crosswalks.evidence import carried_evidence
from app.extensions import db
from app.portfolio import notifications as notes
from app.portfolio import queries
from app.portfolio.models import Claim, ClaimStatus, ExportStatus
from app.portfolio.programme import Programme, coverage, load_programme


@bp.get("/portfolio/")
def index() -> str:
    user = me()
    programmes = []
    for cohort in queries.programmes_of(db.session, user):
        programme = load_programme(db.session, cohort)
        claims = queries.claims_by_element(db.session, user.id, cohort.id)
        programmes.append((programme, coverage(programme, claims)))
    return render_template(
        "portfolio/index.html",
        programmes=programmes,
        items=queries.items_of(db.session, user),
        staff_cohorts=queries.staff_cohorts(db.session, staff_cohort_ids(user)),  # the portfolios staff read
    )


FILTERS = ("all", "missing", *(status.value for status in ClaimStatus))


@bp.get("/portfolio/students/<int:student_id>/programmes/<int:cohort_id>")
def programme(student_id: int, cohort_id: int) -> str:
    user = me()
    student, cohort = portfolio_or_404(user, student_id, cohort_id)
    prog = load_programme(db.session, cohort)
    claims = queries.claims_by_element(db.session, student.id, cohort.id)
    show = request.args.get("show", "all")
    show = show if show in FILTERS else "all"
    query = request.args.get("q", "").strip()[:100]
    item_ids = {c.item_id for cs in claims.values() for c in cs}
    return render_template(
        "portfolio/programme.html",
        student=student,
        cohort=cohort,
        programme=prog,
        claims=claims,
        summary=coverage(prog, claims),
        visible=_visible_elements(prog, claims, show, query),
        show=show,
        filters=FILTERS,
        query=query,
        comment_counts=queries.comment_counts(db.session, item_ids),
        is_owner=student.id == user.id,
        is_staff=is_cohort_staff(user, cohort),
        carried=carried_evidence(db.session, student, prog),  # never counted in the coverage above
    )


def _visible_elements(prog: Programme, claims: dict[int, list[Claim]], show: str, query: str) -> set[int]:
    """Ids of the claimable elements that pass the filter; their ancestors are shown for context."""
    from app.standards.text import fold

    needle = fold(query) if query else ""
    visible: set[int] = set()
    for node in prog.claimable:
        own = claims.get(node.element.id, [])
        statuses = {c.status for c in own}
        if show == "missing" and own:
            continue
        if show in tuple(ClaimStatus) and show not in statuses:
            continue
        if needle:
            haystack = fold(" ".join([node.element.code or "", node.element.title] + [c.item.title for c in own]))
            if not all(word in haystack for word in needle.split()):
                continue
        visible.add(node.element.id)
    return visible


# --- notifications -------------------------------------------------------------------------------


@bp.get("/notifications")
def notifications() -> str:
    return render_template("portfolio/notifications.html", notes=queries.notifications_of(db.session, me()))


@bp.post("/notifications/read")
def notifications_read() -> Response:
    notes.mark_all_read(db.session, me())
    return redirect(url_for("portfolio.notifications"))


@bp.app_context_processor
def _unread() -> dict[str, object]:
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return queries.unread_count(db.session, me())

    return {"unread_notifications": unread_notifications}


# The enums templates compare against (never the literal strings).
@bp.app_template_global()
def claim_statuses() -> type[ClaimStatus]:
    return ClaimStatus


@bp.app_template_global()
def export_statuses() -> type[ExportStatus]:
    return ExportStatus
