"""Demonstration data for matching: Webwinkel Noord's HR with two job profiles (a webshop community manager
from the e-CF role profile and the Competent sheet; a service desk employee from BK-0331-4), final results for
some students, consents from some of them and not from others, and one credential-only applicant."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Cohort, Organisation, Role, User
from app.assessment import services as assessing
from app.audit import Actor
from app.extensions import db
from app.matching import applications, consents
from app.matching import job_profiles as verbs
from app.matching.models import JobProfile, ProfileStatus, Weight
from app.portfolio.programme import load_programme
from app.standards.models import Element, Framework

COMPETENT_ACTIVITIES = 4  # the Competent sheet's first activities, as optional requirements


def demo_results(
    student: User, cohort: Cohort, assessors: list[User], password: str, lower: Callable[[int], bool]
) -> None:
    """One final assessment of every claimable element: at the required level, or one lower where ``lower(i)``."""
    s = db.session
    programme = load_programme(s, cohort)
    nodes = [n for n in programme.claimable if n.required is not None]
    assessment = assessing.create_assessment(
        s,
        Actor(user=assessors[0], user_agent="flask demo"),
        student,
        cohort,
        assessing.NewAssessment(
            kind="summative", scope_keys=[n.key for n in nodes], assessor_ids=[a.id for a in assessors],
            context="Proeve van bekwaamheid (demo)",
        ),
    )  # fmt: skip
    lowest = {n.key: min(lv.value for lv in programme.scale_levels(n)) for n in nodes}
    for assessor in assessors:
        actor = Actor(user=assessor, user_agent="flask demo")
        for i, node in enumerate(nodes):
            target = node.required.value if node.required is not None else lowest[node.key]
            level = max(lowest[node.key], target - 1) if lower(i) else target
            assessing.save_judgement(s, actor, assessment, assessing.JudgementInput(node.key, level, {}, "Gezien."))
        assessing.submit(s, actor, assessment)
    for assessor in assessors:
        assessing.sign(s, Actor(user=assessor, user_agent="flask demo"), assessment, password)
    s.flush()


def create_demo_matching(password: str) -> int:
    """After the accounts and cohorts of ``flask demo``; returns the number of accounts it added (Noah)."""
    s = db.session
    employer = s.scalar(select(Organisation).where(Organisation.name == "Webwinkel Noord BV (demo)"))
    cohorts = {
        "ecf": s.scalar(select(Cohort).where(Cohort.name == "Online community management (keuzedeel)")),
        "bk": s.scalar(select(Cohort).where(Cohort.name == "Digitale gebruikersondersteuning 4B")),
    }
    assert employer is not None and cohorts["ecf"] is not None and cohorts["bk"] is not None
    noah = accounts.create_user(s, Actor.system("flask demo"), email="noah@student.horizon.example",
                                name="Noah Jacobs", language="nl", password=password,
                                created_by_organisation=cohorts["bk"].organisation)  # fmt: skip
    accounts.add_to_cohort(s, Actor.system("flask demo"), cohorts["bk"], noah, Role.STUDENT)
    by_email = {u.email: u for u in s.scalars(select(User).where(User.email.like("%.example")))}
    people = {e.split("@")[0]: u for e, u in by_email.items() if e.endswith("@student.horizon.example")}
    hr = by_email["hr@webwinkel-noord.example"]
    staff = {"teacher": by_email["docent@horizon.example"], "workplace": by_email["praktijk@webwinkel-noord.example"],
             "committee": by_email["examencommissie@horizon.example"]}  # fmt: skip
    me = Actor(user=hr, user_agent="flask demo")
    teacher, workplace = staff["teacher"], staff["workplace"]
    demo_results(people["sanne"], cohorts["ecf"], [teacher, workplace], password, lambda i: i in (2, 7))
    demo_results(people["youssef"], cohorts["bk"], [teacher], password, lambda i: i % 4 == 3)
    demo_results(people["emma"], cohorts["bk"], [teacher], password, lambda i: False)
    demo_results(people["noah"], cohorts["bk"], [teacher], password, lambda i: False)
    frameworks = {f.code: f for f in s.scalars(select(Framework))}
    community = verbs.from_standard(s, me, employer, frameworks["ecf-profile-online-community-manager"], None)
    community.title = "Webshop community manager"
    community.description = (
        "Je bouwt en modereert de klantcommunity van onze webshop: forum, chat en sociale media, "
        "en je zorgt dat vragen snel en goed beantwoord worden."
    )
    competent = frameworks.get("competent-E110101")
    if competent is not None:
        activities = s.scalars(
            select(Element).where(Element.framework_id == competent.id, Element.type == "activity")
            .order_by(Element.sort_order).limit(COMPETENT_ACTIVITIES)
        )  # fmt: skip
        for element in activities:
            verbs.add_requirement(s, me, community, element, None, Weight.OPTIONAL)
    service = verbs.from_standard(s, me, employer, frameworks["bk-0331-4"], None)
    service.title = "Medewerker servicedesk"
    service.description = "Je helpt collega's en klanten met hun ICT-vragen, aan de telefoon en ter plekke."
    for profile in (community, service):
        profile.status = ProfileStatus.PUBLISHED
    for key in ("sanne", "youssef", "daan"):  # Lotte and Emma do not consent: they appear nowhere
        consents.grant_consent(s, Actor(user=people[key], user_agent="flask demo"), people[key], employer, days=180)
    s.flush()
    _credential_applicant(people["noah"], cohorts["bk"], service, staff["committee"])
    return 1


def _credential_applicant(noah: User, cohort: Cohort, profile: JobProfile, committee: User) -> None:
    """Noah, who left school, applies to the service desk profile through its public link with the credential
    of the certificate the school issued him (he gave no consent: only his application is seen)."""
    import json

    from app.certificates import rules
    from app.certificates import services as certificates

    s = db.session
    cert = certificates.issue(s, Actor(user=committee, user_agent="flask demo"), noah, cohort, rules.PROGRAMME)
    upload = applications.Upload("noah-bk-0331-4.json", json.dumps(cert.credential).encode("utf-8"))
    applications.apply_with_credentials(
        s, Actor.system("flask demo"), profile, name=noah.name, email="noah.jacobs@mail.example", files=[upload]
    )
