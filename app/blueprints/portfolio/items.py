"""Evidence items: create, show, edit, delete, and the versions of a judged item."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.authz import Action, can_comment_item, can_edit_item, can_review_claim, item_or_404
from app.blueprints.portfolio import bp
from app.blueprints.portfolio.common import back_to_item, me
from app.blueprints.portfolio.forms import ClaimForm, CommentForm, ItemForm, LinkForm, UploadForm
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.portfolio import items, queries
from app.portfolio.programme import Programme, load_programme
from app.web import current_actor


def _item_data(form: ItemForm) -> items.ItemData:
    return items.ItemData(
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


@bp.route("/portfolio/items/new", methods=["GET", "POST"])
def new_item() -> str | Response:
    form = ItemForm()
    if form.validate_on_submit():
        try:
            item = items.create_item(db.session, current_actor(), me(), _item_data(form))
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Saved. Now add files or links, and link it to what it proves."), "success")
            return back_to_item(item.id)
    return render_template("portfolio/item_form.html", form=form, item=None)


@bp.get("/portfolio/items/<int:item_id>")
def item(item_id: int) -> str:
    user = me()
    it = item_or_404(user, item_id)
    owner = it.owner
    is_owner = can_edit_item(user, it)
    claims = queries.claims_of_item(db.session, it)
    programmes = [load_programme(db.session, c) for c in queries.programmes_of(db.session, owner)] if is_owner else []
    return render_template(
        "portfolio/item.html",
        item=it,
        owner=owner,
        claims=claims,
        comments=queries.comments_by_claim(db.session, it),
        is_owner=is_owner,
        can_comment=can_comment_item(user, it),
        reviewable={c.id for c in claims if can_review_claim(user, c)},
        upload_form=UploadForm(),
        link_form=LinkForm(),
        claim_form=_claim_form(programmes) if is_owner else None,
        comment_form=CommentForm(),
        versions=queries.versions_of(db.session, it),
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
            for node in prog.offered
        ]
    form.target.choices = groups
    levels: dict[str, list[tuple[str, str]]] = {}
    for option in _level_options(programmes)[0]["options"]:
        levels.setdefault(option["scale_title"], []).append((f"{option['scale']}:{option['value']}", option["label"]))
    form.level.choices = {"": [("", _("No self-assessment"))], **levels}
    return form


def _level_options(programmes: list[Programme]) -> list[dict[str, Any]]:
    """Every level of every scale used by the owner's programmes; the page shows those of the chosen element."""
    options: dict[tuple[int, int], dict[str, Any]] = {}
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
    it = item_or_404(me(), item_id, Action.MANAGE)
    form = ItemForm(obj=it)
    if form.validate_on_submit():
        try:
            items.update_item(db.session, current_actor(), it, _item_data(form))
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Saved."), "success")
            return back_to_item(it.id)
    return render_template("portfolio/item_form.html", form=form, item=it)


@bp.post("/portfolio/items/<int:item_id>/delete")
def delete_item(item_id: int) -> Response:
    it = item_or_404(me(), item_id, Action.MANAGE)
    try:
        items.delete_item(db.session, current_actor(), it)
    except DomainError as exc:
        show_refusal(exc)
        return back_to_item(item_id)
    flash(_("The item is deleted."), "success")
    return redirect(url_for("portfolio.index"))


@bp.get("/portfolio/items/<int:item_id>/versions/<int:number>")
def item_version(item_id: int, number: int) -> str:
    it = item_or_404(me(), item_id)
    snap = queries.version_of(db.session, it, number)
    if snap is None:
        abort(404)
    return render_template("portfolio/version.html", item=it, snap=snap, number=number)
