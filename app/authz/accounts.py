"""Organisations, their members, cohorts and API tokens: checks, tenancy in queries, checking loaders."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, select

from app.accounts.models import (
    ApiToken,
    Cohort,
    CohortAssessor,
    CohortStudent,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)
from app.authz.routes import Action
from app.extensions import db

# --- object level --------------------------------------------------------------------------------


def roles_in(user: User, organisation_id: int) -> set[Role]:
    return user.roles_in(organisation_id) if user.is_authenticated else set()


def can_create_organisation(user: User) -> bool:
    return bool(user.is_authenticated and user.is_platform_admin)


def can_view_organisation(user: User, org: Organisation) -> bool:
    return bool(user.is_authenticated and (user.is_platform_admin or roles_in(user, org.id)))


def can_manage_organisation(user: User, org: Organisation) -> bool:
    return bool(user.is_authenticated and (user.is_platform_admin or Role.ORG_ADMIN in roles_in(user, org.id)))


def can_view_members(user: User, org: Organisation) -> bool:
    return can_manage_organisation(user, org)


def can_manage_member(user: User, org: Organisation, member: User) -> bool:
    return can_manage_organisation(user, org) and bool(member.roles_in(org.id))


def can_control_account(user: User, org: Organisation, member: User) -> bool:
    """Account-wide powers (links, activation) over ``member``, exercised from ``org``'s member page.

    The platform administrator has them; an organisation's administrator only over accounts that
    organisation created and that belong to no other organisation. Everyone else's administrators end
    roles and cohort places in their own organisation, nothing more."""
    if not can_manage_member(user, org, member) or member.id == user.id:
        return False
    if user.is_platform_admin:
        return True
    from app.accounts.invitations import controls_account

    return controls_account(org, member)


def can_view_audit(user: User, org: Organisation) -> bool:
    return can_manage_organisation(user, org)


def can_view_cohort(user: User, cohort: Cohort) -> bool:
    if not user.is_authenticated:
        return False
    if can_manage_organisation(user, cohort.organisation):
        return True
    roles = roles_in(user, cohort.organisation_id)
    if Role.CURRICULUM_LEAD in roles:
        return True
    return db.session.get(CohortAssessor, (cohort.id, user.id)) is not None


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    return can_manage_organisation(user, cohort.organisation)


def can_manage_token(user: User, token: ApiToken) -> bool:
    return bool(user.is_authenticated and token.user_id == user.id)


# --- tenancy in queries --------------------------------------------------------------------------


def organisations_visible_to(user: User) -> Select[Organisation]:
    query = select(Organisation).order_by(Organisation.name)
    if user.is_platform_admin:
        return query
    member_of = select(Membership.organisation_id).where(Membership.user_id == user.id)
    return query.where(Organisation.id.in_(member_of))


def cohorts_visible_to(user: User, org: Organisation) -> Select[Cohort]:
    query = select(Cohort).where(Cohort.organisation_id == org.id).order_by(Cohort.year.desc(), Cohort.name)
    if can_manage_organisation(user, org) or Role.CURRICULUM_LEAD in roles_in(user, org.id):
        return query
    assessed = select(CohortAssessor.cohort_id).where(CohortAssessor.user_id == user.id)
    studied = select(CohortStudent.cohort_id).where(CohortStudent.user_id == user.id)
    return query.where(Cohort.id.in_(assessed.union(studied)))


# --- loaders that check --------------------------------------------------------------------------


def organisation_or_404(user: User, org_id: int, action: Action = Action.VIEW) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None or not can_view_organisation(user, org):
        abort(404)
    if action == Action.MANAGE and not can_manage_organisation(user, org):
        abort(403)
    return org


def member_or_404(user: User, org: Organisation, member_id: int) -> User:
    member = db.session.get(User, member_id)
    if member is None or not member.roles_in(org.id):
        abort(404)
    if not can_manage_member(user, org, member):
        abort(403)
    return member


def controlled_member_or_404(user: User, org: Organisation, member_id: int) -> User:
    """A member over whose account ``user`` has account-wide powers from ``org`` (403 otherwise)."""
    member = member_or_404(user, org, member_id)
    if not can_control_account(user, org, member):
        abort(403)
    return member


def invitation_of_org_or_404(org: Organisation, invitation_id: int) -> Invitation:
    """One of ``org``'s own invitations (the caller has checked that the user manages ``org``)."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != org.id:
        abort(404)
    return invitation


def own_invitation_or_404(user: User, invitation_id: int) -> Invitation:
    """An invitation addressed to ``user``; others learn nothing of it."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not user.is_authenticated or invitation.user_id != user.id:
        abort(404)
    return invitation


def cohort_or_404(user: User, org: Organisation, cohort_id: int, action: Action = Action.VIEW) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.organisation_id != org.id:
        abort(404)
    if not can_view_cohort(user, cohort):
        abort(403)
    if action == Action.MANAGE and not can_manage_cohort(user, cohort):
        abort(403)
    return cohort


def token_or_404(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or not can_manage_token(user, token):
        abort(404)
    return token
