"""The student's portfolio: evidence items, their files, links and claims, feedback, and the programme view."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.accounts.models import Cohort, User
from app.authz import (
    Action,
    attachment_or_404,
    can_comment_item,
    can_edit_item,
    can_review_claim,
    claim_or_404,
    is_cohort_staff,
    item_or_404,
    portfolio_or_404,
    staff_cohort_ids,
)
from app.blueprints.portfolio import bp
from app.blueprints.portfolio.forms import ClaimForm, CommentForm, ItemForm, LinkForm, UploadForm
from app.downloads import send_download
from app.errors import render_error
from app.extensions import db, limiter
from app.files.storage import storage_for
from app.portfolio import services
from app.portfolio.files import attachment_in_version, is_current
from app.portfolio.models import Claim, ClaimStatus, Comment, EvidenceItem, EvidenceLink, Notification
from app.portfolio.programme import Programme, coverage, load_programme
from app.uow import refused
from app.web import current_actor


def _me() -> User:
    return current_user._get_current_object()


def _refused(form, exc: services.PortfolioError) -> None:
    field = getattr(form, exc.field or "", None) if form is not None else None
    if field is not None:
        field.errors.append(exc.message)
    else:
        flash(exc.message, "error")


def _item_data(form: ItemForm) -> services.ItemData:
    return services.ItemData(
        title=form.title.data or "",
        description=form.description.data or "",
        context=form.context.data,
        context_detail=form.context_detail.data or "",
        started_on=form.started_on.data,
        ended_on=form.ended_on.data,
        situation=form.situation.data or "",
        task=form.task.data or "",
        action=form.action.data or "",
        result=form.result.data or "",
        reflection=form.reflection.data or "",
    )


# --- home ----------------------------------------------------------------------------------------


@bp.get("/portfolio/")
def index() -> str:
    me = _me()
    programmes = []
    for cohort in services.programmes_of(db.session, me):
        programme = load_programme(db.session, cohort)
        claims = _claims_by_element(me, cohort)
        programmes.append((programme, coverage(programme, claims)))
    items = db.session.scalars(
        select(EvidenceItem)
        .where(EvidenceItem.owner_id == me.id)
        .options(selectinload(EvidenceItem.claims), selectinload(EvidenceItem.attachments))
        .order_by(EvidenceItem.updated_at.desc())
    ).all()
    # Staff: the cohorts whose portfolios they read, with their students.
    staff_cohorts = db.session.scalars(
        select(Cohort)
        .where(Cohort.id.in_(staff_cohort_ids(me)))
        .options(selectinload(Cohort.students), selectinload(Cohort.organisation))
        .order_by(Cohort.year.desc(), Cohort.name)
    ).all()
    return render_template("portfolio/index.html", programmes=programmes, items=items, staff_cohorts=staff_cohorts)


def _claims_by_element(student: User, cohort: Cohort) -> dict[int, list[Claim]]:
    claims = db.session.scalars(
        select(Claim)
        .join(EvidenceItem, EvidenceItem.id == Claim.item_id)
        .where(Claim.cohort_id == cohort.id, EvidenceItem.owner_id == student.id)
        .options(selectinload(Claim.item), selectinload(Claim.self_level))
        .order_by(Claim.id)
    ).all()
    grouped: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        grouped[claim.element_id].append(claim)
    return grouped


# --- the portfolio of one programme --------------------------------------------------------------


FILTERS = ("all", "missing", "draft", "submitted", "reviewed")


@bp.get("/portfolio/students/<int:student_id>/programmes/<int:cohort_id>")
def programme(student_id: int, cohort_id: int) -> str:
    me = _me()
    student, cohort = portfolio_or_404(me, student_id, cohort_id)
    prog = load_programme(db.session, cohort)
    claims = _claims_by_element(student, cohort)
    show = request.args.get("show", "all")
    show = show if show in FILTERS else "all"
    query = request.args.get("q", "").strip()[:100]
    visible = _visible_elements(prog, claims, show, query)
    item_ids = {c.item_id for cs in claims.values() for c in cs}
    comment_counts = dict(
        db.session.execute(
            select(Comment.item_id, func.count()).where(Comment.item_id.in_(item_ids)).group_by(Comment.item_id)
        ).all()
    )
    return render_template(
        "portfolio/programme.html",
        student=student,
        cohort=cohort,
        programme=prog,
        claims=claims,
        summary=coverage(prog, claims),
        visible=visible,
        show=show,
        filters=FILTERS,
        query=query,
        comment_counts=comment_counts,
        is_owner=student.id == me.id,
        is_staff=is_cohort_staff(me, cohort),
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
        if show in ("draft", "submitted", "reviewed") and show not in statuses:
            continue
        if needle:
            haystack = fold(" ".join([node.element.code or "", node.element.title] + [c.item.title for c in own]))
            if not all(word in haystack for word in needle.split()):
                continue
        visible.add(node.element.id)
    return visible


# --- items ---------------------------------------------------------------------------------------


@bp.route("/portfolio/items/new", methods=["GET", "POST"])
def new_item() -> str | Response:
    form = ItemForm()
    if form.validate_on_submit():
        try:
            item = services.create_item(db.session, current_actor(), _me(), _item_data(form))
        except services.PortfolioError as exc:
            refused()  # nothing of the refused operation is committed
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("Saved. Now add files or links, and link it to what it proves."), "success")
            return redirect(url_for("portfolio.item", item_id=item.id))
    return render_template("portfolio/item_form.html", form=form, item=None)


@bp.get("/portfolio/items/<int:item_id>")
def item(item_id: int) -> str:
    me = _me()
    it = item_or_404(me, item_id)
    owner = it.owner
    is_owner = can_edit_item(me, it)
    comments = db.session.scalars(
        select(Comment).where(Comment.item_id == it.id).options(selectinload(Comment.author)).order_by(Comment.id)
    ).all()
    by_claim: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        by_claim[comment.claim_id].append(comment)
    claims = db.session.scalars(
        select(Claim)
        .where(Claim.item_id == it.id)
        .options(selectinload(Claim.element), selectinload(Claim.cohort), selectinload(Claim.self_level))
        .order_by(Claim.id)
    ).all()
    programmes = [load_programme(db.session, c) for c in services.programmes_of(db.session, owner)] if is_owner else []
    claim_form = _claim_form(programmes) if is_owner else None
    return render_template(
        "portfolio/item.html",
        item=it,
        owner=owner,
        claims=claims,
        comments=by_claim,
        is_owner=is_owner,
        can_comment=can_comment_item(me, it),
        reviewable={c.id for c in claims if can_review_claim(me, c)},
        upload_form=UploadForm(),
        link_form=LinkForm(),
        claim_form=claim_form,
        comment_form=CommentForm(),
        versions=services.versions_of(db.session, it),
        max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
        level_options=_level_options(programmes) if is_owner else [],
    )


def _claim_form(programmes: list[Programme]) -> ClaimForm:
    form = ClaimForm()
    groups: dict[str, list[tuple[str, str]]] = {}
    for prog in programmes:
        label = f"{prog.cohort.name} · {prog.framework.title}"
        groups[label] = [
            (f"{prog.cohort.id}:{node.element.key}", f"{node.element.code or ''} {node.element.title}".strip()[:140])
            for node in prog.claimable
        ]
    form.target.choices = groups
    levels: dict[str, list[tuple[str, str]]] = {}
    for option in _level_options(programmes)[0]["options"]:
        levels.setdefault(option["scale_title"], []).append((f"{option['scale']}:{option['value']}", option["label"]))
    form.level.choices = {"": [("", _("No self-assessment"))], **levels}
    return form


def _level_options(programmes: list[Programme]) -> list[dict[str, object]]:
    """Every level of every scale used by the owner's programmes; the page shows those of the chosen element."""
    options: dict[tuple[int, int], dict[str, object]] = {}
    targets: dict[str, int] = {}
    for prog in programmes:
        for node in prog.claimable:
            levels = prog.scale_levels(node)
            if not levels:
                continue
            targets[f"{prog.cohort.id}:{node.element.key}"] = levels[0].scale_id
            for lv in levels:
                options[(lv.scale_id, lv.value)] = {
                    "scale": lv.scale_id,
                    "scale_title": lv.scale.title,
                    "value": lv.value,
                    "label": f"{lv.code + ' ' if lv.code else ''}{lv.label}",
                }
    return [{"targets": targets, "options": list(options.values())}]


