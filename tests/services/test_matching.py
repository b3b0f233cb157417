"""Matching without HTTP: consent decides who is seen (and withdrawing removes at once), statuses from final
judgements, a constant query count, credential-only applications verified or refused with reasons, views
recorded and audited, job profiles from a standard."""

from __future__ import annotations

import datetime as dt
import json
from unittest.mock import patch

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AuditEvent
from app.audit import Actor
from app.extensions import db
from app.matching import applications, consents
from app.matching import job_profiles as verbs
from app.matching.errors import MatchingError
from app.matching.match import Status
from app.matching.models import ConsentView, Weight
from app.matching.queries import learner_fits
from app.matching.ranking import rank_profile
from app.standards.models import Framework
from tests.matching_world import build_match_world


@pytest.fixture
def w():
    return build_match_world()


def names(ranking) -> list[str]:
    return [m.name for m in ranking.matches]


def test_only_consenting_people_are_ranked_and_nothing_becomes_a_low_score(w) -> None:
    ranking = rank_profile(db.session, w.profile)
    assert names(ranking) == ["Ann", "Bob"]  # Cas has results but did not consent: not there, not counted
    ann, bob = ranking.matches
    assert ann.fit is not None and 0 < ann.fit < 1 and ann.coverage == 1.0
    assert ann.count(Status.VERIFIED_LOWER) == 2 and ann.count(Status.VERIFIED) == len(ann.lines) - 2
    assert bob.fit is None and bob.coverage == 0.0


def test_withdrawing_or_expiry_removes_the_person_at_once(w) -> None:
    ann_consent = consents.active_consents_of(db.session, w.people["ann"])[0]
    consents.revoke_consent(db.session, Actor(user=w.people["ann"]), ann_consent)
    assert names(rank_profile(db.session, w.profile)) == ["Bob"]
    bob_consent = consents.active_consents_of(db.session, w.people["bob"])[0]
    bob_consent.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.flush()
    assert rank_profile(db.session, w.profile).matches == []
    assert rank_profile(db.session, w.profile, user_id=w.people["ann"].id).matches == []


def test_a_consent_to_another_employer_shows_nothing_here(w) -> None:
    consents.grant_consent(db.session, Actor(user=w.people["cas"]), w.people["cas"], w.other_employer, days=5)
    assert "Cas" not in names(rank_profile(db.session, w.profile))


def test_a_consent_without_results_hides_the_judgements(w) -> None:
    consents.grant_consent(
        db.session, Actor(user=w.people["ann"]), w.people["ann"], w.employer, days=5, results=False, certificates=True
    )
    ann = rank_profile(db.session, w.profile, user_id=w.people["ann"].id).matches[0]
    assert ann.fit is None and len(consents.active_consents_of(db.session, w.people["ann"])) == 1


def test_ranking_takes_the_same_number_of_queries_for_more_candidates(w, count_queries) -> None:
    db.session.flush()
    count_queries.reset()
    rank_profile(db.session, w.profile)
    few = count_queries.count
    consents.grant_consent(db.session, Actor(user=w.people["cas"]), w.people["cas"], w.employer, days=5)
    for key in ("teacher", "committee"):
        consents.grant_consent(db.session, Actor(user=w.people[key]), w.people[key], w.employer, days=5)
    db.session.flush()
    count_queries.reset()
    assert len(rank_profile(db.session, w.profile).matches) == 5
    assert count_queries.count == few, count_queries.statements


def test_views_are_recorded_for_the_learner_and_in_the_audit_log(w) -> None:
    ids = [c.id for c in consents.active_consents_of(db.session, w.people["ann"])]
    consents.record_views(db.session, Actor(user=w.people["hr"]), ids, consents.ViewWhat.CANDIDATE,
                          organisation_id=w.employer.id, job_profile_id=w.profile.id, summary="Ann")  # fmt: skip
    view = db.session.scalar(select(ConsentView).where(ConsentView.consent_id == ids[0]))
    assert view is not None and view.viewer_label == "hr@match.example" and view.what == "candidate"
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.organisation_id == w.employer.id)))
    assert {"matching.consent_grant", "matching.view_candidate"} <= actions


def test_applying_with_one_click_lets_the_employer_see_the_learner(w) -> None:
    applications.apply(db.session, Actor(user=w.people["cas"]), w.people["cas"], w.profile)
    assert "Cas" in names(rank_profile(db.session, w.profile))
    with pytest.raises(MatchingError):
        applications.apply(db.session, Actor(user=w.people["cas"]), w.people["cas"], w.profile)


def _credential_of_cas(w, app: Flask) -> dict:
    from app.certificates import rules
    from app.certificates import services as certificates

    with (
        app.test_request_context(base_url="https://bekwaam.example"),
        patch("app.certificates.pdf.render_certificate", return_value=b"%PDF-1.7 stand-in"),
    ):
        cert = certificates.issue(
            db.session, Actor(user=w.people["committee"]), w.people["cas"], w.cohort, rules.PROGRAMME
        )
    return cert.credential


def test_a_verified_credential_maps_onto_the_requirements(w, app: Flask) -> None:
    credential = _credential_of_cas(w, app)
    upload = applications.Upload("cas.json", json.dumps(credential).encode())
    application = applications.apply_with_credentials(
        db.session, Actor.system("tests"), w.profile, name="Cas", email="cas@mail.example", files=[upload]
    )
    assert application.evidence[0]["valid"] is True
    m = rank_profile(db.session, w.profile, application_id=application.id).matches[0]
    assert m.fit == 1.0 and m.count(Status.VERIFIED) == len(m.lines)


