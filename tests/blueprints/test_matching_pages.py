"""Matching through HTTP: HR sees only consenting people (lists, pages, API, plans), withdrawing consent
removes a person everywhere at once, every view reaches the learner's list, credential-only applications
through the public link, and the learner's consents and fits."""

from __future__ import annotations

import io
import json
from unittest.mock import patch

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import User
from app.audit import Actor
from app.extensions import db
from app.matching.models import Application, Consent, ConsentView, JobProfile
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.matching_world import build_match_world

STATUSES = {"verified", "verified_lower", "via_crosswalk", "claimed", "missing"}


@pytest.fixture
def mw(app):
    with app.app_context():
        w = build_match_world()
        token = accounts.create_api_token(
            db.session, Actor(user=w.people["hr"]), w.people["hr"], "t", ["matching:read"]
        )
        other = accounts.create_api_token(
            db.session, Actor(user=w.people["other_hr"]), w.people["other_hr"], "t", ["matching:read"]
        )
        data = {
            "profile": w.profile.id,
            "token": w.profile.public_token,
            **{k: u.id for k, u in w.people.items()},
            "secret": token.secret,
            "other_secret": other.secret,
        }
        db.session.commit()
        db.session.remove()
    return data


def post(client, url: str, data: dict | None = None, page: str = "/me/consents", **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **(data or {})}, **kwargs)


def test_hr_sees_only_consenting_people_and_no_count_of_others(client, mw) -> None:
    sign_in(client, "hr@match.example", PASSWORD)
    page = client.get(f"/job-profiles/{mw['profile']}/candidates").get_data(as_text=True)
    assert "Ann" in page and "Bob" in page and "Cas" not in page
    assert page.count('name="c"') == 2
    assert "no score" in page  # Bob: nothing verified, no low score
    assert client.get(f"/job-profiles/{mw['profile']}/candidates/u{mw['cas']}").status_code == 404
    ann = client.get(f"/job-profiles/{mw['profile']}/candidates/u{mw['ann']}").get_data(as_text=True)
    assert "Teacher" in ann and "verified at a lower level" in ann  # which assessors; the honest gap


def test_withdrawing_consent_removes_the_person_from_every_list_at_once(client, app, mw) -> None:
    sign_in(client, "ann@match.example", PASSWORD)
    with app.app_context():
        consent_id = db.session.scalar(select(Consent.id).where(Consent.user_id == mw["ann"]))
    assert post(client, f"/me/consents/{consent_id}/revoke").status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "hr@match.example", PASSWORD)
    assert "Ann" not in client.get(f"/job-profiles/{mw['profile']}/candidates").get_data(as_text=True)
    assert client.get(f"/job-profiles/{mw['profile']}/candidates/u{mw['ann']}").status_code == 404
    assert client.get(f"/job-profiles/{mw['profile']}/candidates/u{mw['ann']}/plan.pdf").status_code == 404
    headers = {"Authorization": f"Bearer {mw['secret']}"}
    names = [
        c["name"]
        for c in client.get(f"/api/v1/job-profiles/{mw['profile']}/matches", headers=headers).json["candidates"]
    ]
    assert names == ["Bob"]


def test_every_view_is_listed_for_the_learner(client, app, mw) -> None:
    sign_in(client, "hr@match.example", PASSWORD)
    client.get(f"/job-profiles/{mw['profile']}/candidates")
    client.get(f"/job-profiles/{mw['profile']}/candidates/u{mw['ann']}")
    with app.app_context():
        whats = set(db.session.scalars(select(ConsentView.what).join(Consent).where(Consent.user_id == mw["ann"])))
    assert whats == {"list", "candidate"}
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "ann@match.example", PASSWORD)
    page = client.get("/me/consents").get_data(as_text=True)
    assert "hr@match.example" in page and "2 times" in page


def test_api_matches_have_the_documented_shape(client, mw) -> None:
    headers = {"Authorization": f"Bearer {mw['secret']}"}
    listed = client.get("/api/v1/job-profiles", headers=headers).json
    assert [p["id"] for p in listed["job_profiles"]] == [mw["profile"]]
    detail = client.get(f"/api/v1/job-profiles/{mw['profile']}", headers=headers).json
    assert detail["requirements"][0]["element"]["framework"] == "bk-0331-4"
    body = client.get(f"/api/v1/job-profiles/{mw['profile']}/matches", headers=headers).json
    assert [c["name"] for c in body["candidates"]] == ["Ann", "Bob"]
    ann, bob = body["candidates"]
    assert 0 < ann["fit"] < 1 and ann["coverage"] == 1.0 and bob["fit"] is None
    line = ann["requirements"][0]
    assert set(line) == {"element", "required_level", "weight", "status", "achieved_level", "source"}
    assert set(line["element"]) == {"framework", "key"}
    assert {r["status"] for c in body["candidates"] for r in c["requirements"]} <= STATUSES
    other = {"Authorization": f"Bearer {mw['other_secret']}"}
    assert client.get(f"/api/v1/job-profiles/{mw['profile']}/matches", headers=other).status_code == 404
    assert client.get("/api/v1/job-profiles", headers=other).json == {"job_profiles": []}


