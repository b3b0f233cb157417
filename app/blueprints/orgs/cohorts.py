"""An organisation's cohorts: a new one, its page, its assessors and students, and CSV onboarding."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.accounts import csv_import, invitations, services
from app.accounts.models import Cohort, Organisation, Role, User
from app.accounts.queries import cohort_profile, framework_by_code, programme_choices
from app.authz import Action, can_manage_cohort, cohort_or_404, organisation_or_404
from app.blueprints.orgs import bp
from app.blueprints.orgs.common import me, pass_on
from app.blueprints.orgs.forms import AddAssessorForm, CohortForm, ImportConfirmForm, ImportUploadForm
from app.domain import N_, DomainError
from app.errors import show_refusal
from app.extensions import db
from app.mail import mail_configured
from app.web import current_actor


def _create_cohort(org: Organisation, form: CohortForm) -> Cohort:
    fw_code, _sep, profile_key = form.programme.data.partition("::")
    framework = framework_by_code(fw_code, org)
    if framework is None:
        raise services.AccountError(N_("Choose a programme from the list."), field="programme")
    return services.create_cohort(
        db.session,
        current_actor(),
        org,
        name=form.name.data,
        year=form.year.data,
        framework_id=framework.id,
        profile_key=profile_key or None,
    )


@bp.route("/<int:org_id>/cohorts/new", methods=["GET", "POST"])
def new_cohort(org_id: int) -> str | Response:
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    form = CohortForm()
    form.programme.choices = programme_choices(org)
    if form.validate_on_submit():
        try:
            cohort = _create_cohort(org, form)
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("The cohort %(name)s is created.", name=cohort.name), "success")
            return redirect(url_for("orgs.cohort", org_id=org.id, cohort_id=cohort.id))
    return render_template("orgs/cohort_new.html", org=org, form=form)


@bp.get("/<int:org_id>/cohorts/<int:cohort_id>")
def cohort(org_id: int, cohort_id: int) -> str:
    org = organisation_or_404(me(), org_id)
    group = cohort_or_404(me(), org, cohort_id)
    return render_template(
        "orgs/cohort.html",
        org=org,
        cohort=group,
        profile=cohort_profile(group),
        can_manage=can_manage_cohort(me(), group),
        form=AddAssessorForm(),
    )


@bp.post("/<int:org_id>/cohorts/<int:cohort_id>/assessors")
def add_assessor(org_id: int, cohort_id: int) -> str | Response:
    """A member of the organisation is added at once; anyone else is invited (the answer does not say which)."""
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    group = cohort_or_404(me(), org, cohort_id, Action.MANAGE)
    back = url_for("orgs.cohort", org_id=org.id, cohort_id=group.id)
    form = AddAssessorForm()
    if not form.validate_on_submit():
        flash(_("Enter the email address of the assessor."), "error")
        return redirect(back)
    try:
        result = invitations.invite(
            db.session, current_actor(), org, email=form.email.data, name=form.name.data or "",
            cohort=group, cohort_role=Role.ASSESSOR,
        )  # fmt: skip
    except DomainError as exc:
        show_refusal(exc)
        return redirect(back)
    if result.outcome == invitations.Outcome.UPDATED:
        flash(_("%(email)s assesses this cohort.", email=result.email), "success")
        return redirect(back)
    link, sent = pass_on(org, result)
    return render_template("orgs/invited.html", org=org, result=result, link=link, sent=sent, cohort=group)


@bp.post("/<int:org_id>/cohorts/<int:cohort_id>/people/<int:user_id>/remove")
def remove_from_cohort(org_id: int, cohort_id: int, user_id: int) -> Response:
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    group = cohort_or_404(me(), org, cohort_id, Action.MANAGE)
    person = db.session.get(User, user_id)
    role = request.form.get("role")
    if person is None or role not in (Role.STUDENT, Role.ASSESSOR):
        abort(404)
    if not services.remove_from_cohort(db.session, current_actor(), group, person, Role(role)):
        abort(404)
    flash(_("%(name)s is removed from the cohort.", name=person.name), "success")
    return redirect(url_for("orgs.cohort", org_id=org.id, cohort_id=group.id))


@bp.route("/<int:org_id>/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
def import_people(org_id: int, cohort_id: int) -> str | Response:
    """Upload a sheet, see per row what would happen (nothing written), then confirm: all rows or none."""
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    group = cohort_or_404(me(), org, cohort_id, Action.MANAGE)
    if request.method == "POST" and "digest" in request.form:
        return _apply_import(org, group)
    upload = ImportUploadForm()
    if upload.validate_on_submit():
        try:
            text = csv_import.decode(upload.file.data.read())
            plan = csv_import.plan_import(db.session, group, Role(upload.role.data), csv_import.parse(text))
        except DomainError as exc:
            show_refusal(exc, upload)
        else:
            return _preview(org, group, plan, text)
    return render_template("orgs/import.html", org=org, cohort=group, form=upload)


def _apply_import(org: Organisation, group: Cohort) -> str | Response:
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit() or confirm.role.data not in (Role.STUDENT, Role.ASSESSOR):
        abort(400)
    plan = csv_import.plan_import(
        db.session, group, Role(confirm.role.data), csv_import.parse(confirm.csv_text.data)
    )  # a refusal (the file cannot be read any more) goes to the one handler: back, with the reason
    if plan.digest() != confirm.digest.data:
        flash(_("The data changed since the preview. Check the new preview and confirm again."), "error")
        return _preview(org, group, plan, confirm.csv_text.data)
    if not plan.can_apply:
        return _preview(org, group, plan, confirm.csv_text.data)
    result = csv_import.apply_import(db.session, current_actor(), group, plan)
    passed = [(result.names.get(r.email, ""), r.email, pass_on(org, r)) for r in result.invited if r.token]
    sent = mail_configured() and all(was_sent for _name, _email, (_link, was_sent) in passed)
    links = [(name, email, link) for name, email, (link, _was_sent) in passed if link]
    return render_template("orgs/import_done.html", org=org, cohort=group, result=result, links=links, sent=sent)


def _preview(org: Organisation, group: Cohort, plan: csv_import.ImportPlan, text: str) -> str:
    form = ImportConfirmForm(data={"csv_text": text, "role": plan.role.value, "digest": plan.digest()})
    return render_template(
        "orgs/import_preview.html", org=org, cohort=group, plan=plan, form=form, RowAction=csv_import.RowAction
    )
