"""Every credential Bekwaam issues is an OpenBadgeCredential as 1EdTech's conformance validator expects it:
it validates against 1EdTech's JSON schema (which accepts 1EdTech's valid test vector and refuses its
invalid one here too), names its recipient by a salted email hash and the account's address, carries a
badge image and a signatory, and has its proof as an array; credentials issued before, with a single proof
object, still verify."""

from __future__ import annotations

import copy
import re

import pytest
from sqlalchemy import select

from app.certificates import rules, services
from app.certificates.keys import holder_url
from app.certificates.models import Certificate, CertificateBatch
from app.credentials import badges, proof
from app.extensions import db
from tests.ob3 import schema_errors, vector
from tests.services.test_certificates import committee, complete, passed, school  # noqa: F401 - fixture
from tests.unit.test_credentials_interop import independent_verify, node  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context(base_url="https://bekwaam.example"):
        yield


def test_the_schema_accepts_1edtechs_valid_vector_and_refuses_its_invalid_one() -> None:
    assert schema_errors(vector("1edtech_validator_ob30_simple.json")) == []
    errors = schema_errors(vector("1edtech_validator_ob30_simple-err-evidence-type.json"))
    # its three errors: two evidence types that are not arrays, and a proof that is one object
    assert [e.split(":")[0] for e in errors] == ["evidence/0/type", "evidence/1/type", "proof"], errors


def test_a_single_proof_object_is_what_the_schema_refuses() -> None:
    simple = vector("1edtech_validator_ob30_simple.json")
    simple["proof"] = simple["proof"][0]
    assert any(e.startswith("proof:") for e in schema_errors(simple))


def test_every_kind_of_certificate_validates_against_the_schema(school) -> None:  # noqa: F811
    complete(school, "sanne")
    passed(school, "daan", ["B1-K1"])
    issued = [
        services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME),
        services.issue(db.session, committee(school), school["daan"], school["p3"], "B1-K1"),
        services.issue(db.session, committee(school), school["daan"], school["p3"], "B1-K1-W2"),
    ]
    run = services.start_batch(db.session, committee(school), school["p3"], "B1-K1-W1")  # eager in tests
    batch = db.session.get(CertificateBatch, run.id)
    issued += db.session.scalars(select(Certificate).where(Certificate.scope_key == batch.scope_key)).all()
    assert len(issued) == 5
    for cert in issued:
        assert schema_errors(cert.credential) == [], cert.scope_key
        assert services.verify_document(db.session, copy.deepcopy(cert.credential)).valid


def test_the_recipient_is_named_by_a_salted_email_hash_and_the_account_address(school) -> None:  # noqa: F811
    complete(school, "sanne")
    complete(school, "daan")
    first = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    second = services.issue(db.session, committee(school), school["daan"], school["p3"], rules.PROGRAMME)
    subject = first.credential["credentialSubject"]
    assert subject["id"] == holder_url(school["sanne"]) != second.credential["credentialSubject"]["id"]
    assert re.fullmatch(r"https?://[^/]+/holders/[0-9a-f]{32}", subject["id"])  # the account, not its id
    [identifier] = subject["identifier"]
    assert identifier["type"] == "IdentityObject" and identifier["identityType"] == "emailAddress"
    assert identifier["hashed"] is True and identifier["identityHash"].startswith("sha256$")
    assert len(identifier["salt"]) >= 16 and "sanne@" not in str(first.credential)
    assert badges.recipient_matches(identifier, "sanne@test.example")
    assert not badges.recipient_matches(identifier, "daan@test.example")
    other_salt = second.credential["credentialSubject"]["identifier"][0]["salt"]
    assert other_salt != identifier["salt"]  # one salt per credential: hashes do not link holders


def test_the_credential_has_a_badge_image_and_a_signatory(school) -> None:  # noqa: F811
    complete(school, "sanne")
    cert = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    credential = cert.credential
    image = credential["credentialSubject"]["achievement"]["image"]
    assert image["type"] == "Image" and image["id"] == credential["image"]["id"]
    assert f"/badges/{school['org'].id}/mbo-commercie/" in image["id"]
    assert credential["issuer"]["official"] == "Marieke"
    assert credential["issuer"]["image"]["id"].endswith(f"/issuers/{school['org'].id}/image.png")
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Certificate"
    assert isinstance(credential["proof"], list) and len(credential["proof"]) == 1


def test_a_credential_issued_with_a_single_proof_object_still_verifies(school, tmp_path, node) -> None:  # noqa: F811
    """Certificates issued before proof sets carry ``"proof": {...}``: the app and the independent verifier
    accept both forms (the signature is the same)."""
    complete(school, "sanne")
    cert = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    old_style = copy.deepcopy(cert.credential)
    old_style["proof"] = old_style["proof"][0]
    cert.credential = old_style  # as stored by an earlier release
    db.session.flush()
    assert proof.verify(copy.deepcopy(old_style)).valid
    assert services.verify_document(db.session, copy.deepcopy(old_style)).valid
    assert independent_verify(node, old_style, tmp_path)["verified"] is True
    assert independent_verify(node, copy.deepcopy(cert.credential) | {"proof": [old_style["proof"]]}, tmp_path)[
        "verified"
    ]