def test_a_credential_that_does_not_verify_counts_for_nothing_and_says_why(w, app: Flask) -> None:
    tampered = _credential_of_cas(w, app)
    tampered["credentialSubject"]["name"] = "Someone Else"
    files = [
        applications.Upload("tampered.json", json.dumps(tampered).encode()),
        applications.Upload("deep.json", b"[" * 5000 + b"]" * 5000),
        applications.Upload("big.json", b" " * (applications.MAX_FILE_BYTES + 1)),
        applications.Upload("list.json", b"[1, 2]"),
        applications.Upload("binary.json", b"\xff\xfe\x00garbage"),
    ]
    application = applications.apply_with_credentials(
        db.session, Actor.system("tests"), w.profile, name="X", email="x@mail.example", files=files
    )
    assert [e["valid"] for e in application.evidence] == [False] * 5
    assert all(e["problems"] for e in application.evidence)
    m = rank_profile(db.session, w.profile, application_id=application.id).matches[0]
    assert m.fit is None and m.coverage == 0.0


def test_applications_need_a_published_profile_and_sane_input(w) -> None:
    upload = applications.Upload("a.json", b"{}")
    for kwargs in ({"name": "", "email": "a@b.c"}, {"name": "A", "email": "nope"}):
        with pytest.raises(MatchingError):
            applications.apply_with_credentials(db.session, Actor.system("t"), w.profile, files=[upload], **kwargs)
    w.profile.status = "draft"
    with pytest.raises(MatchingError):
        applications.apply_with_credentials(
            db.session, Actor.system("t"), w.profile, name="A", email="a@b.c", files=[upload]
        )


def test_a_job_profile_from_a_standard_has_its_elements_at_their_levels(w) -> None:
    fw = db.session.scalar(select(Framework).where(Framework.code == "ecf-profile-online-community-manager"))
    profile = verbs.from_standard(db.session, Actor(user=w.people["hr"]), w.employer, fw, None)
    assert len(profile.requirements) == 18
    assert all(r.level is not None and r.level.code.startswith("e-") for r in profile.requirements)
    mbo = db.session.scalar(select(Framework).where(Framework.code == "mbo-commercie"))
    p3 = verbs.from_standard(db.session, Actor(user=w.people["hr"]), w.employer, mbo, "P3")
    assert p3.requirements and all(r.element.type == "work_process" for r in p3.requirements)
    with pytest.raises(MatchingError):
        verbs.add_requirement(
            db.session, Actor(user=w.people["hr"]), p3, p3.requirements[0].element, None, Weight.OPTIONAL
        )


def test_a_requirement_level_must_be_on_the_element_s_scale(w) -> None:
    requirement = w.profile.requirements[0]
    with pytest.raises(MatchingError):
        verbs.update_requirement(db.session, Actor(user=w.people["hr"]), requirement, 99, Weight.ESSENTIAL)
    verbs.update_requirement(db.session, Actor(user=w.people["hr"]), requirement, None, Weight.OPTIONAL)
    assert requirement.weight == "optional" and requirement.level is not None


def test_the_learner_sees_published_profiles_against_their_own_record(w) -> None:
    fits = learner_fits(db.session, w.people["cas"])
    _profile, m = next((p, m) for p, m in fits if p.id == w.profile.id)
    assert m.fit == 1.0
    total = db.session.scalar(select(func.count()).select_from(ConsentView))
    assert total == 0  # one's own view records nothing


def test_the_demo_employer_sees_consenting_students_and_a_verified_credential_applicant(runner) -> None:
    from app.matching.models import JobProfile

    assert runner.invoke(args=["demo"]).exit_code == 0
    profiles = {p.title: p for p in db.session.scalars(select(JobProfile))}
    community = rank_profile(db.session, profiles["Webshop community manager"])
    assert names(community) == ["Sanne Visser", "Daan Mulder", "Youssef Benali"]  # Lotte and Emma: nowhere
    assert community.matches[0].fit is not None and community.matches[1].fit is None
    service = rank_profile(db.session, profiles["Medewerker servicedesk"])
    assert names(service)[:2] == ["Noah Jacobs", "Youssef Benali"]
    assert service.matches[0].fit == 1.0 and "Emma Claes" not in names(service)


def test_the_fast_standings_agree_with_the_detailed_ranking(w) -> None:
    from app.matching.standings import standings

    consents.grant_consent(db.session, Actor(user=w.people["cas"]), w.people["cas"], w.employer, days=5)
    db.session.flush()
    detailed = rank_profile(db.session, w.profile)
    ranked = standings(db.session, w.profile)
    fast = ranked.scores(ranked.order)
    assert [s.candidate for s in fast] == [m.candidate for m in detailed.matches]
    for s, m in zip(fast, detailed.matches, strict=True):
        assert (s.fit, s.coverage) == (m.fit, m.coverage)
        assert [s.count(status) for status in Status] == [m.count(status) for status in Status]
    assert set(ranked.consents) == {"u" + str(w.people[k].id) for k in ("ann", "bob", "cas")}


def test_the_standings_take_the_same_number_of_queries_for_more_candidates(w, count_queries) -> None:
    from app.matching.standings import standings

    db.session.flush()
    count_queries.reset()
    standings(db.session, w.profile)
    few = count_queries.count
    for key in ("cas", "teacher", "committee"):
        consents.grant_consent(db.session, Actor(user=w.people[key]), w.people[key], w.employer, days=5)
    db.session.flush()
    count_queries.reset()
    assert len(standings(db.session, w.profile).order) == 5
    assert count_queries.count == few, count_queries.statements
