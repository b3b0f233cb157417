"""Organisations, their people and roles, cohorts, CSV onboarding and the audit log."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.accounts import csv_import, invitations, services
from app.accounts.models import AuditEvent, Cohort, LinkPurpose, Membership, Organisation, Role, User
from app.addresses import network_label
from app.authz import (
    Action,
    can_control_account,
    cohort_or_404,
    cohorts_visible_to,
    controlled_member_or_404,
    invitation_of_org_or_404,
    member_or_404,
    organisation_or_404,
    organisations_visible_to,
    platform_admin_required,
)
from app.blueprints.orgs import bp
from app.blueprints.orgs.forms import (
    AddAssessorForm,
    AuditFilterForm,
    CohortForm,
    ImportConfirmForm,
    ImportUploadForm,
    InviteForm,
    OrganisationForm,
    RolesForm,
)
from app.extensions import db
from app.mail import mail_configured, send_mail
from app.standards.models import Element, Framework
from app.standards.text import escape_like
from app.uow import refused
from app.urls import public_url
from app.web import current_actor

AUDIT_PAGE_SIZE = 50


def _me() -> User:
    return current_user._get_current_object()


def _field_error(form, exc: services.AccountError) -> None:
    field = getattr(form, exc.field or "", None)
    if field is not None:
        field.errors.append(exc.message)
    else:
        flash(exc.message, "error")


@bp.get("/")
@login_required
def index() -> str:
    orgs = db.session.scalars(organisations_visible_to(_me())).all()
    return render_template("orgs/index.html", orgs=orgs)


@bp.route("/new", methods=["GET", "POST"])
@platform_admin_required
def create() -> str | Response:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organisation(db.session, current_actor(), name=form.name.data, kind=form.kind.data)
        except services.AccountError as exc:
            refused()  # nothing of the refused operation is committed
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("%(name)s is created. Invite its first administrator.", name=org.name), "success")
            return redirect(url_for("orgs.invite", org_id=org.id))
    return render_template("orgs/new.html", form=form)


@bp.get("/<int:org_id>")
@login_required
def show(org_id: int) -> str:
    org = organisation_or_404(_me(), org_id)
    cohorts = db.session.scalars(cohorts_visible_to(_me(), org).options(selectinload(Cohort.framework))).all()
    counts = dict(
        db.session.execute(
            select(Membership.role, func.count(Membership.id))
            .where(Membership.organisation_id == org.id)
            .group_by(Membership.role)
        ).all()
    )
    return render_template("orgs/show.html", org=org, cohorts=cohorts, counts=counts, my_roles=_me().roles_in(org.id))


@bp.get("/<int:org_id>/members")
@login_required
def members(org_id: int) -> str:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    role = request.args.get("role") or None
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == org.id)
        .options(selectinload(User.memberships))
        .order_by(User.name)
        .distinct()
    )
    if role in {r.value for r in Role}:
        query = query.where(Membership.role == role)
    people = db.session.scalars(query).all()
    pending = invitations.pending_of(db.session, org)
    return render_template("orgs/members.html", org=org, people=people, role=role, roles=list(Role), pending=pending)


def _invitation_url(token: str) -> str:
    return public_url("auth.accept_invitation", token=token)


def _pass_on(org: Organisation, result: invitations.InviteResult) -> tuple[str | None, bool]:
    """The invitation link and whether it was mailed. It goes to the typed address, which is the owner's."""
    if result.token is None:
        return None, False
    link = _invitation_url(result.token)
    sent = send_mail(
        result.email,
        _("You are invited to Bekwaam"),
        _("%(org)s invites you to Bekwaam. Open this link within 7 days:", org=org.name) + f"\n\n{link}\n",
    )
    return (None if sent else link), sent


@bp.route("/<int:org_id>/members/invite", methods=["GET", "POST"])
@login_required
def invite(org_id: int) -> str | Response:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            result = invitations.invite(
                db.session,
                current_actor(),
                org,
                email=form.email.data,
                name=form.name.data,
                language=form.language.data,
                roles=[Role(r) for r in form.roles.data],
            )
        except services.AccountError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            link, sent = _pass_on(org, result)
            return render_template("orgs/invited.html", org=org, result=result, link=link, sent=sent, cohort=None)
    return render_template("orgs/invite.html", org=org, form=form, mail=mail_configured())


