"""An organisation's people: the member list, invitations, a member's roles, links and access."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.accounts import invitations, services
from app.accounts.models import LinkPurpose, Role
from app.accounts.queries import cohorts_of_person, members_of, pending_of
from app.authz import (
    Action,
    can_control_account,
    controlled_member_or_404,
    invitation_of_org_or_404,
    member_or_404,
    organisation_or_404,
)
from app.blueprints.orgs import bp
from app.blueprints.orgs.common import me, pass_on
from app.blueprints.orgs.forms import InviteForm, RolesForm
from app.domain import DomainError
from app.errors import show_refusal
from app.extensions import db
from app.mail import mail_configured, send_mail
from app.urls import public_url
from app.web import current_actor


@bp.get("/<int:org_id>/members")
def members(org_id: int) -> str:
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    role = request.args.get("role") or None
    return render_template(
        "orgs/members.html", org=org, people=members_of(org, role), role=role, roles=list(Role),
        pending=pending_of(org),
    )  # fmt: skip


@bp.route("/<int:org_id>/members/invite", methods=["GET", "POST"])
def invite(org_id: int) -> str | Response:
    org = organisation_or_404(me(), org_id, Action.MANAGE)
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
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            link, sent = pass_on(org, result)
            return render_template("orgs/invited.html", org=org, result=result, link=link, sent=sent, cohort=None)
    return render_template("orgs/invite.html", org=org, form=form, mail=mail_configured())


@bp.post("/<int:org_id>/invitations/<int:invitation_id>/withdraw")
def withdraw_invitation(org_id: int, invitation_id: int) -> Response:
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    invitation = invitation_of_org_or_404(org, invitation_id)
    try:
        invitations.withdraw(db.session, current_actor(), invitation)
    except DomainError as exc:
        show_refusal(exc)
    else:
        flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for("orgs.members", org_id=org.id))


@bp.route("/<int:org_id>/members/<int:user_id>", methods=["GET", "POST"])
def member(org_id: int, user_id: int) -> str | Response:
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    person = member_or_404(me(), org, user_id)
    form = RolesForm(data={"roles": sorted(r.value for r in person.roles_in(org.id))})
    if form.validate_on_submit():
        try:
            services.set_roles(db.session, current_actor(), person, org, [Role(r) for r in form.roles.data])
        except DomainError as exc:
            show_refusal(exc, form)
        else:
            flash(_("The roles of %(name)s are saved.", name=person.name), "success")
            if not person.roles_in(org.id):
                return redirect(url_for("orgs.members", org_id=org.id))
            return redirect(url_for("orgs.member", org_id=org.id, user_id=person.id))
    return render_template(
        "orgs/member.html",
        org=org,
        person=person,
        form=form,
        cohorts=cohorts_of_person(org, person),
        controls=can_control_account(me(), org, person),
        mail=mail_configured(),
    )


@bp.post("/<int:org_id>/members/<int:user_id>/link")
def member_link(org_id: int, user_id: int) -> str:
    """A fresh invitation link (no password yet: shown or mailed) or a password-reset link (only ever mailed to
    the owner). Only for accounts this organisation controls (app.authz.can_control_account)."""
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    person = controlled_member_or_404(me(), org, user_id)
    purpose = LinkPurpose.INVITATION if person.password_hash is None else LinkPurpose.PASSWORD_RESET
    if purpose == LinkPurpose.PASSWORD_RESET and not mail_configured():
        return render_template("orgs/link.html", org=org, person=person, link=None, sent=False, purpose=purpose)
    token = services.create_link(db.session, current_actor(), person, purpose, organisation_id=org.id)
    endpoint = "auth.accept_invitation" if purpose == LinkPurpose.INVITATION else "auth.reset_password"
    link = public_url(endpoint, token=token)
    sent = send_mail(person.email, _("Your Bekwaam link"), link)
    # A reset link is never shown to anyone but the owner's mailbox; an invitation link when it was not mailed.
    shown = None if sent or purpose == LinkPurpose.PASSWORD_RESET else link
    return render_template("orgs/link.html", org=org, person=person, link=shown, sent=sent, purpose=purpose)


@bp.post("/<int:org_id>/members/<int:user_id>/active")
def member_active(org_id: int, user_id: int) -> Response:
    org = organisation_or_404(me(), org_id, Action.MANAGE)
    person = controlled_member_or_404(me(), org, user_id)
    if person.id == me().id:
        abort(400)
    active = request.form.get("active") == "1"
    services.set_active(db.session, current_actor(), person, active, organisation_id=org.id)
    flash(
        _("%(name)s can sign in again.", name=person.name)
        if active
        else _("%(name)s can no longer sign in.", name=person.name),
        "success",
    )
    return redirect(url_for("orgs.member", org_id=org.id, user_id=person.id))
