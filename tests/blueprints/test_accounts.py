"""Signing in, sessions, throttling, invitations, roles, import, tokens and the audit log over HTTP."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.accounts.models import AuditEvent, Cohort, User
from app.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD, build_world


@pytest.fixture
def world(app):
    with app.app_context():
        w = build_world()
        ids = {k: u.id for k, u in w.users.items()}
        data = {"ids": ids, **w.ids(), "secrets": dict(w.secrets), "token_ids": {k: t.id for k, t in w.tokens.items()}}
        db.session.remove()
    return data


def sign_in(client, email: str, password: str = PASSWORD, next_url: str | None = None):
    token = csrf_token(client, "/sign-in")
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password, "csrf_token": token})


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_sign_in_and_out(client, world, app) -> None:
    resp = sign_in(client, "student@test.example", next_url="/account/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/account/"
    page = client.get("/account/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "student@test.example" in page.get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})
    assert client.get("/account/").status_code == 302
    assert audit_actions(app)[-2:] == ["auth.signed_in", "auth.signed_out"]


def test_wrong_password_is_refused_with_a_clear_message_and_audited(client, world, app) -> None:
    resp = sign_in(client, "student@test.example", "wrong password here")
    assert resp.status_code == 200
    assert "The email address or password is not right." in resp.get_data(as_text=True)
    assert audit_actions(app)[-1] == "auth.sign_in_failed"


def test_unknown_email_gets_the_same_message(client, world) -> None:
    resp = sign_in(client, "nobody@test.example", "whatever whatever")
    assert "The email address or password is not right." in resp.get_data(as_text=True)


def test_redirect_after_sign_in_stays_on_site(client, world) -> None:
    resp = sign_in(client, "student@test.example", next_url="//evil.example/")
    assert resp.headers["Location"] == "/"


def test_failed_sign_ins_are_throttled_per_account(client, world, app) -> None:
    for _ in range(10):
        assert sign_in(client, "assessor@test.example", "not the password!").status_code == 200
    resp = sign_in(client, "assessor@test.example", PASSWORD)  # even the right password waits now
    assert resp.status_code == 429
    assert "Too many attempts" in resp.get_data(as_text=True)
    # Another account from the same client is not blocked by this account's failures.
    assert sign_in(client, "student@test.example").status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_limit(client, world) -> None:
    for _ in range(12):
        assert sign_in(client, "student@test.example").status_code == 302
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})


def test_session_cookie_flags(client, world) -> None:
    resp = sign_in(client, "student@test.example")
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_out_everywhere_ends_copied_sessions(app, world) -> None:
    first, second = app.test_client(), app.test_client()
    sign_in(first, "student@test.example")
    sign_in(second, "student@test.example")
    assert second.get("/account/").status_code == 200
    first.post("/sign-out-everywhere", data={"csrf_token": csrf_token(first, "/account/")})
    assert second.get("/account/").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, world) -> None:
    me, elsewhere = app.test_client(), app.test_client()
    sign_in(me, "student@test.example")
    sign_in(elsewhere, "student@test.example")
    token = csrf_token(me, "/account/")
    resp = me.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "violet tram orchard nine",
            "confirm": "violet tram orchard nine",
            "csrf_token": token,
        },
    )
    assert resp.status_code == 302
    assert me.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Field must be between 12"),
        ("password1234", "too common"),
        ("student@test.example!!", "name or email address"),
    ],
)
def test_weak_passwords_are_refused_with_reasons(client, world, password: str, message: str) -> None:
    sign_in(client, "student@test.example")
    token = csrf_token(client, "/account/")
    resp = client.post(
        "/account/password", data={"current": PASSWORD, "password": password, "confirm": password, "csrf_token": token}
    )
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)


def test_long_passphrases_are_accepted_untruncated(client, world, app) -> None:
    long_pw = "lange zin " * 20
    sign_in(client, "student@test.example")
    token = csrf_token(client, "/account/")
    client.post(
        "/account/password", data={"current": PASSWORD, "password": long_pw, "confirm": long_pw, "csrf_token": token}
    )
    fresh = app.test_client()
    assert sign_in(fresh, "student@test.example", long_pw[:-1]).status_code == 200
    assert sign_in(fresh, "student@test.example", long_pw).status_code == 302


def test_admin_invites_a_person_who_sets_a_password_once(app, world) -> None:
    admin = app.test_client()
    sign_in(admin, "org_admin@test.example")
    org = world["org"]
    token = csrf_token(admin, f"/orgs/{org}/members/invite")
    resp = admin.post(
        f"/orgs/{org}/members/invite",
        data={
            "email": "New.Person@Test.example",
            "name": "New Person",
            "language": "nl",
            "roles": ["assessor"],
            "csrf_token": token,
        },
    )
    html = resp.get_data(as_text=True)
    link = re.search(r'id="invite-link">([^<]+)<', html).group(1)
    path = urlsplit(link).path
    newcomer = app.test_client()
    page = newcomer.get(path)
    assert "new.person@test.example" in page.get_data(as_text=True)
    resp = newcomer.post(
        path,
        data={
            "password": "amber kettle lighthouse",
            "confirm": "amber kettle lighthouse",
            "csrf_token": csrf_token(newcomer, path),
        },
    )
    assert resp.status_code == 302
    assert newcomer.get("/account/").status_code == 200
    assert app.test_client().get(path).status_code == 404  # single use


def test_invitation_form_names_bad_input(client, world) -> None:
    sign_in(client, "org_admin@test.example")
    org = world["org"]
    resp = client.post(
        f"/orgs/{org}/members/invite",
        data={
            "email": "not-an-email",
            "name": "",
            "language": "nl",
            "roles": [],
            "csrf_token": csrf_token(client, f"/orgs/{org}/members/invite"),
        },
    )
    html = resp.get_data(as_text=True)
    assert "This field is required." in html
    assert 'aria-invalid="true"' in html


def test_forms_without_csrf_token_are_refused(client, world, app) -> None:
    sign_in(client, "org_admin@test.example")
    org = world["org"]
    resp = client.post(
        f"/orgs/{org}/members/invite",
        data={"email": "x@test.example", "name": "X", "language": "nl", "roles": ["student"]},
    )
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "x@test.example")) is None


CSV = (
    "email;naam;taal\n"
    "anna@test.example;Anna de Wit;nl\n"
    "student@test.example;Student;nl\n"
    "bad-address;Bad Row;nl\n"
    "anna@test.example;Anna Again;nl\n"
    "bob@test.example;;en\n"
    "carl@test.example;Carl;fr\n"
)


def upload(client, org: int, cohort: int, text: str, role: str = "student"):
    token = csrf_token(client, f"/orgs/{org}/cohorts/{cohort}/import")
    return client.post(
        f"/orgs/{org}/cohorts/{cohort}/import",
        data={"file": (io.BytesIO(text.encode("utf-8")), "klas.csv"), "role": role, "csrf_token": token},
        content_type="multipart/form-data",
    )


def test_csv_import_previews_and_refuses_bad_rows_with_reasons_writing_nothing(client, world, app) -> None:
    sign_in(client, "org_admin@test.example")
    with app.app_context():
        users_before = db.session.scalar(select(func.count()).select_from(User))
    resp = upload(client, world["org"], world["cohort"], CSV)
    html = resp.get_data(as_text=True)
    # An unknown address is invited (the label does not say whether an account exists: issue 10).
    assert '<tr class="row-invite"><td>2</td><td>anna@test.example</td>' in html
    assert "already in the cohort" in html
    assert "&#39;bad-address&#39; is not a valid email address" in html
    assert "anna@test.example appears twice (also on line 2)" in html
    assert "name is missing" in html
    assert "language must be one of en, nl (found &#39;fr&#39;)" in html
    assert "Import 6 rows" not in html  # no confirm button while rows are refused
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == users_before


def test_csv_import_applies_all_rows_after_confirmation(client, world, app) -> None:
    sign_in(client, "org_admin@test.example")
    good = "email,name\nanna@test.example,Anna de Wit\nstudent@test.example,Student\n"
    html = upload(client, world["org"], world["cohort"], good).get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', html).group(1)
    resp = client.post(
        f"/orgs/{world['org']}/cohorts/{world['cohort']}/import",
        data={"csv_text": good, "role": "student", "digest": digest, "csrf_token": csrf_token(client, "/account/")},
    )
    html = resp.get_data(as_text=True)
    assert "Invited: 1 · added: 0 · already in Class A: 1." in html
    with app.app_context():
        cohort = db.session.get(Cohort, world["cohort"])
        assert "anna@test.example" in {s.email for s in cohort.students}
    assert "import.applied" in audit_actions(app)


def test_csv_import_confirm_refuses_a_changed_plan(client, world, app) -> None:
    sign_in(client, "org_admin@test.example")
    good = "email,name\nanna@test.example,Anna de Wit\n"
    resp = client.post(
        f"/orgs/{world['org']}/cohorts/{world['cohort']}/import",
        data={"csv_text": good, "role": "student", "digest": "0" * 64, "csrf_token": csrf_token(client, "/account/")},
    )
    assert "The data changed since the preview" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "anna@test.example")) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("naam,woonplaats\nA,B\n", "must name the columns email and name"),
        ("email,name\n", "has a header but no rows"),
        ("MZ\x90\x00\x03\x00\x00\x00", "this is not a text file"),
    ],
)
def test_csv_import_refuses_unreadable_files(client, world, content: str, message: str) -> None:
    sign_in(client, "org_admin@test.example")
    assert message in upload(client, world["org"], world["cohort"], content).get_data(as_text=True)


def test_roles_change_and_are_audited(client, world, app) -> None:
    sign_in(client, "org_admin@test.example")
    org, uid = world["org"], world["ids"]["assessor_elsewhere"]
    token = csrf_token(client, f"/orgs/{org}/members/{uid}")
    resp = client.post(
        f"/orgs/{org}/members/{uid}", data={"roles": ["assessor", "curriculum_lead"], "csrf_token": token}
    )
    assert resp.status_code == 302
    assert "membership.granted" in audit_actions(app)


def test_admin_cannot_remove_own_admin_role(client, world) -> None:
    sign_in(client, "org_admin@test.example")
    org, uid = world["org"], world["ids"]["org_admin"]
    resp = client.post(
        f"/orgs/{org}/members/{uid}", data={"roles": ["assessor"], "csrf_token": csrf_token(client, f"/orgs/{org}")}
    )
    assert "you cannot remove your own administrator role" in resp.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(client, world, app) -> None:
    sign_in(client, "org_admin@test.example")
    org, uid = world["org"], world["ids"]["student"]
    client.post(f"/orgs/{org}/members/{uid}/active", data={"active": "0", "csrf_token": csrf_token(client, "/")})
    assert sign_in(app.test_client(), "student@test.example").status_code == 200


def test_audit_log_filters(client, world) -> None:
    sign_in(client, "org_admin@test.example")
    html = client.get(f"/orgs/{world['org']}/audit?action=cohort.").get_data(as_text=True)
    assert "cohort.student_added" in html
    assert "membership.granted" not in html
    html = client.get(f"/orgs/{world['org']}/audit?actor=tests").get_data(as_text=True)
    assert "cohort.student_added" in html and "membership.granted" in html
    # Sign-ins belong to no organisation (issue 10, finding 3): the admin's own are on their account page.
    html = client.get(f"/orgs/{world['org']}/audit?actor=org_admin@test.example").get_data(as_text=True)
    assert "auth.signed_in" not in html
    assert "auth.signed_in" not in client.get(f"/orgs/{world['org']}/audit").get_data(as_text=True)


def test_audit_log_is_append_only(app, world) -> None:
    from app.audit import AuditLogIsAppendOnly

    with app.app_context():
        event = db.session.scalars(select(AuditEvent)).first()
        event.summary = "rewritten"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.delete(db.session.scalars(select(AuditEvent)).first())
            db.session.flush()
        db.session.rollback()


def test_audit_entries_cannot_be_forged_with_newlines(client, world, app) -> None:
    sign_in(client, "evil@test.example\r\n2026-01-01 admin signed in", "whatever whatever")
    with app.app_context():
        labels = list(
            db.session.scalars(select(AuditEvent.actor_label).where(AuditEvent.action == "auth.sign_in_failed"))
        )
    assert labels and all("\n" not in label and "\r" not in label for label in labels)


def test_api_token_scopes_and_revocation(client, world, app) -> None:
    secret = world["secrets"]["student"]
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 200
    assert resp.get_json()["email"] == "student@test.example"
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer bkw_forged"}).status_code == 401
    # The student's token has organisation:read but the student is no admin: members are refused.
    members = client.get(f"/api/v1/organisations/{world['org']}/members", headers={"Authorization": f"Bearer {secret}"})
    assert members.status_code == 403
    sign_in(client, "student@test.example")
    tid = world["token_ids"]["student"]
    client.post(f"/account/tokens/{tid}/revoke", data={"csrf_token": csrf_token(client, "/account/tokens")})
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    actions = audit_actions(app)
    assert "api_token.created" in actions and "api_token.revoked" in actions


def test_api_token_is_shown_once_and_stored_hashed(client, world, app) -> None:
    sign_in(client, "hr@test.example")
    resp = client.post(
        "/account/tokens",
        data={"name": "script", "scopes": ["profile:read"], "csrf_token": csrf_token(client, "/account/tokens")},
    )
    secret = re.search(r'id="new-token">([^<]+)<', resp.get_data(as_text=True)).group(1)
    assert secret.startswith("bkw_")
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    from app.accounts.models import ApiToken

    with app.app_context():
        assert secret not in {t.token_hash for t in db.session.scalars(select(ApiToken))}
    limited = client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {secret}"})
    assert limited.status_code == 403
    assert "lacks the scope organisation:read" in limited.get_json()["error"]["message"]


def test_admin_token_lists_own_members_but_not_another_organisations(client, world) -> None:
    secret = world["secrets"]["org_admin"]
    own = client.get(f"/api/v1/organisations/{world['org']}/members", headers={"Authorization": f"Bearer {secret}"})
    assert own.status_code == 200
    assert "student@test.example" in {m["email"] for m in own.get_json()["members"]}
    foreign = client.get(
        f"/api/v1/organisations/{world['other_org']}/members", headers={"Authorization": f"Bearer {secret}"}
    )
    assert foreign.status_code == 404


def test_people_see_only_their_own_world(client, world) -> None:
    sign_in(client, "student@test.example")
    html = client.get("/").get_data(as_text=True)
    assert "Test School" in html and "Class A" in html
    assert "Other School" not in html
    assert "Other School" not in client.get("/orgs/").get_data(as_text=True)


def test_member_list_query_count_does_not_grow_with_members(client, world, app, count_queries) -> None:
    sign_in(client, "org_admin@test.example")
    client.get(f"/orgs/{world['org']}/members")
    count_queries.reset()
    client.get(f"/orgs/{world['org']}/members")
    few = count_queries.count
    with app.app_context():
        from app.accounts import services
        from app.accounts.models import Organisation, Role
        from app.audit import Actor

        org = db.session.get(Organisation, world["org"])
        for i in range(30):
            user = services.create_user(db.session, Actor.system(), email=f"extra{i}@test.example", name=f"Extra {i}")
            services.grant_role(db.session, Actor.system(), user, org, Role.STUDENT)
        db.session.commit()
    count_queries.reset()
    html = client.get(f"/orgs/{world['org']}/members").get_data(as_text=True)
    assert "extra29@test.example" in html
    assert count_queries.count == few


def test_links_use_the_public_address_not_the_requests_host_header(app, world, monkeypatch) -> None:
    """A forged Host header must not end up in an invitation (or reset) link: that is how reset links get
    poisoned. Links are built on PUBLIC_BASE_URL."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://bekwaam.school.example")
    admin = app.test_client()
    admin.environ_base["HTTP_HOST"] = "evil.example"  # every request of this client claims another host
    sign_in(admin, "org_admin@test.example")
    org = world["org"]
    token = csrf_token(admin, f"/orgs/{org}/members/invite")
    resp = admin.post(
        f"/orgs/{org}/members/invite",
        data={
            "email": "host@test.example",
            "name": "Host Test",
            "language": "en",
            "roles": ["student"],
            "csrf_token": token,
        },
    )
    link = re.search(r'id="invite-link">([^<]+)<', resp.get_data(as_text=True)).group(1)
    assert link.startswith("https://bekwaam.school.example/invitation/")
    assert "evil.example" not in link