@bp.post("/<int:org_id>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(org_id: int, invitation_id: int) -> Response:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    invitation = invitation_of_org_or_404(org, invitation_id)
    try:
        invitations.withdraw(db.session, current_actor(), invitation)
    except services.AccountError as exc:
        refused()  # nothing of the refused operation is committed
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for("orgs.members", org_id=org.id))


@bp.route("/<int:org_id>/members/<int:user_id>", methods=["GET", "POST"])
@login_required
def member(org_id: int, user_id: int) -> str | Response:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    person = member_or_404(_me(), org, user_id)
    form = RolesForm(data={"roles": sorted(r.value for r in person.roles_in(org.id))})
    if form.validate_on_submit():
        try:
            services.set_roles(db.session, current_actor(), person, org, [Role(r) for r in form.roles.data])
        except services.AccountError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The roles of %(name)s are saved.", name=person.name), "success")
            if not person.roles_in(org.id):
                return redirect(url_for("orgs.members", org_id=org.id))
            return redirect(url_for("orgs.member", org_id=org.id, user_id=person.id))
    cohorts = db.session.scalars(select(Cohort).where(Cohort.organisation_id == org.id).order_by(Cohort.name)).all()
    in_cohorts = [c for c in cohorts if person in c.students or person in c.assessors]
    return render_template(
        "orgs/member.html",
        org=org,
        person=person,
        form=form,
        cohorts=in_cohorts,
        controls=can_control_account(_me(), org, person),
        mail=mail_configured(),
    )


@bp.post("/<int:org_id>/members/<int:user_id>/link")
@login_required
def member_link(org_id: int, user_id: int) -> str:
    """A fresh invitation link (no password yet: shown or mailed) or a password-reset link (only ever mailed to
    the owner). Only for accounts this organisation controls (app.authz.can_control_account)."""
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    person = controlled_member_or_404(_me(), org, user_id)
    purpose = LinkPurpose.INVITATION if person.password_hash is None else LinkPurpose.PASSWORD_RESET
    if purpose == LinkPurpose.PASSWORD_RESET and not mail_configured():
        return render_template("orgs/link.html", org=org, person=person, link=None, sent=False, purpose=purpose)
    token = services.create_link(db.session, current_actor(), person, purpose, organisation_id=org.id)
    db.session.commit()
    endpoint = "auth.accept_invitation" if purpose == LinkPurpose.INVITATION else "auth.reset_password"
    link = public_url(endpoint, token=token)
    sent = send_mail(person.email, _("Your Bekwaam link"), link)
    if purpose == LinkPurpose.PASSWORD_RESET:
        link = None  # a reset link is never shown to anyone but the owner's mailbox
    return render_template(
        "orgs/link.html", org=org, person=person, link=None if sent else link, sent=sent, purpose=purpose
    )


@bp.post("/<int:org_id>/members/<int:user_id>/active")
@login_required
def member_active(org_id: int, user_id: int) -> Response:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    person = controlled_member_or_404(_me(), org, user_id)
    if person.id == _me().id:
        abort(400)
    active = request.form.get("active") == "1"
    services.set_active(db.session, current_actor(), person, active, organisation_id=org.id)
    db.session.commit()
    flash(
        _("%(name)s can sign in again.", name=person.name)
        if active
        else _("%(name)s can no longer sign in.", name=person.name),
        "success",
    )
    return redirect(url_for("orgs.member", org_id=org.id, user_id=person.id))


