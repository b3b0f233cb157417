"""A refused multi-step operation writes nothing: the service flushed its first rows, then refused; after
the request none of them is there (one unit of work per request, rolled back on a refusal)."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import AuditEvent, OrgKind, Role
from app.assessment import services as a
from app.assessment import settling
from app.assessment.errors import AssessmentError
from app.assessment.models import Assessment, AssessmentStatus
from app.audit import Actor
from app.certificates.errors import CertificateError
from app.certificates.models import Certificate, IssuerKey, StatusList
from app.domain import N_
from app.extensions import db
from app.portfolio.programme import load_programme
from app.standards.models import Framework
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token
from tests.factories import PASSWORD


@pytest.fixture
def settling_exam(app) -> dict[str, object]:
    """An e-CF cohort whose student has a formative assessment by one assessor, submitted and settled:
    one signature away from final."""
    with app.app_context():
        actor = Actor.system("tests")
        s = db.session
        fw = s.scalar(select(Framework).where(Framework.code == "ecf-profile-online-community-manager"))
        org = accounts.create_organisation(s, actor, name="Horizon", kind=OrgKind.SCHOOL)
        people = {
            k: accounts.create_user(s, actor, email=f"{k}@test.example", name=k.title(), password=PASSWORD)
            for k in ["sanne", "anouk", "marieke"]
        }
        accounts.grant_role(s, actor, people["marieke"], org, Role.EXAM_COMMITTEE)
        cohort = accounts.create_cohort(s, actor, org, name="OCM", year="2026", framework_id=fw.id, profile_key=None)
        accounts.add_to_cohort(s, actor, cohort, people["sanne"], Role.STUDENT)
        accounts.add_to_cohort(s, actor, cohort, people["anouk"], Role.ASSESSOR)
        node = load_programme(s, cohort).claimable[0]
        assessor = Actor(user=people["anouk"])
        x = a.create_assessment(
            s, assessor, people["sanne"], cohort, a.NewAssessment("formative", [node.key], [people["anouk"].id])
        )
        a.save_judgement(s, assessor, x, a.JudgementInput(node.key, node.required.value, {}))
        a.submit(s, assessor, x)
        s.commit()
        ids = {"assessment": x.id, "cohort": cohort.id, "org": org.id, "key": node.key, "sanne": people["sanne"].id}
        db.session.remove()
    return ids


def _events(assessment_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.target_type == "assessment", AuditEvent.target_id == assessment_id
            )
        )
    )


def test_a_signature_refused_after_finalising_was_flushed_leaves_the_assessment_unsigned(
    client, app, settling_exam, monkeypatch
) -> None:
    x = settling_exam["assessment"]
    with app.app_context():
        events_before = _events(x)
    real_finalise = settling._finalise

    def finalise_then_refuse(session, actor, assessment):
        real_finalise(session, actor, assessment)
        session.flush()  # the final status and the audit rows reached the database
        raise AssessmentError(N_("only a settled assessment can be signed"))

    monkeypatch.setattr(settling, "_finalise", finalise_then_refuse)
    sign_in(client, "anouk@test.example")
    page = f"/assess/{x}"
    calls = []
    monkeypatch.setattr(settling, "_finalise", lambda *args: calls.append(args) or finalise_then_refuse(*args))
    data = {"csrf_token": csrf_token(client, page), "password": PASSWORD}
    response = client.post(f"{page}/sign", data=data, follow_redirects=True)
    assert response.status_code == 200 and calls, "the signature reached the final step"
    assert "only a settled assessment can be signed" in response.get_data(as_text=True)
    with app.app_context():
        assessment = db.session.get(Assessment, x)
        assert assessment.status == AssessmentStatus.SETTLING
        assert assessment.finalised_at is None
        assert all(entry.signed_at is None for entry in assessment.assessors)
        assert _events(x) == events_before  # no "assessment.sign", no "assessment.final"


def test_an_issue_refused_after_the_key_list_and_certificate_were_flushed_writes_none_of_them(
    client, app, settling_exam
) -> None:
    x = settling_exam["assessment"]
    sign_in(client, "anouk@test.example")
    page = f"/assess/{x}"
    client.post(f"{page}/sign", data={"csrf_token": csrf_token(client, page), "password": PASSWORD})
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, "marieke@test.example")
    page = f"/certificates/cohorts/{settling_exam['cohort']}"
    form = {
        "csrf_token": csrf_token(client, page),
        "student": str(settling_exam["sanne"]),
        "scope": settling_exam["key"],
        "confirm": "1",  # from the preview's confirm button
    }
    refusal = CertificateError(N_("the organisation's status list is half full: start a new list before issuing more"))
    with patch("app.certificates.pdf.render_certificate", side_effect=refusal):
        response = client.post(f"{page}/issue", data=form, follow_redirects=True)
    assert response.status_code == 200
    assert "status list is half full" in response.get_data(as_text=True)
    with app.app_context():
        org = settling_exam["org"]
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
        assert db.session.scalar(select(func.count()).where(IssuerKey.organisation_id == org)) == 0
        assert db.session.scalar(select(func.count()).where(StatusList.organisation_id == org)) == 0
        assert db.session.get(Assessment, x).status == AssessmentStatus.FINAL  # the signature, an earlier request
