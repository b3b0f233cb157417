"""Crosswalks: the list, creating one, reading one; managing one (edit, publish, unpublish, delete a draft)
is in ``managing``, authoring its links in ``authoring``, export and import in ``exchange``."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import (
    audience_of,
    authoring_organisations,
    can_author_crosswalks,
    can_author_for,
    can_edit_crosswalk,
    crosswalk_or_404,
    crosswalks_visible_to,
    public,
)
from app.blueprints.crosswalks import bp
from app.blueprints.crosswalks.forms import NewCrosswalkForm
from app.crosswalks import crosswalks as services
from app.crosswalks.queries import framework_choices, list_crosswalks, load_links
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.web import current_actor


def owner_choices(user: Any) -> list[tuple[str, str]]:
    choices = [("", _("Platform-wide (Bekwaam editors)"))] if user.is_platform_admin else []
    return choices + [(str(o.id), o.name) for o in authoring_organisations(user)]


def owner_id(raw: str | None) -> int | None:
    """The organisation chosen as owner (None: platform-wide); refuses one the person cannot author for."""
    organisation_id = int(raw) if raw and raw.isdigit() else None
    if not can_author_for(current_user, organisation_id):
        abort(403)
    return organisation_id


@bp.get("/")
@public
def index() -> str:
    rows = list_crosswalks(db.session, crosswalks_visible_to(current_user))
    return render_template("crosswalks/index.html", rows=rows, can_author=can_author_crosswalks(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    if not can_author_crosswalks(current_user):
        abort(403)
    form = NewCrosswalkForm()
    form.source.choices = form.target.choices = framework_choices(db.session, audience_of(current_user))
    form.owner.choices = owner_choices(current_user)
    if form.validate_on_submit():
        try:
            crosswalk = services.create_crosswalk(
                db.session,
                current_actor(),
                services.NewCrosswalk(
                    name=form.name.data or "",
                    source_code=form.source.data or "",
                    target_code=form.target.data or "",
                    organisation_id=owner_id(form.owner.data),
                    description=form.description.data or "",
                    source_ref=form.source_ref.data,
                ),
            )
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("Crosswalk created. Link elements and publish it when it is ready."), "success")
            return redirect(url_for("crosswalks.author", crosswalk_id=crosswalk.id))
    return render_template("crosswalks/new.html", form=form)


@bp.get("/<int:crosswalk_id>")
@public
def show(crosswalk_id: int) -> str:
    crosswalk = crosswalk_or_404(current_user, crosswalk_id)
    return render_template(
        "crosswalks/show.html",
        crosswalk=crosswalk,
        links=load_links(db.session, crosswalk),
        can_edit=can_edit_crosswalk(current_user, crosswalk),
    )
