"""Certificates over HTTP: the baked badge a holder downloads un-bakes to the credential, which verifies with
the app (uploading the PNG itself to /verify) and with the independent verifier; the badge images are PNGs
at stable public addresses."""

from __future__ import annotations

import io
import json
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.audit import Actor
from app.certificates import rules, services
from app.certificates.models import Certificate
from app.credentials import baking, proof
from app.extensions import db
from app.standards.models import Framework
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.ob3 import schema_errors
from tests.services.test_certificates import passed
from tests.unit.test_credentials_interop import independent_verify, node  # noqa: F401 - fixture

STAND_IN = patch("app.certificates.pdf.render_certificate", return_value=b"%PDF-1.7 stand-in")


@pytest.fixture
def school(app) -> dict[str, int]:
    """ROC Horizon's cohort 4A (P3): Sanne and Daan have passed everything, Lotte nothing; Marieke is on the
    exam committee. And another school with its own committee member."""
    with app.app_context(), app.test_request_context(base_url="https://bekwaam.example"):
        actor = Actor.system("tests")
        s = db.session
        fw = {f.code: f for f in s.scalars(select(Framework))}
        org = accounts.create_organisation(s, actor, name="ROC Horizon", kind=OrgKind.SCHOOL)
        other = accounts.create_organisation(s, actor, name="Other College", kind=OrgKind.SCHOOL)
        people = {
            k: accounts.create_user(s, actor, email=f"{k}@test.example", name=k.title(), password=PASSWORD)
            for k in ["sanne", "daan", "lotte", "anouk", "ruben", "marieke", "olga"]
        }
        accounts.grant_role(s, actor, people["marieke"], org, Role.EXAM_COMMITTEE)
        accounts.grant_role(s, actor, people["olga"], other, Role.EXAM_COMMITTEE)
        p3 = accounts.create_cohort(s, actor, org, name="4A", year="2026", framework_id=fw["mbo-commercie"].id,
                                    profile_key="P3")  # fmt: skip
        for student in ("sanne", "daan", "lotte"):
            accounts.add_to_cohort(s, actor, p3, people[student], Role.STUDENT)
        for assessor in ("anouk", "ruben"):
            accounts.add_to_cohort(s, actor, p3, people[assessor], Role.ASSESSOR)
        s.flush()
        world = {**people, "p3": p3}
        for student in ("sanne", "daan"):
            passed(world, student, ["*"])
        s.commit()
        ids = {k: u.id for k, u in people.items()} | {"p3": p3.id, "org": org.id, "other": other.id}
        db.session.remove()
    return ids


def issue_directly(app, school, student: str = "sanne", scope: str = rules.PROGRAMME) -> int:
    with app.app_context(), app.test_request_context(base_url="https://bekwaam.example"), STAND_IN:
        from app.accounts.models import Cohort, User

        committee = Actor(user=db.session.get(User, school["marieke"]))
        cohort = db.session.get(Cohort, school["p3"])
        cert = services.issue(db.session, committee, db.session.get(User, school[student]), cohort, scope)
        db.session.commit()
        cert_id = cert.id
        db.session.remove()
    return cert_id