def test_development_plan_as_pdf_and_xlsx(client, mw) -> None:
    sign_in(client, "hr@match.example", PASSWORD)
    pdf = client.get(f"/job-profiles/{mw['profile']}/candidates/u{mw['ann']}/plan.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get(f"/job-profiles/{mw['profile']}/candidates/u{mw['ann']}/plan.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][6] == "verified at a lower level"  # header + Ann's two gaps


def test_credential_only_application_through_the_public_link(client, app, mw) -> None:
    from app.certificates import rules
    from app.certificates import services as certificates

    with app.app_context(), app.test_request_context(base_url="https://bekwaam.example"):
        with patch("app.certificates.pdf.render_certificate", return_value=b"%PDF-1.7 stand-in"):
            cas = db.session.get(User, mw["cas"])
            cert = certificates.issue(db.session, Actor.system("t"), cas, _cohort_of(mw["cas"]), rules.PROGRAMME)
        credential = json.dumps(cert.credential).encode()
        db.session.commit()
    token = csrf_token(client, f"/apply/{mw['token']}")
    files = [(io.BytesIO(credential), "cas.json"), (io.BytesIO(b"[" * 3000 + b"]" * 3000), "deep.json")]
    page = client.post(f"/apply/{mw['token']}", data={"csrf_token": token, "name": "Cas Anders",
                       "email": "cas@mail.example", "files": files}, content_type="multipart/form-data")  # fmt: skip
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "does not verify" in text and "BKW-" in text
    sign_in(client, "hr@match.example", PASSWORD)
    with app.app_context():
        application_id = db.session.scalar(select(Application.id).where(Application.name == "Cas Anders"))
    listed = client.get(f"/job-profiles/{mw['profile']}/candidates").get_data(as_text=True)
    assert "Cas Anders" in listed and "applied with credentials" in listed
    one = client.get(f"/job-profiles/{mw['profile']}/candidates/a{application_id}").get_data(as_text=True)
    assert "Verified credential" in one and "counts for nothing" in one


def _cohort_of(user_id: int):
    from app.accounts.models import Cohort, CohortStudent

    return db.session.scalar(select(Cohort).join(CohortStudent).where(CohortStudent.user_id == user_id))


def test_a_draft_profile_takes_no_applications(client, app, mw) -> None:
    with app.app_context():
        db.session.get(JobProfile, mw["profile"]).status = "draft"
        db.session.commit()
    assert client.get(f"/apply/{mw['token']}").status_code == 404


def test_learner_grants_consent_sees_fits_and_applies(client, app, mw) -> None:
    sign_in(client, "cas@match.example", PASSWORD)
    with app.app_context():
        employer_id = db.session.get(JobProfile, mw["profile"]).organisation_id
    response = post(
        client, "/me/consents", {"organisation": employer_id, "results": "y", "certificates": "y", "days": "30"}
    )
    assert response.status_code == 302
    fits = client.get("/me/job-profiles").get_data(as_text=True)
    assert "100%" in fits
    assert post(client, f"/me/job-profiles/{mw['profile']}/apply", page="/me/job-profiles").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(Application).where(Application.user_id == mw["cas"]))
            == 1
        )
    refused = post(client, "/me/consents", {"organisation": employer_id, "days": "9999"})
    assert refused.status_code == 200 and "between 1 and 730" in refused.get_data(as_text=True)


def test_hr_makes_a_profile_from_a_standard_and_adds_by_search(client, app, mw) -> None:
    sign_in(client, "hr@match.example", PASSWORD)
    with app.app_context():
        employer_id = db.session.get(JobProfile, mw["profile"]).organisation_id
    page = f"/employers/{employer_id}/job-profiles"
    made = post(client, f"{page}/from-standard", {"std-source": "competent-E110101"}, page=page)
    assert made.status_code == 302
    new_id = int(made.headers["Location"].rsplit("/", 1)[1])
    found = client.get(f"/job-profiles/{new_id}?q=e-commerce").get_data(as_text=True)
    assert 'name="element"' in found
    added = post(client, f"/job-profiles/{new_id}/requirements", {"element": "ecf-2.0|A.1", "weight": "optional"},
                 page=f"/job-profiles/{new_id}")  # fmt: skip
    assert added.status_code == 302
    with app.app_context():
        profile = db.session.get(JobProfile, new_id)
        assert len(profile.requirements) == 17 and profile.requirements[-1].weight == "optional"


