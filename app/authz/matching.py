"""Job profiles and candidates: the HR people of the employer only (not its administrators, not the platform
administrators: a learner consented to the employer's HR). A learner's consents and applications: their own.
Everything else answers 404, so nobody learns a profile, a consent or a candidate exists."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from app.accounts.models import Organisation, OrgKind, Role, User
from app.authz.accounts import roles_in
from app.extensions import db
from app.matching.models import Application, Consent, JobProfile, Requirement
from app.matching.queries import profile_options


def can_manage_job_profiles(user: User, org: Organisation) -> bool:
    return bool(user.is_authenticated and org.kind == OrgKind.EMPLOYER and Role.HR in roles_in(user, org.id))


def employer_or_404(user: User, org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None or not can_manage_job_profiles(user, org):
        abort(404)
    return org


def job_profile_or_404(user: User, profile_id: int) -> JobProfile:
    profile = db.session.scalar(select(JobProfile).where(JobProfile.id == profile_id).options(*profile_options()))
    if profile is None or not can_manage_job_profiles(user, profile.organisation):
        abort(404)
    return profile


def requirement_or_404(profile: JobProfile, requirement_id: int) -> Requirement:
    requirement = next((r for r in profile.requirements if r.id == requirement_id), None)
    if requirement is None:
        abort(404)
    return requirement


def own_consent_or_404(user: User, consent_id: int) -> Consent:
    consent = db.session.get(Consent, consent_id)
    if consent is None or not user.is_authenticated or consent.user_id != user.id:
        abort(404)
    return consent


def own_application_or_404(user: User, application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or not user.is_authenticated or application.user_id != user.id:
        abort(404)
    return application
