"""Certificates without HTTP: issuing rules, signing and verifying (tampering, a rotated key), revocation
in the status list, and bulk issuing without duplicates."""

from __future__ import annotations

import copy

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.assessment import services as a
from app.audit import Actor
from app.certificates import rules, services
from app.certificates.models import Certificate, CertificateBatch
from app.credentials import status as status_lists
from app.extensions import db
from app.standards.models import Framework
from tests.factories import PASSWORD
from tests.unit.test_credentials_interop import independent_verify, node  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _request(app: Flask):
    """Certificates carry absolute URLs (verification page, issuer, status list)."""
    with app.test_request_context(base_url="https://bekwaam.example"):
        yield


@pytest.fixture
def school() -> dict[str, object]:
    actor = Actor.system("tests")
    s = db.session
    fw = {f.code: f for f in s.scalars(select(Framework))}
    org = accounts.create_organisation(s, actor, name="ROC Horizon", kind=OrgKind.SCHOOL)
    people = {
        k: accounts.create_user(s, actor, email=f"{k}@test.example", name=k.title(), password=PASSWORD)
        for k in ["sanne", "daan", "lotte", "anouk", "ruben", "marieke"]
    }
    accounts.grant_role(s, actor, people["marieke"], org, Role.EXAM_COMMITTEE)
    p3 = accounts.create_cohort(s, actor, org, name="4A", year="2026", framework_id=fw["mbo-commercie"].id,
                                profile_key="P3")  # fmt: skip
    for student in ("sanne", "daan", "lotte"):
        accounts.add_to_cohort(s, actor, p3, people[student], Role.STUDENT)
    for assessor in ("anouk", "ruben"):
        accounts.add_to_cohort(s, actor, p3, people[assessor], Role.ASSESSOR)
    s.flush()
    return {**people, "org": org, "p3": p3}


def passed(w, student: str, keys: list[str], level: int = 2) -> None:
    """A final two-assessor exam of ``keys`` at ``level``."""
    x = a.create_assessment(db.session, Actor(user=w["anouk"]), w[student], w["p3"],
                            a.NewAssessment(kind="summative", scope_keys=keys,
                                            assessor_ids=[w["anouk"].id, w["ruben"].id]))  # fmt: skip
    for who in ("anouk", "ruben"):
        for key in x.scope_keys:
            a.save_judgement(db.session, Actor(user=w[who]), x, a.JudgementInput(key, level, {}))
        a.submit(db.session, Actor(user=w[who]), x)
    for who in ("anouk", "ruben"):
        a.sign(db.session, Actor(user=w[who]), x, PASSWORD)


def complete(w, student: str) -> None:
    passed(w, student, ["*"])


def committee(w) -> Actor:
    return Actor(user=w["marieke"])


def test_issuing_is_refused_with_the_reasons_until_the_profile_is_complete(school) -> None:
    passed(school, "sanne", ["B1-K1", "B1-K2"])
    with pytest.raises(services.CertificateError, match="has not earned P3 E-commerce specialist: P3-K1-W1"):
        services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    cert = services.issue(db.session, committee(school), school["sanne"], school["p3"], "B1-K1")
    assert cert.scope == "group" and [e["code"] for e in cert.summary["elements"]] == [
        f"B1-K1-W{i}" for i in range(1, 6)
    ]
    passed(school, "sanne", ["P3-K1", "P3-K2"])
    whole = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    assert whole.title == "P3 E-commerce specialist" and len(whole.summary["elements"]) == 17
    assert whole.summary["framework"]["eqf_level"] == 4


def test_a_result_below_the_pass_mark_is_named(school) -> None:
    passed(school, "daan", ["B1-K2-W1"], level=1)
    with pytest.raises(services.CertificateError, match="B1-K2-W1 Inventariseert wensen en behoeften: onvoldoende"):
        services.issue(db.session, committee(school), school["daan"], school["p3"], "B1-K2-W1")


def test_nothing_is_issued_twice(school) -> None:
    complete(school, "sanne")
    first = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    with pytest.raises(services.CertificateError, match=f"already issued to Sanne: {first.number}"):
        services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    services.revoke(db.session, committee(school), first, "Issued on the wrong date", PASSWORD)
    again = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    assert again.number != first.number and again.status_index != first.status_index


def test_the_credential_verifies_and_one_changed_character_breaks_it(school) -> None:
    complete(school, "sanne")
    cert = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    credential = cert.credential
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert [p["cryptosuite"] for p in credential["proof"]] == ["eddsa-rdfc-2022"]  # a proof set (OB 3.0 schema)
    assert credential["credentialStatus"]["statusListIndex"] == str(cert.status_index)
    ok = services.verify_document(db.session, copy.deepcopy(credential))
    assert ok.valid, ok.problems or ok.reason
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["name"] = "Sanme"
    bad = services.verify_document(db.session, forged)
    assert not bad.valid and not bad.signature_valid