def _programme_choices() -> dict[str, str]:
    choices: dict[str, str] = {}
    frameworks = db.session.scalars(
        select(Framework).where(Framework.kind != "competence_model").order_by(Framework.title)
    ).all()
    profiles = db.session.execute(
        select(Framework.code, Element.key, Element.code, Element.title)
        .join(Element.framework)
        .where(Element.type == "profile")
        .order_by(Framework.code, Element.sort_order)
    ).all()
    by_fw: dict[str, list[tuple[str, str | None, str]]] = {}
    for fw_code, key, code, title in profiles:
        by_fw.setdefault(fw_code, []).append((key, code, title))
    for fw in frameworks:
        if fw.code in by_fw:
            for key, code, title in by_fw[fw.code]:
                choices[f"{fw.code}::{key}"] = f"{fw.title} — {code or ''} {title}".strip()
        else:
            choices[f"{fw.code}::"] = fw.title
    return choices


@bp.route("/<int:org_id>/cohorts/new", methods=["GET", "POST"])
@login_required
def new_cohort(org_id: int) -> str | Response:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    form = CohortForm()
    form.programme.choices = _programme_choices()
    if form.validate_on_submit():
        fw_code, _sep, profile_key = form.programme.data.partition("::")
        framework = db.session.scalar(select(Framework).where(Framework.code == fw_code))
        try:
            if framework is None:
                raise services.AccountError(_("Choose a programme from the list."), field="programme")
            cohort = services.create_cohort(
                db.session,
                current_actor(),
                org,
                name=form.name.data,
                year=form.year.data,
                framework_id=framework.id,
                profile_key=profile_key or None,
            )
        except services.AccountError as exc:
            refused()  # nothing of the refused operation is committed
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The cohort %(name)s is created.", name=cohort.name), "success")
            return redirect(url_for("orgs.cohort", org_id=org.id, cohort_id=cohort.id))
    return render_template("orgs/cohort_new.html", org=org, form=form)


@bp.get("/<int:org_id>/cohorts/<int:cohort_id>")
@login_required
def cohort(org_id: int, cohort_id: int) -> str:
    org = organisation_or_404(_me(), org_id)
    group = cohort_or_404(_me(), org, cohort_id)
    profile = None
    if group.profile_key:
        profile = db.session.scalar(
            select(Element).where(Element.framework_id == group.framework_id, Element.key == group.profile_key)
        )
    from app.authz import can_manage_cohort

    return render_template(
        "orgs/cohort.html",
        org=org,
        cohort=group,
        profile=profile,
        can_manage=can_manage_cohort(_me(), group),
        form=AddAssessorForm(),
    )


@bp.post("/<int:org_id>/cohorts/<int:cohort_id>/assessors")
@login_required
def add_assessor(org_id: int, cohort_id: int) -> str | Response:
    """A member of the organisation is added at once; anyone else is invited (the answer does not say which)."""
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    group = cohort_or_404(_me(), org, cohort_id, Action.MANAGE)
    form = AddAssessorForm()
    if not form.validate_on_submit():
        flash(_("Enter the email address of the assessor."), "error")
        return redirect(url_for("orgs.cohort", org_id=org.id, cohort_id=group.id))
    try:
        result = invitations.invite(
            db.session,
            current_actor(),
            org,
            email=form.email.data,
            name=form.name.data or "",
            cohort=group,
            cohort_role=Role.ASSESSOR,
        )
    except services.AccountError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("orgs.cohort", org_id=org.id, cohort_id=group.id))
    db.session.commit()
    if result.outcome == invitations.Outcome.UPDATED:
        flash(_("%(email)s assesses this cohort.", email=result.email), "success")
        return redirect(url_for("orgs.cohort", org_id=org.id, cohort_id=group.id))
    link, sent = _pass_on(org, result)
    return render_template("orgs/invited.html", org=org, result=result, link=link, sent=sent, cohort=group)


@bp.post("/<int:org_id>/cohorts/<int:cohort_id>/people/<int:user_id>/remove")
@login_required
def remove_from_cohort(org_id: int, cohort_id: int, user_id: int) -> Response:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    group = cohort_or_404(_me(), org, cohort_id, Action.MANAGE)
    person = db.session.get(User, user_id)
    role = request.form.get("role")
    if person is None or role not in (Role.STUDENT, Role.ASSESSOR):
        abort(404)
    if not services.remove_from_cohort(db.session, current_actor(), group, person, Role(role)):
        abort(404)
    db.session.commit()
    flash(_("%(name)s is removed from the cohort.", name=person.name), "success")
    return redirect(url_for("orgs.cohort", org_id=org.id, cohort_id=group.id))


