"""Authorization in one place.

- Every route needs a signed-in user unless it is marked ``@public`` (or authenticates with an API
  token through ``@api_token``): ``enforce_sign_in`` runs before every request, so a new route is
  closed until someone opens it on purpose.
- Object-level checks are the ``can_*`` functions below; views fetch objects only through the
  ``*_or_404`` loaders, which apply them. Objects of an organisation the user cannot see answer 404
  (their existence is not revealed); visible objects the user may not change answer 403.
- Tenancy is enforced in queries: ``organisations_visible_to`` and friends filter in SQL.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import CompoundSelect, Select, or_, select

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
from app.assessment.models import Assessment
from app.certificates.models import Certificate
from app.extensions import db, login_manager
from app.portfolio.models import Attachment, Claim, EvidenceItem, PortfolioExport, ShareLink
from app.uow import writes_on_get

F = TypeVar("F", bound=Callable[..., Any])


class Action(enum.StrEnum):
    VIEW = "view"
    MANAGE = "manage"


# --- route level ---------------------------------------------------------------------------------


def public(view: F) -> F:
    """Open to everyone, signed in or not."""
    view.authz_public = True  # type: ignore[attr-defined]
    return view


def platform_admin_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def api_token(scope: str) -> Callable[[F], F]:
    """JSON API route authenticated by a personal token (``Authorization: Bearer bkw_…``) with ``scope``.

    Authenticating records the token's last use (``last_used_at``), so these views are ``@writes_on_get``:
    their unit of work commits that one column after a successful call (the views themselves only read)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from app.accounts.services import authenticate_api_token
            from app.errors import json_error

            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                return json_error(401, _("missing API token: send 'Authorization: Bearer <token>'"))
            token = authenticate_api_token(db.session, header.removeprefix("Bearer ").strip())
            if token is None:
                return json_error(401, _("invalid or revoked API token"))
            if scope not in token.scopes:
                return json_error(403, _("this token lacks the scope %(scope)s", scope=scope))
            g.api_token = token
            g.api_user = token.user
            return view(*args, **kwargs)

        wrapped.authz_api_token = scope  # type: ignore[attr-defined]
        return writes_on_get(wrapped)  # type: ignore[return-value]

    return decorator