def test_a_rotated_key_keeps_earlier_certificates_valid(school) -> None:
    complete(school, "sanne")
    complete(school, "daan")
    before = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    services.rotate_key(db.session, committee(school), school["org"])
    after = services.issue(db.session, committee(school), school["daan"], school["p3"], rules.PROGRAMME)
    assert before.credential["proof"][0]["verificationMethod"] != after.credential["proof"][0]["verificationMethod"]
    assert services.verify_document(db.session, copy.deepcopy(before.credential)).valid
    assert services.verify_document(db.session, copy.deepcopy(after.credential)).valid


def test_a_credential_signed_by_a_stranger_is_not_accepted(school) -> None:
    from app.credentials import keys, proof

    complete(school, "sanne")
    cert = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    unsigned = {k: v for k, v in copy.deepcopy(cert.credential).items() if k != "proof"}
    stranger = keys.generate_key()
    method = keys.verification_method(stranger.public_key())
    unsigned["issuer"]["id"] = method.split("#")[0]  # a forger signs as themselves, under the school's name
    resigned = proof.sign(unsigned, stranger, method)
    check = services.verify_document(db.session, resigned)
    assert check.signature_valid and not check.issuer_known and not check.valid


def test_revocation_is_published_in_the_status_list(school) -> None:
    complete(school, "sanne")
    cert = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    with pytest.raises(services.CertificateError, match="say why"):
        services.revoke(db.session, committee(school), cert, "  ", PASSWORD)
    services.revoke(db.session, committee(school), cert, "Fraud established by the exam committee", PASSWORD)
    listing = services.status_list_credential(db.session, school["org"])
    bits = status_lists.decode_bitstring(listing["credentialSubject"]["encodedList"])
    assert status_lists.is_set(bits, cert.status_index)
    assert sum(bin(byte).count("1") for byte in bits) == 1  # only the revoked one
    assert len(bits) * 8 >= 131072
    check = services.verify_document(db.session, copy.deepcopy(cert.credential))
    assert check.signature_valid and check.revoked and not check.valid


def test_bulk_issuing_reports_who_has_not_earned_it_and_never_issues_twice(school) -> None:
    complete(school, "sanne")
    complete(school, "daan")
    services.issue(db.session, committee(school), school["daan"], school["p3"], rules.PROGRAMME)
    run = services.start_batch(db.session, committee(school), school["p3"], rules.PROGRAMME)  # eager in tests
    run = db.session.get(CertificateBatch, run.id)
    by_student = {o["student"]: o["result"] for o in run.outcomes}
    assert by_student == {"Daan": "skipped", "Lotte": "refused", "Sanne": "issued"}
    assert (run.status, run.done, run.issued) == ("done", 3, 1)
    again = services.start_batch(db.session, committee(school), school["p3"], rules.PROGRAMME)
    assert {o["result"] for o in db.session.get(CertificateBatch, again.id).outcomes} == {"skipped", "refused"}
    standing = db.session.scalar(select(func.count()).select_from(Certificate).where(Certificate.revoked_at.is_(None)))
    assert standing == 2


def test_an_issued_certificate_and_the_status_list_verify_with_an_independent_verifier(school, tmp_path, node) -> None:  # noqa: F811
    """Digital Bazaar's verifier (Node, offline, the pinned contexts): the credential as issued holds, and
    after one changed character it does not; the signed status list holds too."""

    complete(school, "sanne")
    cert = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    assert independent_verify(node, copy.deepcopy(cert.credential), tmp_path)["verified"] is True
    forged = copy.deepcopy(cert.credential)
    forged["credentialSubject"]["achievement"]["name"] = forged["credentialSubject"]["achievement"]["name"] + "!"
    assert independent_verify(node, forged, tmp_path)["verified"] is False
    listing = services.status_list_credential(db.session, school["org"])
    assert independent_verify(node, listing, tmp_path)["verified"] is True


def test_status_list_positions_are_random_and_never_reused(school) -> None:
    for student in ("sanne", "daan", "lotte"):
        complete(school, student)
    certs = [
        services.issue(db.session, committee(school), school[s], school["p3"], rules.PROGRAMME)
        for s in ("sanne", "daan", "lotte")
    ]
    services.revoke(db.session, committee(school), certs[0], "test", PASSWORD)
    again = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    indexes = [c.status_index for c in [*certs, again]]
    assert len(set(indexes)) == 4  # the revoked certificate keeps its position; a new one gets another
    assert indexes != sorted(indexes) or max(indexes) > 3  # not handed out in order from zero