def test_the_baked_badge_unbakes_to_a_credential_that_verifies_everywhere(app, client, school, node, tmp_path):  # noqa: F811
    cert_id = issue_directly(app, school)
    sign_in(client, "sanne@test.example")
    response = client.get(f"/certificates/{cert_id}/badge.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    png = response.get_data()
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        assert image.size == (400, 400)
        assert json.loads(image.text["openbadgecredential"])["type"][1] == "OpenBadgeCredential"
    credential = json.loads(baking.unbake(png))
    with app.app_context():
        assert credential == db.session.get(Certificate, cert_id).credential
    assert schema_errors(credential) == []
    assert proof.verify(credential).valid
    assert independent_verify(node, credential, tmp_path)["verified"] is True
    # The badge itself is what a visitor uploads to /verify.
    page = client.post("/verify", data={"csrf_token": csrf_token(client, "/verify"),
                                        "credential": (io.BytesIO(png), "badge.png")})  # fmt: skip
    assert page.status_code == 200
    assert "Valid: the credential is authentic, unchanged and not revoked." in page.get_data(as_text=True)
    plain = io.BytesIO()
    Image.new("RGB", (4, 4)).save(plain, format="PNG")
    refused = client.post("/verify", data={"csrf_token": csrf_token(client, "/verify"),
                                           "credential": (io.BytesIO(plain.getvalue()), "photo.png")})  # fmt: skip
    assert refused.status_code == 400 and "badge image with one baked in" in refused.get_data(as_text=True)


def test_badge_images_are_public_pngs_at_the_addresses_the_credential_names(app, client, school) -> None:
    cert_id = issue_directly(app, school, "daan", "B1-K1")
    with app.app_context():
        credential = db.session.get(Certificate, cert_id).credential
    for url in (credential["image"]["id"], credential["issuer"]["image"]["id"]):
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200 and response.mimetype == "image/png", url
        assert response.get_data().startswith(baking.PNG_SIGNATURE)
        assert "public" in response.headers["Cache-Control"]
    assert client.get(f"/issuers/{school['other']}/image.png").status_code == 404  # issues nothing: unpublished


def test_the_holder_address_leads_its_owner_to_their_certificates_and_nobody_else(app, client, school) -> None:
    cert_id = issue_directly(app, school)
    with app.app_context():
        holder = db.session.get(Certificate, cert_id).credential["credentialSubject"]["id"]
    path = urlsplit(holder).path
    sign_in(client, "daan@test.example")
    assert client.get(path).status_code == 404
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, "sanne@test.example")
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/certificates/")


def post(client, url: str, data: dict, page: str):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def count(app, **where) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Certificate).filter_by(**where)).all())


def test_issuing_one_shows_who_gets_what_and_issues_only_when_confirmed(app, client, school) -> None:
    sign_in(client, "marieke@test.example")
    cohort_page = f"/certificates/cohorts/{school['p3']}"
    preview = client.get(f"{cohort_page}/preview?student={school['sanne']}").get_data(as_text=True)
    assert "Sanne" in preview and "will be issued" in preview and "Daan" not in preview
    assert "1 certificate will be issued, signed in the name of ROC Horizon." in preview
    with STAND_IN:
        unconfirmed = post(client, f"{cohort_page}/issue", {"student": school["sanne"], "scope": "*"}, cohort_page)
        assert unconfirmed.status_code == 302 and "/preview?" in unconfirmed.headers["Location"]
        assert count(app) == 0  # nothing issued without the confirmation
        done = post(client, f"{cohort_page}/issue", {"student": school["sanne"], "scope": "*", "confirm": "1"},
                    cohort_page)  # fmt: skip
    assert done.status_code == 302 and count(app, candidate_id=school["sanne"]) == 1
    again = client.get(f"{cohort_page}/preview?student={school['sanne']}").get_data(as_text=True)
    assert "has it already" in again and "nothing to confirm" in again
    assert client.get(f"{cohort_page}/preview?student=999999").status_code == 404


def test_the_cohort_preview_lists_everyone_and_the_confirmed_run_reports_live(app, client, school) -> None:
    sign_in(client, "marieke@test.example")
    cohort_page = f"/certificates/cohorts/{school['p3']}"
    preview = client.get(f"{cohort_page}/preview").get_data(as_text=True)
    assert preview.count(">will be issued<") == 2 and "not earned" in preview and "Lotte" in preview
    assert "2 certificates will be issued" in preview
    assert post(client, f"{cohort_page}/batch", {"scope": "*"}, cohort_page).status_code == 302
    assert count(app) == 0
    with STAND_IN:
        response = post(client, f"{cohort_page}/batch", {"scope": "*", "confirm": "1"}, cohort_page)
    run_page = response.headers["Location"]
    status = client.get(f"{run_page}/status").get_json()
    assert (status["status"], status["progress"], status["issued"]) == ("done", 3, 2)
    assert {o["student"]: o["label"] for o in status["outcomes"]} == {
        "Daan": "issued", "Lotte": "not earned", "Sanne": "issued"}  # fmt: skip
    assert status["message"] == "Done: 2 issued of 3."
    assert "js/certificates.js" in client.get(run_page).get_data(as_text=True)


