"""The learner's side: which employers may see my record (and who looked), which job profiles fit me,
applying with one click."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.authz import own_application_or_404, own_consent_or_404
from app.blueprints.matching import bp
from app.blueprints.matching.forms import ConsentForm
from app.db import utcnow
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.matching import applications, consents, queries
from app.matching.match import Status
from app.portfolio.queries import items_by_title
from app.web import current_actor


@bp.route("/me/consents", methods=["GET", "POST"])
def my_consents() -> str | Response:
    form = ConsentForm()
    orgs = queries.employers(db.session)
    form.organisation.choices = [(o.id, o.name) for o in orgs]
    form.items.choices = [(it.id, it.title) for it in items_by_title(db.session, current_user)]
    if request.method == "GET" and request.args.get("employer", "").isdigit():
        form.organisation.data = int(request.args["employer"])
    if form.validate_on_submit():
        org = next((o for o in orgs if o.id == form.organisation.data), None)
        try:
            if org is None:
                raise consents.MatchingError(consents.N_("choose an employer"), field="organisation")
            consents.grant_consent(
                db.session, current_actor(), current_user, org, days=form.days.data or 0,
                results=form.results.data, certificates=form.certificates.data, item_ids=form.items.data or [],
            )  # fmt: skip
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("%(org)s may now see what you chose.", org=org.name), "success")
            return redirect(url_for("matching.my_consents"))
    rows = queries.consents_of(db.session, current_user)
    return render_template("matching/consents.html", form=form, rows=rows, now=utcnow())


@bp.post("/me/consents/<int:consent_id>/revoke")
def revoke_consent(consent_id: int) -> Response:
    consent = own_consent_or_404(current_user, consent_id)
    consents.revoke_consent(db.session, current_actor(), consent)
    flash(_("Withdrawn: %(org)s no longer sees you anywhere.", org=consent.organisation.name), "success")
    return redirect(url_for("matching.my_consents"))


@bp.get("/me/job-profiles")
def my_fits() -> str:
    fits = queries.learner_fits(db.session, current_user)
    applied = queries.applications_of(db.session, current_user)
    return render_template("matching/fits.html", fits=fits, applied=applied, Status=Status)


@bp.post("/me/job-profiles/<int:profile_id>/apply")
def apply(profile_id: int) -> Response:
    profile = queries.published_profile(db.session, profile_id)
    if profile is None:
        abort(404)
    try:
        applications.apply(db.session, current_actor(), current_user, profile)
    except DomainError as exc:
        show_refusal(exc)
    else:
        message = _(
            "You applied to %(title)s. %(org)s now sees your results and certificates; you can withdraw that "
            "under Employers who may see me.",
            title=profile.title,
            org=profile.organisation.name,
        )
        flash(message, "success")
    return redirect(url_for("matching.my_fits"))


@bp.post("/me/applications/<int:application_id>/withdraw")
def withdraw_application(application_id: int) -> Response:
    application = own_application_or_404(current_user, application_id)
    applications.withdraw(db.session, current_actor(), application)
    flash(_("Application withdrawn."), "success")
    return redirect(url_for("matching.my_fits"))
