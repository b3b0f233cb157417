"""Assessments and certificates: who reads, judges, issues and revokes."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, select

from app.accounts.models import (
    Cohort,
    CohortAssessor,
    Membership,
    Organisation,
    Role,
    User,
)
from app.assessment.models import Assessment
from app.authz.accounts import roles_in
from app.authz.portfolios import is_cohort_staff
from app.authz.routes import Action
from app.certificates.models import Certificate
from app.extensions import db

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


def issuing_organisation_or_404(user: User, org_id: int) -> Organisation:
    """An organisation whose certificates ``user`` may manage (its exam committee or administrator): its
    register; to anyone else it does not exist."""
    org = db.session.get(Organisation, org_id)
    if org is None or not user.is_authenticated:
        abort(404)
    if not roles_in(user, org.id) & {Role.EXAM_COMMITTEE, Role.ORG_ADMIN}:
        abort(404)
    return org


def organisations_issuable_by(user: User) -> Select[Organisation]:
    orgs = select(Membership.organisation_id).where(
        Membership.user_id == user.id, Membership.role.in_([Role.EXAM_COMMITTEE, Role.ORG_ADMIN])
    )
    return select(Organisation).where(Organisation.id.in_(orgs)).order_by(Organisation.name)