@bp.route("/<int:org_id>/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@login_required
def import_people(org_id: int, cohort_id: int) -> str | Response:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    group = cohort_or_404(_me(), org, cohort_id, Action.MANAGE)
    upload = ImportUploadForm()
    confirm = ImportConfirmForm()
    if request.method == "POST" and "digest" in request.form:
        if not confirm.validate_on_submit() or confirm.role.data not in (Role.STUDENT, Role.ASSESSOR):
            abort(400)
        role = Role(confirm.role.data)
        plan = csv_import.plan_import(db.session, group, role, csv_import.parse(confirm.csv_text.data))
        if plan.digest() != confirm.digest.data:
            flash(_("The data changed since the preview. Check the new preview and confirm again."), "error")
            return _preview(org, group, plan, confirm.csv_text.data)
        if not plan.can_apply:
            return _preview(org, group, plan, confirm.csv_text.data)
        result = csv_import.apply_import(db.session, current_actor(), group, plan)
        db.session.commit()
        passed = [(result.names.get(r.email, ""), r.email, _pass_on(org, r)) for r in result.invited if r.token]
        sent = mail_configured() and all(was_sent for _name, _email, (_link, was_sent) in passed)
        links = [(name, email, link) for name, email, (link, _was_sent) in passed if link]
        return render_template("orgs/import_done.html", org=org, cohort=group, result=result, links=links, sent=sent)
    if upload.validate_on_submit():
        try:
            text = csv_import.decode(upload.file.data.read())
            plan = csv_import.plan_import(db.session, group, Role(upload.role.data), csv_import.parse(text))
        except csv_import.CsvError as exc:
            refused()  # nothing of the refused operation is committed
            upload.file.errors.append(str(exc))
        else:
            return _preview(org, group, plan, text)
    return render_template("orgs/import.html", org=org, cohort=group, form=upload)


def _preview(org: Organisation, group: Cohort, plan: csv_import.ImportPlan, text: str) -> str:
    form = ImportConfirmForm(data={"csv_text": text, "role": plan.role.value, "digest": plan.digest()})
    return render_template(
        "orgs/import_preview.html", org=org, cohort=group, plan=plan, form=form, RowAction=csv_import.RowAction
    )


@bp.get("/<int:org_id>/audit")
@login_required
def audit(org_id: int) -> str:
    org = organisation_or_404(_me(), org_id, Action.MANAGE)
    form = AuditFilterForm(request.args)
    # Only what happened in this organisation's context. Sign-in events carry no organisation: they are
    # their person's own, listed on that person's account page, never in an organisation's log.
    query = select(AuditEvent).where(AuditEvent.organisation_id == org.id)
    if form.validate():
        if form.action.data:
            query = query.where(AuditEvent.action.like(escape_like(form.action.data.strip()) + "%", escape="\\"))
        if form.actor.data:
            query = query.where(AuditEvent.actor_label == form.actor.data.strip().lower())
        if form.date_from.data:
            query = query.where(AuditEvent.occurred_at >= dt.datetime.combine(form.date_from.data, dt.time.min, dt.UTC))
        if form.date_to.data:
            end = dt.datetime.combine(form.date_to.data + dt.timedelta(days=1), dt.time.min, dt.UTC)
            query = query.where(AuditEvent.occurred_at < end)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max((total + AUDIT_PAGE_SIZE - 1) // AUDIT_PAGE_SIZE, 1)
    page = request.args.get("page", 1, type=int) or 1
    page = min(max(page, 1), pages + 1)  # past the last page: an empty page that links back, never an error
    events = db.session.scalars(
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PAGE_SIZE)
        .offset((page - 1) * AUDIT_PAGE_SIZE)
    ).all()
    pager_args = {name: request.args[name] for name in form.data if request.args.get(name)}  # the filters only
    return render_template(
        "orgs/audit.html", org=org, form=form, events=events, page=page, pages=pages, total=total,
        pager_args=pager_args, network=network_label,
    )  # fmt: skip
