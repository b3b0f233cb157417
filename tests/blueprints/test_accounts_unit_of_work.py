"""The accounts pages keep to one unit of work per request: a refused multi-step operation leaves nothing
behind, a GET writes nothing, and an API call records only its token's last use."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts import services
from app.accounts.models import ApiToken, AuditEvent, Membership, Organisation, Role, User
from app.audit import Actor
from app.extensions import db
from tests.blueprints.test_accounts import audit_actions, sign_in, upload, world  # noqa: F401
from tests.conftest import csrf_token


def test_refused_role_change_keeps_the_role_revoked_before_the_refusal(client, world, app) -> None:  # noqa: F811
    org, uid = world["org"], world["ids"]["org_admin"]
    with app.app_context():
        admin, school = db.session.get(User, uid), db.session.get(Organisation, org)
        services.grant_role(db.session, Actor.system("tests"), admin, school, Role.ASSESSOR)
        db.session.commit()
    revoked_before = audit_actions(app).count("membership.revoked")
    sign_in(client, "org_admin@test.example")
    # Taking both roles away revokes "assessor" first (flushed), then refuses to drop the own admin role.
    resp = client.post(f"/orgs/{org}/members/{uid}", data={"csrf_token": csrf_token(client, f"/orgs/{org}")})
    assert "you cannot remove your own administrator role" in resp.get_data(as_text=True)
    with app.app_context():
        roles = set(
            db.session.scalars(
                select(Membership.role).where(Membership.user_id == uid, Membership.organisation_id == org)
            )
        )
        assert roles == {Role.ASSESSOR, Role.ORG_ADMIN}
    assert audit_actions(app).count("membership.revoked") == revoked_before


def test_import_refused_after_its_rows_were_written_leaves_no_account(client, world, app, monkeypatch) -> None:  # noqa: F811
    sign_in(client, "org_admin@test.example")
    good = "email,name\nnieuw@test.example,Nieuwe Student\n"
    html = upload(client, world["org"], world["cohort"], good).get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', html).group(1)

    def refuse(*args, **kwargs):
        raise services.AccountError("the import was refused at its last step")

    monkeypatch.setattr("app.accounts.csv_import.record", refuse)  # after every row was invited and flushed
    resp = client.post(
        f"/orgs/{world['org']}/cohorts/{world['cohort']}/import",
        data={"csv_text": good, "role": "student", "digest": digest, "csrf_token": csrf_token(client, "/account/")},
    )
    assert resp.status_code == 400
    assert "the import was refused at its last step" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "nieuw@test.example")) is None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.summary == "nieuw@test.example")) is None


def test_a_get_of_the_member_list_cannot_write(client, world, app, monkeypatch) -> None:  # noqa: F811
    from app.blueprints.orgs import people

    reading = people.members_of

    def members_of_and_write(*args, **kwargs):
        services.create_organisation(db.session, Actor.system("tests"), name="Written on a GET", kind="school")
        return reading(*args, **kwargs)

    monkeypatch.setattr(people, "members_of", members_of_and_write)
    sign_in(client, "org_admin@test.example")
    assert client.get(f"/orgs/{world['org']}/members").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Organisation).where(Organisation.name == "Written on a GET")) is None


def test_an_api_call_records_the_tokens_last_use(client, world, app) -> None:  # noqa: F811
    secret = world["secrets"]["student"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    with app.app_context():
        assert db.session.get(ApiToken, world["token_ids"]["student"]).last_used_at is not None
