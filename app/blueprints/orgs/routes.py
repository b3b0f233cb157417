"""Organisations: the list, a new one, and an organisation's page. People, cohorts (with the CSV
onboarding) and the audit log have their own modules on the same blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.accounts import services
from app.accounts.models import Cohort
from app.accounts.queries import role_counts
from app.authz import (
    can_import_for,
    cohorts_visible_to,
    organisation_or_404,
    organisations_visible_to,
    platform_admin_required,
)
from app.blueprints.orgs import bp
from app.blueprints.orgs.common import me
from app.blueprints.orgs.forms import OrganisationForm
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.standards.queries import private_frameworks
from app.web import current_actor


@bp.get("/")
def index() -> str:
    orgs = db.session.scalars(organisations_visible_to(me())).all()
    return render_template("orgs/index.html", orgs=orgs)


@bp.route("/new", methods=["GET", "POST"])
@platform_admin_required
def create() -> str | Response:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organisation(db.session, current_actor(), name=form.name.data, kind=form.kind.data)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("%(name)s is created. Invite its first administrator.", name=org.name), "success")
            return redirect(url_for("orgs.invite", org_id=org.id))
    return render_template("orgs/new.html", form=form)


@bp.get("/<int:org_id>")
def show(org_id: int) -> str:
    org = organisation_or_404(me(), org_id)
    cohorts = db.session.scalars(cohorts_visible_to(me(), org).options(selectinload(Cohort.framework))).all()
    return render_template(
        "orgs/show.html",
        org=org,
        cohorts=cohorts,
        counts=role_counts(org),
        my_roles=me().roles_in(org.id),
        standards=private_frameworks(db.session, org.id),
        can_import=can_import_for(me(), org.id),
    )
