"""Moving a cohort to a new version of its standard along a confirmed mapping (the organisation's admins)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField

from app.authz import Action, cohort_or_404, organisation_or_404
from app.blueprints.orgs import bp
from app.blueprints.orgs.common import me
from app.domain import N_, DomainError
from app.extensions import db
from app.versioning.moving import move_cohort
from app.versioning.queries import confirmed_mappings_from
from app.web import current_actor


class MoveCohortForm(FlaskForm):
    mapping = SelectField(_l("Move to"), coerce=int)


@bp.route("/<int:org_id>/cohorts/<int:cohort_id>/version", methods=["GET", "POST"])
def cohort_version(org_id: int, cohort_id: int) -> str | Response:
    org = organisation_or_404(me(), org_id)
    group = cohort_or_404(me(), org, cohort_id, Action.MANAGE)
    mappings = confirmed_mappings_from(db.session, group.framework_id)
    form = MoveCohortForm()
    form.mapping.choices = [(m.id, _("version %(version)s", version=m.to_framework.version or "–")) for m in mappings]
    if form.validate_on_submit():
        mapping = next((m for m in mappings if m.id == form.mapping.data), None)
        if mapping is None:
            raise DomainError(N_("Choose a version to move to."), field="mapping")
        report = move_cohort(db.session, current_actor(), group, mapping)
        flash(
            _(
                "%(cohort)s follows version %(version)s now: %(results)s results and %(claims)s claims carried.",
                cohort=group.name,
                version=mapping.to_framework.version or "–",
                results=report.results,
                claims=report.claims,
            ),
            "success",
        )
        return redirect(url_for("orgs.cohort", org_id=org.id, cohort_id=group.id))
    return render_template("orgs/cohort_version.html", org=org, cohort=group, mappings=mappings, form=form)
