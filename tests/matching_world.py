"""A small matching world: a school with a BK cohort, an employer with HR and a published job profile made
from BK-0331-4, a student who consents with results, one who consents with nothing, one with results who
does not consent, and HR of another employer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Cohort, Organisation, OrgKind, Role, User
from app.audit import Actor
from app.extensions import db
from app.matching import consents
from app.matching import job_profiles as verbs
from app.matching.demo import demo_results
from app.matching.models import JobProfile, ProfileStatus
from app.standards.models import Framework
from app.standards.queries import EVERYONE
from tests.factories import PASSWORD


@dataclass
class MatchWorld:
    school: Organisation
    employer: Organisation
    other_employer: Organisation
    cohort: Cohort
    people: dict[str, User]
    profile: JobProfile


def build_match_world() -> MatchWorld:
    s = db.session
    actor = Actor.system("tests")
    fw = s.scalar(select(Framework).where(Framework.code == "bk-0331-4"))
    assert fw is not None
    school = accounts.create_organisation(s, actor, name="Match School", kind=OrgKind.SCHOOL)
    employer = accounts.create_organisation(s, actor, name="Match Employer", kind=OrgKind.EMPLOYER)
    other = accounts.create_organisation(s, actor, name="Other Employer", kind=OrgKind.EMPLOYER)
    people = {
        k: accounts.create_user(s, actor, email=f"{k}@match.example", name=k.title(), password=PASSWORD)
        for k in ("ann", "bob", "cas", "teacher", "hr", "other_hr", "committee")
    }
    cohort = accounts.create_cohort(s, actor, school, name="BK", year="2026", framework_id=fw.id, profile_key=None)
    for key in ("ann", "bob", "cas"):
        accounts.add_to_cohort(s, actor, cohort, people[key], Role.STUDENT)
    accounts.add_to_cohort(s, actor, cohort, people["teacher"], Role.ASSESSOR)
    accounts.grant_role(s, actor, people["hr"], employer, Role.HR)
    accounts.grant_role(s, actor, people["other_hr"], other, Role.HR)
    accounts.grant_role(s, actor, people["committee"], school, Role.EXAM_COMMITTEE)
    s.flush()
    demo_results(people["ann"], cohort, [people["teacher"]], PASSWORD, lambda i: i in (1, 2))
    demo_results(people["cas"], cohort, [people["teacher"]], PASSWORD, lambda i: False)
    profile = verbs.from_standard(s, Actor(user=people["hr"]), employer, fw, None)
    profile.status = ProfileStatus.PUBLISHED
    for key in ("ann", "bob"):
        consents.grant_consent(s, Actor(user=people[key]), people[key], employer, days=30)
    s.flush()
    return MatchWorld(school, employer, other, cohort, people, profile)


def build_matrix_matching(world) -> dict[str, object]:
    """For the authorization matrix: the employer's published and draft job profiles, one of another
    employer, the student's consent and application; the other student gives no consent."""
    from app.matching import applications
    from app.matching.models import Application
    from tests.factories import first_claimable_key

    s = db.session
    actor = Actor.system("tests")
    hr = Actor(user=world.users["hr"])
    element = verbs.element_by_ref(s, world.cohort.framework.code, first_claimable_key(world.cohort), EVERYONE)
    assert element is not None
    profile = verbs.create_job_profile(s, hr, world.employer, verbs.ProfileData("Matrix job"))
    requirement = verbs.add_requirement(s, hr, profile, element, None, "essential")
    profile.status = ProfileStatus.PUBLISHED
    draft = verbs.create_job_profile(s, hr, world.employer, verbs.ProfileData("Draft job"))
    elsewhere = accounts.create_organisation(s, actor, name="Elsewhere BV", kind=OrgKind.EMPLOYER)
    foreign = verbs.create_job_profile(s, actor, elsewhere, verbs.ProfileData("Foreign job"))
    foreign.status = ProfileStatus.PUBLISHED
    student = world.users["student"]
    consent = consents.grant_consent(s, Actor(user=student), student, world.employer, days=30)
    application = applications.apply(s, Actor(user=student), student, profile)
    s.commit()
    assert isinstance(application, Application)
    return {
        "employer": world.employer.id,
        "job_profile": profile.id,
        "draft_job_profile": draft.id,
        "foreign_job_profile": foreign.id,
        "job_token": profile.public_token,
        "draft_token": draft.public_token,
        "requirement": requirement.id,
        "consent": consent.id,
        "application": application.id,
        "other_student": world.users["other_student"].id,
    }
