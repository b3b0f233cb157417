"""Evidence carried through crosswalks on the learner's pages: the portfolio programme page, the progress page
and the assessor's judging page show results and portfolio claims from other standards, marked as carried and
never counted; an assessor cites them in a judgement, and the trail shows what was cited."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import current_app
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.assessment import services as assessing
from app.assessment.demo import create_demo_levels
from app.assessment.models import Judgement
from app.audit import Actor
from app.crosswalks import crosswalks, links
from app.crosswalks.models import CrosswalkStatus
from app.crosswalks.seeds import load_seeds, seed_paths
from app.extensions import db
from app.portfolio import services as portfolio
from app.standards.models import Framework
from tests.conftest import csrf_token
from tests.factories import PASSWORD

ACTOR = Actor.system("tests")


@dataclass
class Sanne:
    student: int
    p3: int
    assessment: int


@pytest.fixture
def sanne(app) -> Sanne:
    with app.app_context():
        s = db.session
        load_seeds(s, ACTOR, seed_paths(current_app.config["CROSSWALK_SEED_DIR"]))
        fw = {f.code: f for f in s.scalars(select(Framework))}
        org = accounts.create_organisation(s, ACTOR, name="Horizon", kind=OrgKind.SCHOOL)
        people = {
            k: accounts.create_user(s, ACTOR, email=f"{k}@test.example", name=k.title(), password=PASSWORD)
            for k in ("sanne", "anouk", "ruben")
        }
        p3 = accounts.create_cohort(
            s, ACTOR, org, name="4A", year="2026", framework_id=fw["mbo-commercie"].id, profile_key="P3"
        )
        ecf_fw = fw["ecf-profile-online-community-manager"]
        ecf = accounts.create_cohort(s, ACTOR, org, name="OCM", year="2026", framework_id=ecf_fw.id, profile_key=None)
        for cohort in (p3, ecf):
            accounts.add_to_cohort(s, ACTOR, cohort, people["sanne"], Role.STUDENT)
            for assessor in ("anouk", "ruben"):
                accounts.add_to_cohort(s, ACTOR, cohort, people[assessor], Role.ASSESSOR)
        s.flush()
        create_demo_levels(people["sanne"], ecf, [people["anouk"], people["ruben"]], PASSWORD, {"C.3": 2, "D.6": 3})
        me = Actor(user=people["sanne"])
        item = portfolio.create_item(s, me, people["sanne"], portfolio.ItemData(title="Forum moderation log"))
        portfolio.add_claim(s, me, item, ecf, "C.3", 3, "A term of moderation")
        assessment = assessing.create_assessment(
            s,
            Actor(user=people["anouk"]),
            people["sanne"],
            p3,
            assessing.NewAssessment(kind="formative", scope_keys=["P3-K1-W1"], assessor_ids=[people["anouk"].id]),
        )
        s.commit()
        return Sanne(people["sanne"].id, p3.id, assessment.id)


def _sign_in(client, email: str) -> None:
    token = csrf_token(client, "/sign-in")
    client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})


def _more_links(app, n: int) -> None:
    with app.app_context():
        extra = crosswalks.create_crosswalk(
            db.session,
            ACTOR,
            crosswalks.NewCrosswalk("More", "mbo-commercie", "ecf-profile-online-community-manager", None),
        )
        pairs = [(w, e) for w in ("P3-K1-W2", "P3-K1-W4", "P3-K2-W1", "P3-K2-W2") for e in ("C.1", "C.3", "D.6")]
        for subject, obj in pairs[:n]:
            links.add_link(db.session, ACTOR, extra, links.LinkInput(subject, obj, "related", note="test"))
        extra.status = CrosswalkStatus.PUBLISHED
        db.session.commit()


def test_portfolio_page_shows_carried_results_and_claims_never_counted(app, client, sanne, count_queries) -> None:
    _sign_in(client, "sanne@test.example")
    path = f"/portfolio/students/{sanne.student}/programmes/{sanne.p3}"
    count_queries.reset()
    page = client.get(path).get_data(as_text=True)
    before = count_queries.count
    assert "via crosswalk" in page and "Not a final judgement of this standard" in page
    assert "portfolio claim" in page and "Forum moderation log" in page
    assert "judged by Anouk, Ruben" in page
    assert re.search(r"<strong>0</strong>/ \d+ with evidence", page)  # carried evidence is not coverage
    _more_links(app, 12)
    count_queries.reset()
    page = client.get(path).get_data(as_text=True)
    assert count_queries.count == before  # independent of the number of links
    assert page.count('class="carried"') > 2


def test_progress_page_shows_carried_claims(client, sanne) -> None:
    _sign_in(client, "sanne@test.example")
    page = client.get(f"/progress/students/{sanne.student}/programmes/{sanne.p3}").get_data(as_text=True)
    assert "portfolio claim" in page and "Forum moderation log" in page and "final result" in page


def test_assessor_cites_carried_evidence_and_the_trail_shows_it(app, client, sanne) -> None:
    _sign_in(client, "anouk@test.example")
    path = f"/assess/{sanne.assessment}"
    page = client.get(path).get_data(as_text=True)
    assert "Cite evidence via crosswalk" in page
    keys = re.findall(r'name="carried" value="([^"]+)"', page)
    assert any(k.startswith("judgement:") for k in keys) and any(k.startswith("claim:") for k in keys)
    response = client.post(
        f"{path}/judge/P3-K1-W1",
        data={"level": "2", "rationale": "Seen", "carried": keys, "csrf_token": csrf_token(client, path)},
    )
    assert response.status_code == 302
    with app.app_context():
        judgement = db.session.scalar(select(Judgement).where(Judgement.assessment_id == sanne.assessment))
        assert [c["key"] for c in judgement.carried_cited] == keys
        assert {c["framework"] for c in judgement.carried_cited} == {"ecf-profile-online-community-manager"}
        level_before = judgement.level_id
    page = client.get(path).get_data(as_text=True)
    assert page.count('name="carried"') == len(keys) and page.count("checked> ecf-profile") == len(keys)
    assert "Cites via crosswalk:" in page  # in the audit trail (the assessor's own judging is visible to them)
    with app.app_context():
        assert db.session.scalar(select(Judgement.level_id).where(Judgement.id == judgement.id)) == level_before


def test_citing_what_does_not_reach_the_element_is_refused_and_writes_nothing(app, client, sanne) -> None:
    _sign_in(client, "anouk@test.example")
    path = f"/assess/{sanne.assessment}"
    response = client.post(
        f"{path}/judge/P3-K1-W1",
        data={"level": "2", "version": "", "carried": ["judgement:999999"], "csrf_token": csrf_token(client, path)},
    )
    assert response.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "through a published crosswalk" in page
    with app.app_context():
        assert db.session.scalar(select(Judgement).where(Judgement.assessment_id == sanne.assessment)) is None