@bp.route("/portfolio/items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(item_id: int) -> str | Response:
    it = item_or_404(_me(), item_id, Action.MANAGE)
    form = ItemForm(obj=it)
    if form.validate_on_submit():
        try:
            services.update_item(db.session, current_actor(), it, _item_data(form))
        except services.PortfolioError as exc:
            refused()  # nothing of the refused operation is committed
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("portfolio.item", item_id=it.id))
    return render_template("portfolio/item_form.html", form=form, item=it)


@bp.post("/portfolio/items/<int:item_id>/delete")
def delete_item(item_id: int) -> Response:
    it = item_or_404(_me(), item_id, Action.MANAGE)
    try:
        services.delete_item(db.session, current_actor(), it)
    except services.PortfolioError as exc:
        refused()  # nothing of the refused operation is committed
        flash(exc.message, "error")
        return redirect(url_for("portfolio.item", item_id=item_id))
    db.session.commit()
    flash(_("The item is deleted."), "success")
    return redirect(url_for("portfolio.index"))


@bp.get("/portfolio/items/<int:item_id>/versions/<int:number>")
def item_version(item_id: int, number: int) -> str:
    it = item_or_404(_me(), item_id)
    snap = services.version_of(db.session, it, number)
    if snap is None:
        abort(404)
    return render_template("portfolio/version.html", item=it, snap=snap, number=number)


