"""Managing a crosswalk as a whole: edit its name and description, publish, unpublish (back to a draft),
delete a draft. Each view loads (checking), parses, calls one audited service verb and responds."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import Action, crosswalk_or_404
from app.blueprints.crosswalks import bp
from app.blueprints.crosswalks.forms import EditCrosswalkForm
from app.crosswalks import crosswalks as services
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.web import current_actor


def _show(crosswalk_id: int) -> Response:
    return redirect(url_for("crosswalks.show", crosswalk_id=crosswalk_id))


@bp.route("/<int:crosswalk_id>/edit", methods=["GET", "POST"])
def edit(crosswalk_id: int) -> str | Response | tuple[str, int]:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE)
    form = EditCrosswalkForm(obj=crosswalk)
    if form.validate_on_submit():
        try:
            services.update_crosswalk(
                db.session,
                current_actor(),
                crosswalk,
                form.name.data or "",
                form.description.data or "",
                form.source_ref.data,
            )
        except DomainError as exc:
            show_refusal(exc, form)
            return render_template("crosswalks/edit.html", crosswalk=crosswalk, form=form), 400
        flash(_("Crosswalk saved."), "success")
        return _show(crosswalk.id)
    return render_template("crosswalks/edit.html", crosswalk=crosswalk, form=form)


@bp.post("/<int:crosswalk_id>/publish")
def publish(crosswalk_id: int) -> Response:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE)
    try:
        services.publish_crosswalk(db.session, current_actor(), crosswalk)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Published: everyone can read this crosswalk, and its links carry evidence."), "success")
    return _show(crosswalk.id)


@bp.post("/<int:crosswalk_id>/unpublish")
def unpublish(crosswalk_id: int) -> Response:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE)
    try:
        services.unpublish_crosswalk(db.session, current_actor(), crosswalk)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("Back to a draft: its links no longer carry evidence, and only its owner reads it."), "success")
    return _show(crosswalk.id)


@bp.post("/<int:crosswalk_id>/delete")
def delete(crosswalk_id: int) -> Response:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id, Action.MANAGE)
    try:
        services.delete_crosswalk(db.session, current_actor(), crosswalk)
    except DomainError as exc:
        show_refusal(exc)
        return _show(crosswalk.id)
    flash(_("Crosswalk deleted."), "success")
    return redirect(url_for("crosswalks.index"))