def test_the_candidate_page_names_the_crosswalk_the_link_and_whose_judgement(client, mw, app) -> None:
    from flask import current_app

    from app.crosswalks.seeds import load_seeds, seed_paths
    from app.matching import job_profiles as verbs
    from app.standards.queries import EVERYONE

    with app.app_context():
        load_seeds(db.session, Actor.system("tests"), seed_paths(current_app.config["CROSSWALK_SEED_DIR"]))
        profile = db.session.get(JobProfile, mw["profile"])
        element = verbs.element_by_ref(db.session, "ecf-2.0", "C.1", EVERYONE)
        verbs.add_requirement(db.session, Actor.system("tests"), profile, element, None, "essential")
        db.session.commit()
    sign_in(client, "hr@match.example", PASSWORD)
    page = client.get(f"/job-profiles/{mw['profile']}/candidates/u{mw['ann']}").get_data(as_text=True)
    assert "via crosswalk" in page and "BK-0331-4 Digitale gebruiksondersteuner" in page
    assert "editorial proposal" in page and "only at beheerst or higher" in page
    assert "Teacher" in page  # whose judgement


def test_hr_builds_requirements_from_a_vacancy_text(client, mw, app) -> None:
    from app.matching import job_profiles as verbs
    from tests.services.test_matching_vacancy import DUTCH

    with app.app_context():
        hr = db.session.get(User, mw["hr"])
        employer = db.session.get(JobProfile, mw["profile"]).organisation
        profile_id = verbs.create_job_profile(db.session, Actor(user=hr), employer, verbs.ProfileData("Desk")).id
        db.session.commit()
    sign_in(client, "hr@match.example", PASSWORD)
    page_url = f"/job-profiles/{profile_id}"
    page = post(client, f"{page_url}/vacancy", {"v-text": DUTCH}, page=page_url).get_data(as_text=True)
    assert "Matched on:" in page and "Biedt eerstelijnsondersteuning" in page and "Read as Dutch" in page
    accepted = post(
        client,
        f"{page_url}/vacancy/accept",
        {"p-element": ["bk-0331-4|competentie-7", "bk-0331-4|competentie-17"]},
        page=page_url,
    )
    assert accepted.status_code == 302
    assert "2 requirements added." in client.get(page_url).get_data(as_text=True)
    with app.app_context():
        profile = db.session.get(JobProfile, profile_id)
        assert sorted(r.element.key for r in profile.requirements) == ["competentie-17", "competentie-7"]
        assert all(r.weight == "essential" and r.level is not None for r in profile.requirements)


def test_a_vacancy_text_that_is_too_long_or_empty_is_refused_on_the_form(client, mw, app) -> None:
    sign_in(client, "hr@match.example", PASSWORD)
    page_url = f"/job-profiles/{mw['profile']}"
    too_long = post(client, f"{page_url}/vacancy", {"v-text": "klant " * 5000}, page=page_url)
    assert too_long.status_code == 200 and "Matched on:" not in too_long.get_data(as_text=True)
    assert "20000" in too_long.get_data(as_text=True)
    nothing = post(client, f"{page_url}/vacancy", {"v-text": "12 34 de het"}, page=page_url)
    assert "the text has no words to match on" in nothing.get_data(as_text=True)
    refused = post(client, f"{page_url}/vacancy/accept", {"p-element": "bk-0331-4|nope"}, page=page_url)
    assert refused.status_code == 302
    assert "choose an element from the proposals" in client.get(page_url).get_data(as_text=True)


def test_the_list_pages_through_the_ranking_and_records_only_who_was_shown(client, app, mw, monkeypatch) -> None:
    monkeypatch.setattr("app.blueprints.matching.candidates.PAGE_SIZE", 1)
    sign_in(client, "hr@match.example", PASSWORD)
    first = client.get(f"/job-profiles/{mw['profile']}/candidates").get_data(as_text=True)
    assert "Ann" in first and "Bob" not in first and "Page 1 of 2 · 2 candidates" in first
    second = client.get(f"/job-profiles/{mw['profile']}/candidates?page=2").get_data(as_text=True)
    assert "Bob" in second and ">Ann<" not in second
    assert client.get(f"/job-profiles/{mw['profile']}/candidates?page=99").status_code == 200
    with app.app_context():
        viewed = db.session.scalars(select(Consent.user_id).join(ConsentView).where(ConsentView.what == "list")).all()
    assert sorted(viewed) == sorted([mw["ann"], mw["bob"], mw["bob"]])  # page 99 shows the last page: Bob


def test_the_matches_api_pages_with_every_line_explained(client, mw) -> None:
    headers = {"Authorization": f"Bearer {mw['secret']}"}
    body = client.get(f"/api/v1/job-profiles/{mw['profile']}/matches?per_page=1&page=2", headers=headers).json
    assert (body["total"], body["page"], body["per_page"]) == (2, 2, 1)
    (only,) = body["candidates"]
    assert only["name"] == "Bob" and only["fit"] is None and only["requirements"]