# --- files and links -----------------------------------------------------------------------------


def _uploader() -> str:
    return f"upload:{current_user.id}"  # the person, not the session: signing in again does not reset it


def _too_many_uploads() -> str:
    return _("You uploaded many files in a short time. Wait a few minutes and try again; this file is not saved.")


@bp.errorhandler(RateLimitExceeded)
def _rate_limited(exc: RateLimitExceeded):
    """A 429 page with the limit's own message (the app's handler shows only its generic one)."""
    return render_error(429, exc.description if exc.limit.error_message else None)


@bp.post("/portfolio/items/<int:item_id>/files")
@limiter.limit(
    lambda: current_app.config["UPLOAD_LIMIT_PER_PERSON"],
    key_func=_uploader,
    exempt_when=lambda: not current_user.is_authenticated,  # sent to the sign-in page instead
    error_message=_too_many_uploads,
)
def upload(item_id: int) -> Response:
    it = item_or_404(_me(), item_id, Action.MANAGE)
    form = UploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors or [_("The upload did not arrive; try again.")]:
            flash(str(error), "error")
        return redirect(url_for("portfolio.item", item_id=it.id) + "#files")
    upload_file = form.file.data
    data = upload_file.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
    try:
        attachment = services.add_attachment(
            db.session,
            storage_for(current_app),
            current_actor(),
            it,
            upload_file.filename or "",
            data,
            current_app.config["UPLOAD_MAX_BYTES"],
        )
    except services.PortfolioError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s is added.", name=attachment.filename), "success")
    return redirect(url_for("portfolio.item", item_id=it.id) + "#files")


@bp.post("/portfolio/items/<int:item_id>/files/<int:attachment_id>/remove")
def remove_file(item_id: int, attachment_id: int) -> Response:
    it = item_or_404(_me(), item_id, Action.MANAGE)
    attachment = attachment_or_404(_me(), attachment_id)
    if attachment.item_id != it.id or attachment.removed_at is not None:
        abort(404)
    services.remove_attachment(db.session, current_actor(), attachment)
    db.session.commit()
    flash(_("%(name)s is removed.", name=attachment.filename), "success")
    return redirect(url_for("portfolio.item", item_id=it.id) + "#files")


@bp.get("/portfolio/files/<int:attachment_id>")
def download(attachment_id: int) -> Response:
    attachment = attachment_or_404(_me(), attachment_id)
    if not is_current(attachment):  # removed: served only as part of a judged version (version_file)
        abort(404)
    return send_attachment(attachment, thumbnail=request.args.get("thumb") == "1")


@bp.get("/portfolio/items/<int:item_id>/versions/<int:number>/files/<int:attachment_id>")
def version_file(item_id: int, number: int, attachment_id: int) -> Response:
    it = item_or_404(_me(), item_id)
    attachment = attachment_in_version(db.session, it, number, attachment_id)
    if attachment is None:
        abort(404)
    return send_attachment(attachment)