def test_revoking_asks_for_the_password_and_a_wrong_one_changes_nothing(app, client, school) -> None:
    cert_id = issue_directly(app, school)
    sign_in(client, "marieke@test.example")
    cohort_page = f"/certificates/cohorts/{school['p3']}"
    assert 'name="password"' in client.get(cohort_page).get_data(as_text=True)
    wrong = post(client, f"/certificates/{cert_id}/revoke", {"reason": "Fraude", "password": "not-it"}, cohort_page)
    assert wrong.status_code == 302
    assert "that is not your password" in client.get(wrong.headers["Location"]).get_data(as_text=True)
    assert count(app, revoked_at=None) == 1
    right = post(client, f"/certificates/{cert_id}/revoke", {"reason": "Fraude", "password": PASSWORD}, cohort_page)
    assert right.status_code == 302 and count(app, revoked_at=None) == 0


def test_the_register_keeps_revoked_certificates_and_finds_them_by_number_or_name(app, client, school) -> None:
    sanne = issue_directly(app, school, "sanne")
    daan = issue_directly(app, school, "daan", "B1-K1")
    with app.app_context():
        from app.accounts.models import User

        cert = db.session.get(Certificate, sanne)
        number = cert.number
        services.revoke(
            db.session, Actor(user=db.session.get(User, school["marieke"])), cert, "=HYPERLINK(1)", PASSWORD
        )
        db.session.commit()
        daan_number = db.session.get(Certificate, daan).number
    sign_in(client, "marieke@test.example")
    page = f"/certificates/register/{school['org']}"
    everything = client.get(page).get_data(as_text=True)
    assert number in everything and daan_number in everything and "=HYPERLINK(1)" in everything
    assert "2 certificates" in everything
    revoked = client.get(f"{page}?status=revoked").get_data(as_text=True)
    assert number in revoked and daan_number not in revoked
    by_number = client.get(f"{page}?q={number[-6:]}").get_data(as_text=True)
    assert number in by_number and daan_number not in by_number
    by_name = client.get(f"{page}?q=DAAN").get_data(as_text=True)
    assert daan_number in by_name and number not in by_name
    assert "No certificate matches." in client.get(f"{page}?q=%25_").get_data(as_text=True)  # wildcards are text
    assert "No certificate matches." in client.get(f"{page}?from=2999-01-01").get_data(as_text=True)
    assert daan_number in client.get(f"{page}?to=2999-01-01&from=nonsense&cohort={school['p3']}").get_data(as_text=True)
    csv_text = client.get(f"{page}/export.csv").get_data().decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "number;holder;certificate;cohort;year;issued;status;revoked;reason"
    assert any(line.startswith(f"{number};Sanne;") and line.endswith(";'=HYPERLINK(1)") for line in lines)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(f"{page}/export.xlsx?status=revoked").get_data())).active
    assert [c.value for c in sheet[2]][:1] == [number] and sheet.max_row == 2
    assert sheet.cell(row=2, column=9).data_type == "s"  # never a formula
    # Another school's committee sees nothing of it, not even that it exists.
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, "olga@test.example")
    assert client.get(page).status_code == 404
    assert client.get(f"{page}/export.csv").status_code == 404
    assert client.get(f"/certificates/register/{school['other']}").status_code == 200


def test_the_register_reads_in_the_same_few_queries_for_more_certificates(app, client, school, count_queries) -> None:
    issue_directly(app, school, "sanne")
    sign_in(client, "marieke@test.example")
    page = f"/certificates/register/{school['org']}"
    client.get(page)
    count_queries.reset()
    client.get(page)
    few = count_queries.count
    for scope in ("B1-K1", "B1-K2", "B1-K1-W1"):
        issue_directly(app, school, "daan", scope)
    count_queries.reset()
    assert "4 certificates" in client.get(page).get_data(as_text=True)
    assert count_queries.count == few
