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