def send_attachment(attachment, thumbnail: bool = False) -> Response:
    """A stored file, never rendered by the browser as a page: download, or inline image/PDF in a sandbox."""
    storage = storage_for(current_app)
    if thumbnail:
        if not attachment.thumbnail_key:
            abort(404)
        data, mimetype, inline = storage.read(attachment.thumbnail_key), "image/jpeg", True
    else:
        data, mimetype = storage.read(attachment.sha256), attachment.content_type
        inline = attachment.kind == "image" or attachment.content_type == "application/pdf"
    response = send_download(data, attachment.filename, mimetype, inline=inline, etag=attachment.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/portfolio/items/<int:item_id>/links")
def add_link(item_id: int) -> Response:
    it = item_or_404(_me(), item_id, Action.MANAGE)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            services.add_link(db.session, current_actor(), it, form.url.data, form.link_title.data or "")
        except services.PortfolioError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
    else:
        flash(_("Enter a web address."), "error")
    return redirect(url_for("portfolio.item", item_id=it.id) + "#files")


@bp.post("/portfolio/items/<int:item_id>/links/<int:link_id>/remove")
def remove_link(item_id: int, link_id: int) -> Response:
    it = item_or_404(_me(), item_id, Action.MANAGE)
    link = db.session.get(EvidenceLink, link_id)
    if link is None or link.item_id != it.id:
        abort(404)
    services.remove_link(db.session, current_actor(), link)
    db.session.commit()
    return redirect(url_for("portfolio.item", item_id=it.id) + "#files")


# --- claims, feedback and comments ---------------------------------------------------------------


@bp.post("/portfolio/items/<int:item_id>/claims")
def add_claim(item_id: int) -> Response:
    me = _me()
    it = item_or_404(me, item_id, Action.MANAGE)
    form = ClaimForm()
    target = request.form.get("target", "")
    cohort_part, _sep, element_key = target.partition(":")
    cohort = db.session.get(Cohort, int(cohort_part)) if cohort_part.isdigit() else None
    scale_raw, _sep, level_raw = request.form.get("level", "").partition(":")
    level_value = int(level_raw) if level_raw.isdigit() else None
    scale_id = int(scale_raw) if scale_raw.isdigit() else None
    if not form.validate_on_submit() or cohort is None or not element_key:
        flash(_("Choose the work process or competence this item proves."), "error")
        return redirect(url_for("portfolio.item", item_id=it.id) + "#claims")
    try:
        services.add_claim(
            db.session,
            current_actor(),
            it,
            cohort,
            element_key,
            level_value,
            form.explanation.data or "",
            scale_id=scale_id,
        )
    except services.PortfolioError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Linked."), "success")
    return redirect(url_for("portfolio.item", item_id=it.id) + "#claims")


@bp.post("/portfolio/claims/<int:claim_id>/remove")
def remove_claim(claim_id: int) -> Response:
    claim = claim_or_404(_me(), claim_id, Action.MANAGE)
    item_id = claim.item_id
    try:
        services.remove_claim(db.session, current_actor(), claim)
    except services.PortfolioError as exc:
        refused()  # nothing of the refused operation is committed
        flash(exc.message, "error")
    else:
        db.session.commit()
    return redirect(url_for("portfolio.item", item_id=item_id) + "#claims")


@bp.post("/portfolio/items/<int:item_id>/feedback")
def request_feedback(item_id: int) -> Response:
    it = item_or_404(_me(), item_id, Action.MANAGE)
    try:
        n = services.request_feedback(db.session, current_actor(), it)
    except services.PortfolioError as exc:
        refused()  # nothing of the refused operation is committed
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Feedback requested on %(n)s links; your assessors are told.", n=n), "success")
    return redirect(url_for("portfolio.item", item_id=it.id))


@bp.post("/portfolio/claims/<int:claim_id>/reviewed")
def mark_reviewed(claim_id: int) -> Response:
    me = _me()
    claim = claim_or_404(me, claim_id)
    if not can_review_claim(me, claim):
        abort(403)
    try:
        services.mark_reviewed(db.session, current_actor(), claim)
    except services.PortfolioError as exc:
        refused()  # nothing of the refused operation is committed
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Marked as reviewed."), "success")
    return redirect(url_for("portfolio.item", item_id=claim.item_id) + "#claims")


@bp.post("/portfolio/items/<int:item_id>/comments")
def add_comment(item_id: int) -> Response:
    me = _me()
    it = item_or_404(me, item_id)
    if not can_comment_item(me, it):
        abort(403)
    form = CommentForm()
    claim = None
    if form.claim_id.data:
        claim = db.session.get(Claim, int(form.claim_id.data)) if form.claim_id.data.isdigit() else None
        if claim is None or claim.item_id != it.id:
            abort(404)
    if form.validate_on_submit():
        try:
            services.add_comment(db.session, current_actor(), it, form.body.data, claim)
        except services.PortfolioError as exc:
            refused()  # nothing of the refused operation is committed
            flash(exc.message, "error")
        else:
            db.session.commit()
    else:
        flash(_("Write a comment first."), "error")
    return redirect(url_for("portfolio.item", item_id=it.id) + (f"#claim-{claim.id}" if claim else "#comments"))


# --- notifications -------------------------------------------------------------------------------


@bp.get("/notifications")
def notifications() -> str:
    me = _me()
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == me.id)
        .options(selectinload(Notification.actor), selectinload(Notification.item))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(100)
    ).all()
    return render_template("portfolio/notifications.html", notes=notes)


@bp.post("/notifications/read")
def notifications_read() -> Response:
    services.mark_all_read(db.session, _me())
    db.session.commit()
    return redirect(url_for("portfolio.notifications"))


@bp.app_context_processor
def _unread() -> dict[str, object]:
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(db.session, _me())

    return {"unread_notifications": unread_notifications}


# Keep ClaimStatus importable for templates through the blueprint's globals.
@bp.app_template_global()
def claim_statuses() -> type[ClaimStatus]:
    return ClaimStatus