def enforce_sign_in() -> Any:
    """before_request: default deny for anonymous visitors."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    view = current_app.view_functions.get(endpoint)
    if view is None or getattr(view, "authz_public", False) or getattr(view, "authz_api_token", None):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


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


# --- portfolios ----------------------------------------------------------------------------------
# A student's evidence is theirs. Staff of a cohort (its assessors, the school's curriculum leads and
# administrators) read an item once it is linked by a claim to their cohort's programme, and comment on
# it; only the owner changes it. Platform administrators get no reading right on evidence by virtue of
# their role. Share links (anonymous, read-only) are checked in app.portfolio.services.find_share.


def staff_cohort_ids(user: User) -> CompoundSelect[int]:
    """Ids of the cohorts whose portfolios ``user`` may read as staff."""
    assessed = select(CohortAssessor.cohort_id).where(CohortAssessor.user_id == user.id)
    led = (
        select(Cohort.id)
        .join(Membership, Membership.organisation_id == Cohort.organisation_id)
        .where(Membership.user_id == user.id, Membership.role.in_([Role.CURRICULUM_LEAD, Role.ORG_ADMIN]))
    )
    return assessed.union(led)


def is_cohort_staff(user: User, cohort: Cohort) -> bool:
    if not user.is_authenticated:
        return False
    if db.session.get(CohortAssessor, (cohort.id, user.id)) is not None:
        return True
    return bool(roles_in(user, cohort.organisation_id) & {Role.CURRICULUM_LEAD, Role.ORG_ADMIN})


def items_visible_to(user: User) -> Select[EvidenceItem]:
    """Evidence items ``user`` may read: their own, and those claimed in a cohort they are staff of."""
    claimed = select(Claim.item_id).where(Claim.cohort_id.in_(staff_cohort_ids(user)))
    return select(EvidenceItem).where(or_(EvidenceItem.owner_id == user.id, EvidenceItem.id.in_(claimed)))


def can_view_item(user: User, item: EvidenceItem) -> bool:
    if not user.is_authenticated:
        return False
    if item.owner_id == user.id:
        return True
    claimed_in = {claim.cohort_id for claim in item.claims}
    if not claimed_in:
        return False
    return (
        db.session.scalar(
            select(Cohort.id).where(Cohort.id.in_(claimed_in), Cohort.id.in_(staff_cohort_ids(user))).limit(1)
        )
        is not None
    )


def can_edit_item(user: User, item: EvidenceItem) -> bool:
    return bool(user.is_authenticated and item.owner_id == user.id)


def can_comment_item(user: User, item: EvidenceItem) -> bool:
    return can_view_item(user, item)


def can_review_claim(user: User, claim: Claim) -> bool:
    return claim.item.owner_id != user.id and is_cohort_staff(user, claim.cohort)


def can_view_portfolio(user: User, student: User, cohort: Cohort) -> bool:
    """A student's portfolio for one programme: the student, and the cohort's staff."""
    if not user.is_authenticated or db.session.get(CohortStudent, (cohort.id, student.id)) is None:
        return False
    return student.id == user.id or is_cohort_staff(user, cohort)


def item_or_404(user: User, item_id: int, action: Action = Action.VIEW) -> EvidenceItem:
    item = db.session.get(EvidenceItem, item_id)
    if item is None or not can_view_item(user, item):
        abort(404)
    if action == Action.MANAGE and not can_edit_item(user, item):
        abort(403)
    return item


def attachment_or_404(user: User, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_view_item(user, attachment.item):
        abort(404)
    return attachment


def claim_or_404(user: User, claim_id: int, action: Action = Action.VIEW) -> Claim:
    claim = db.session.get(Claim, claim_id)
    if claim is None or not can_view_item(user, claim.item):
        abort(404)
    if action == Action.MANAGE and not can_edit_item(user, claim.item):
        abort(403)
    return claim


def portfolio_or_404(user: User, student_id: int, cohort_id: int) -> tuple[User, Cohort]:
    student, cohort = db.session.get(User, student_id), db.session.get(Cohort, cohort_id)
    if student is None or cohort is None or not can_view_portfolio(user, student, cohort):
        abort(404)
    return student, cohort


def share_or_404(user: User, share_id: int) -> ShareLink:
    share = db.session.get(ShareLink, share_id)
    if share is None or share.owner_id != user.id:
        abort(404)
    return share


def can_view_export(user: User, export: PortfolioExport) -> bool:
    """The owner always; whoever requested it only while they may still read that portfolio (a member of staff
    taken off the cohort loses the exports they made of its students)."""
    if not user.is_authenticated:
        return False
    if export.owner_id == user.id:
        return True
    if export.requested_by_id != user.id or export.cohort is None:
        return False
    owner = db.session.get(User, export.owner_id)
    return owner is not None and can_view_portfolio(user, owner, export.cohort)


def export_or_404(user: User, export_id: int) -> PortfolioExport:
    export = db.session.get(PortfolioExport, export_id)
    if export is None or not can_view_export(user, export):
        abort(404)
    return export


# --- assessments ---------------------------------------------------------------------------------
# The candidate reads their own assessments (drafts stay hidden from them, see assessment.services);
# the assessment's assessors judge, settle and sign; the cohort's staff read and start assessments.


def can_view_assessment(user: User, assessment: Assessment) -> bool:
    if not user.is_authenticated:
        return False
    if assessment.candidate_id == user.id or assessment.assessor_entry(user.id) is not None:
        return True
    return is_cohort_staff(user, assessment.cohort)


def can_judge(user: User, assessment: Assessment) -> bool:
    """An assessor of this assessment who is still an assessor of its cohort (membership is the authority)."""
    return bool(
        user.is_authenticated
        and assessment.assessor_entry(user.id) is not None
        and db.session.get(CohortAssessor, (assessment.cohort_id, user.id)) is not None
    )


def can_start_assessment(user: User, cohort: Cohort) -> bool:
    return is_cohort_staff(user, cohort)


def assessment_or_404(user: User, assessment_id: int, action: Action = Action.VIEW) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not can_view_assessment(user, assessment):
        abort(404)
    if action == Action.MANAGE and not can_judge(user, assessment):
        abort(403)
    return assessment


def staff_cohort_or_404(user: User, cohort_id: int) -> Cohort:
    """A cohort whose results ``user`` reads as staff; others learn nothing of it."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not is_cohort_staff(user, cohort):
        abort(404)
    return cohort


# --- certificates --------------------------------------------------------------------------------
# The organisation's exam committee and administrators issue and revoke; the candidate and the cohort's
# staff read; anyone may verify (public pages, see the certificates blueprint).


def can_issue(user: User, cohort: Cohort) -> bool:
    if not user.is_authenticated:
        return False
    return bool(roles_in(user, cohort.organisation_id) & {Role.EXAM_COMMITTEE, Role.ORG_ADMIN})


def can_view_certificate(user: User, cert: Certificate) -> bool:
    if not user.is_authenticated:
        return False
    return cert.candidate_id == user.id or can_issue(user, cert.cohort) or is_cohort_staff(user, cert.cohort)


def certificate_or_404(user: User, cert_id: int, action: Action = Action.VIEW) -> Certificate:
    cert = db.session.get(Certificate, cert_id)
    if cert is None or not can_view_certificate(user, cert):
        abort(404)
    if action == Action.MANAGE and not can_issue(user, cert.cohort):
        abort(403)
    return cert


def issuing_cohort_or_404(user: User, cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not (can_issue(user, cohort) or is_cohort_staff(user, cohort)):
        abort(404)
    if not can_issue(user, cohort):
        abort(403)
    return cohort


def cohorts_issuable_by(user: User) -> Select[Cohort]:
    orgs = select(Membership.organisation_id).where(
        Membership.user_id == user.id, Membership.role.in_([Role.EXAM_COMMITTEE, Role.ORG_ADMIN])
    )
    return select(Cohort).where(Cohort.organisation_id.in_(orgs)).order_by(Cohort.year.desc(), Cohort.name)
