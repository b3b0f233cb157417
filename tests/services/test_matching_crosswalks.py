"""Matching through published crosswalks: exact and close links carry a verified result to a requirement of
another standard (respecting the link's minimum level), broader/narrower/related links never do, credential
alignments map through crosswalks too, and the query count does not grow with the links or the candidates."""

from __future__ import annotations

import json

import pytest
from flask import Flask, current_app
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Role
from app.audit import Actor
from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkStatus
from app.crosswalks.seeds import load_seeds, seed_paths
from app.extensions import db
from app.matching import applications, consents
from app.matching import job_profiles as verbs
from app.matching.demo import demo_results
from app.matching.match import Status
from app.matching.queries import crosswalk_links, learner_fits
from app.matching.ranking import rank_profile
from app.standards.models import Element, Framework
from app.standards.queries import EVERYONE
from tests.factories import PASSWORD
from tests.matching_world import build_match_world
from tests.services.test_matching import _credential_of_cas


@pytest.fixture
def w():
    world = build_match_world()
    load_seeds(db.session, Actor.system("tests"), seed_paths(current_app.config["CROSSWALK_SEED_DIR"]))
    hr = Actor(user=world.people["hr"])
    world.profile = verbs.create_job_profile(db.session, hr, world.employer, verbs.ProfileData("Service desk"))
    for key in ("C.1", "B.3", "C.4"):  # BK: competentie-7 close C.1 (at beheerst), 13 narrower B.3, 16 related C.4
        element = verbs.element_by_ref(db.session, "ecf-2.0", key, EVERYONE)
        assert element is not None
        verbs.add_requirement(db.session, hr, world.profile, element, None, "essential")
    world.profile.status = "published"
    db.session.flush()
    return world


def statuses(m) -> dict[str, str]:
    return {str(line.need.element_id): line.status for line in m.lines}


def by_key(m, key: str):
    element = db.session.scalar(select(Element).join(Framework).where(Framework.code == "ecf-2.0", Element.key == key))
    return next(line for line in m.lines if line.need.element_id == element.id)


def test_a_close_link_carries_a_result_that_meets_its_minimum_level(w) -> None:
    m = rank_profile(db.session, w.profile, user_id=w.people["ann"].id).matches[0]
    line = by_key(m, "C.1")
    assert line.status == Status.VIA_CROSSWALK
    assert line.evidence is not None and line.evidence.level_code == "beheerst"
    assert line.via is not None and line.via.min_level == 3 and len(line.via.links) == 1
    assert by_key(m, "B.3").status == Status.MISSING  # narrower: supporting only, never "via crosswalk"
    assert by_key(m, "C.4").status == Status.MISSING  # related
    assert m.fit == pytest.approx(0.5 / 3)


def test_a_result_below_the_link_s_minimum_level_is_not_carried(w) -> None:
    s, actor = db.session, Actor.system("tests")
    dan = accounts.create_user(s, actor, email="dan@match.example", name="Dan", password=PASSWORD)
    accounts.add_to_cohort(s, actor, w.cohort, dan, Role.STUDENT)
    s.flush()
    demo_results(dan, w.cohort, [w.people["teacher"]], PASSWORD, lambda i: True)  # everything one level lower
    consents.grant_consent(s, Actor(user=dan), dan, w.employer, days=30)
    s.flush()
    m = rank_profile(s, w.profile, user_id=dan.id).matches[0]
    assert {line.status for line in m.lines} == {Status.MISSING}
    assert m.fit is None


def test_the_explanation_names_the_crosswalk_and_the_link(w) -> None:
    ranking = rank_profile(db.session, w.profile, user_id=w.people["ann"].id)
    infos = crosswalk_links(db.session, ranking)
    (info,) = infos.values()
    assert info.crosswalk_name.startswith("BK-0331-4") and info.editorial
    assert info.relation == "close" and info.min_level == "beheerst" and info.note


def test_a_draft_crosswalk_counts_for_nothing(w) -> None:
    for crosswalk in db.session.scalars(select(Crosswalk)):
        crosswalk.status = CrosswalkStatus.DRAFT
    db.session.flush()
    m = rank_profile(db.session, w.profile, user_id=w.people["ann"].id).matches[0]
    assert by_key(m, "C.1").status == Status.MISSING


def test_a_credential_s_alignments_map_through_crosswalks(w, app: Flask) -> None:
    credential = _credential_of_cas(w, app)
    upload = applications.Upload("cas.json", json.dumps(credential).encode())
    application = applications.apply_with_credentials(
        db.session, Actor.system("tests"), w.profile, name="Cas", email="cas@mail.example", files=[upload]
    )
    m = rank_profile(db.session, w.profile, application_id=application.id).matches[0]
    line = by_key(m, "C.1")
    assert line.status == Status.VIA_CROSSWALK and line.evidence is not None
    assert line.evidence.ref.startswith("credential:")


def test_the_learner_sees_crosswalked_fits_too(w) -> None:
    fits = dict((p.id, m) for p, m in learner_fits(db.session, w.people["ann"]))
    assert by_key(fits[w.profile.id], "C.1").status == Status.VIA_CROSSWALK


def test_the_query_count_does_not_grow_with_links_or_candidates(w, count_queries) -> None:
    s = db.session
    rank_profile(s, w.profile)
    count_queries.reset()
    rank_profile(s, w.profile)
    few = count_queries.count
    bk = s.scalar(select(Framework).where(Framework.code == "bk-0331-4"))
    ecf = s.scalar(select(Framework).where(Framework.code == "ecf-2.0"))
    more = Crosswalk(name="More", source_framework_id=bk.id, target_framework_id=ecf.id, status="published")
    s.add(more)
    s.flush()
    sources = s.scalars(select(Element.id).where(Element.framework_id == bk.id)).all()
    targets = s.scalars(select(Element.id).where(Element.framework_id == ecf.id)).all()
    s.add_all(
        CrosswalkLink(crosswalk_id=more.id, subject_id=a, object_id=b, relation="exact")
        for a in sources[:12]
        for b in targets[:12]
    )
    for key in ("cas", "teacher", "committee"):
        consents.grant_consent(s, Actor(user=w.people[key]), w.people[key], w.employer, days=5)
    s.flush()
    count_queries.reset()
    ranking = rank_profile(s, w.profile)
    assert len(ranking.matches) == 5
    assert count_queries.count == few, count_queries.statements
