"""Issue 10: accounts belong to their owners.

Another organisation's administrator must not attach an existing account (invite, add assessor, CSV import),
learn who it is, or take it over with a link or lock it out. Each test here failed on the code before the fix.
"""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.accounts.models import Cohort, Invitation, InvitationStatus, Membership, OneTimeLink, User
from app.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD, build_world

VICTIMS = ["org_admin", "platform_admin", "student"]


@pytest.fixture
def world(app):
    with app.app_context():
        w = build_world()
        data = {"ids": {k: u.id for k, u in w.users.items()}, **w.ids(), "secrets": dict(w.secrets)}
        db.session.remove()
    return data


def sign_in(client, email: str, password: str = PASSWORD):
    token = csrf_token(client, "/sign-in")
    resp = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})
    assert resp.status_code == 302, f"{email} could not sign in"
    return resp


def as_user(app, key: str):
    client = app.test_client()
    sign_in(client, f"{key}@test.example")
    return client


def memberships(app, user_id: int) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Membership.organisation_id).where(Membership.user_id == user_id)))


def invite(client, org: int, email: str, name: str = "Someone", roles=("org_admin",)):
    return client.post(
        f"/orgs/{org}/members/invite",
        data={
            "email": email,
            "name": name,
            "language": "en",
            "roles": list(roles),
            "csrf_token": csrf_token(client, f"/orgs/{org}/members/invite"),
        },
    )


def add_assessor(client, org: int, cohort: int, email: str):
    return client.post(
        f"/orgs/{org}/cohorts/{cohort}/assessors",
        data={"email": email, "csrf_token": csrf_token(client, f"/orgs/{org}/cohorts/{cohort}")},
    )


def normalised(html: str, email: str) -> str:
    """The page with what legitimately differs (the typed address, the random link and tokens) blanked."""
    html = html.replace(email, "EMAIL")
    html = re.sub(r'id="invite-link">[^<]+<', 'id="invite-link">LINK<', html)
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "CSRF", html)


@pytest.mark.parametrize("victim", VICTIMS)
def test_inviting_an_existing_account_attaches_nothing_until_its_owner_accepts(app, world, victim) -> None:
    attacker = as_user(app, "foreign_admin")
    victim_id = world["ids"][victim]
    before = memberships(app, victim_id)
    resp = invite(attacker, world["other_org"], f"{victim}@test.example")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert victim.replace("_", " ").title() not in html  # the account's name is not shown
    assert memberships(app, victim_id) == before  # nothing attached
    # No account-wide control: the member page, a link, deactivation all answer 404 for a non-member.
    base = f"/orgs/{world['other_org']}/members/{victim_id}"
    assert attacker.get(base).status_code == 404
    token = csrf_token(attacker, f"/orgs/{world['other_org']}/members")
    assert attacker.post(base + "/link", data={"csrf_token": token}).status_code == 404
    assert attacker.post(base + "/active", data={"active": "0", "csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.get(User, victim_id).active
        assert db.session.scalar(select(OneTimeLink).where(OneTimeLink.user_id == victim_id)) is None


def test_invite_answers_the_same_for_known_and_unknown_addresses(app, world) -> None:
    attacker = as_user(app, "foreign_admin")
    known = invite(attacker, world["other_org"], "org_admin@test.example", name="Typed Name")
    unknown = invite(attacker, world["other_org"], "nobody-yet@test.example", name="Typed Name")
    assert known.status_code == unknown.status_code == 200
    assert normalised(known.get_data(as_text=True), "org_admin@test.example") == normalised(
        unknown.get_data(as_text=True), "nobody-yet@test.example"
    )


@pytest.mark.parametrize("victim", VICTIMS)
def test_add_assessor_by_email_invites_and_does_not_attach(app, world, victim) -> None:
    attacker = as_user(app, "foreign_admin")
    victim_id = world["ids"][victim]
    before = memberships(app, victim_id)
    resp = add_assessor(attacker, world["other_org"], world["other_cohort"], f"{victim}@test.example")
    assert resp.status_code == 200
    assert victim.replace("_", " ").title() not in resp.get_data(as_text=True)
    assert memberships(app, victim_id) == before
    with app.app_context():
        cohort = db.session.get(Cohort, world["other_cohort"])
        assert victim_id not in {a.id for a in cohort.assessors}
        pending = db.session.scalar(select(Invitation).where(Invitation.user_id == victim_id))
        assert pending is not None and pending.status == InvitationStatus.PENDING


def test_add_assessor_answers_the_same_for_known_and_unknown_addresses(app, world) -> None:
    attacker = as_user(app, "foreign_admin")
    known = add_assessor(attacker, world["other_org"], world["other_cohort"], "org_admin@test.example")
    unknown = add_assessor(attacker, world["other_org"], world["other_cohort"], "fresh@test.example")
    assert normalised(known.get_data(as_text=True), "org_admin@test.example") == normalised(
        unknown.get_data(as_text=True), "fresh@test.example"
    )


def upload(client, org: int, cohort: int, text: str, role: str = "assessor"):
    return client.post(
        f"/orgs/{org}/cohorts/{cohort}/import",
        data={
            "file": (io.BytesIO(text.encode("utf-8")), "klas.csv"),
            "role": role,
            "csrf_token": csrf_token(client, f"/orgs/{org}/cohorts/{cohort}/import"),
        },
        content_type="multipart/form-data",
    )


def test_csv_import_invites_existing_accounts_and_the_preview_does_not_tell_them_apart(app, world) -> None:
    attacker = as_user(app, "foreign_admin")
    org, cohort = world["other_org"], world["other_cohort"]
    csv = "email,name\norg_admin@test.example,A\nplatform_admin@test.example,B\nnew-one@test.example,C\n"
    html = upload(attacker, org, cohort, csv).get_data(as_text=True)
    rows = re.findall(r'<tr class="row-([a-z]+)"><td>\d+</td><td>([^<]+)</td>', html)
    assert rows == [
        ("invite", "org_admin@test.example"),
        ("invite", "platform_admin@test.example"),
        ("invite", "new-one@test.example"),
    ]
    assert "deactivated" not in html and "Org Admin" not in html
    # The digest of the preview is the same as for three unknown addresses (no offline enumeration).
    digest = re.search(r'name="digest" type="hidden" value="([^"]+)"', html).group(1)
    with app.app_context():
        from app.accounts import csv_import

        group = db.session.get(Cohort, cohort)
        rows_in = csv_import.parse(csv)
        plan = csv_import.plan_import(db.session, group, csv_import.Role.ASSESSOR, rows_in)
        assert plan.digest() == digest
    resp = attacker.post(
        f"/orgs/{org}/cohorts/{cohort}/import",
        data={"csv_text": csv, "role": "assessor", "digest": digest, "csrf_token": csrf_token(attacker, "/")},
    )
    assert "Invited: 3 · added: 0" in resp.get_data(as_text=True)
    for victim in ("org_admin", "platform_admin"):
        assert world["other_org"] not in memberships(app, world["ids"][victim])
    with app.app_context():
        group = db.session.get(Cohort, cohort)
        assert {a.email for a in group.assessors} == {"new-one@test.example"}
        created = db.session.scalar(select(User).where(User.email == "new-one@test.example"))
        assert created.created_by_organisation_id == org


def _pending(app, user_id: int) -> Invitation:
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.user_id == user_id, Invitation.status == InvitationStatus.PENDING)
        )
        assert invitation is not None
        db.session.expunge(invitation)
        return invitation


def test_owner_sees_the_invitation_and_accepting_attaches_the_roles(app, world) -> None:
    attacker = as_user(app, "foreign_admin")
    resp = invite(attacker, world["other_org"], "student@test.example", roles=("assessor",))
    link = re.search(r'id="invite-link">([^<]+)<', resp.get_data(as_text=True)).group(1)
    path = urlsplit(link).path
    # Anyone holding the link, signed out or signed in as someone else, can do nothing with it.
    anonymous = app.test_client().get(path).get_data(as_text=True)
    assert "Sign in with student@test.example" in anonymous and 'name="password"' not in anonymous
    assert "for another account" in attacker.get(path).get_data(as_text=True)
    owner = as_user(app, "student")
    assert "Other School" in owner.get("/").get_data(as_text=True)  # shown on the dashboard
    page = owner.get(path).get_data(as_text=True)
    assert "Accept" in page and "Decline" in page
    invitation = _pending(app, world["ids"]["student"])
    resp = owner.post(f"/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(owner, "/invitations/")})
    assert resp.status_code == 302
    assert world["other_org"] in memberships(app, world["ids"]["student"])
    # The account still belongs to its owner: the new organisation gets no account-wide control over it.
    base = f"/orgs/{world['other_org']}/members/{world['ids']['student']}"
    assert attacker.get(base).status_code == 200
    token = csrf_token(attacker, base)
    assert attacker.post(base + "/link", data={"csrf_token": token}).status_code == 403
    assert attacker.post(base + "/active", data={"active": "0", "csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(User, world["ids"]["student"]).active


def test_declined_and_withdrawn_invitations_attach_nothing(app, world) -> None:
    attacker = as_user(app, "foreign_admin")
    invite(attacker, world["other_org"], "student@test.example", roles=("assessor",))
    owner = as_user(app, "student")
    invitation = _pending(app, world["ids"]["student"])
    owner.post(f"/invitations/{invitation.id}/decline", data={"csrf_token": csrf_token(owner, "/invitations/")})
    assert world["other_org"] not in memberships(app, world["ids"]["student"])
    resp = owner.post(f"/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(owner, "/invitations/")})
    assert resp.status_code == 302
    assert world["other_org"] not in memberships(app, world["ids"]["student"])  # a declined one stays declined
    invite(attacker, world["other_org"], "student@test.example", roles=("assessor",))
    second = _pending(app, world["ids"]["student"])
    members = attacker.get(f"/orgs/{world['other_org']}/members").get_data(as_text=True)
    # The address typed, and neither the account's name nor a page about it.
    assert "student@test.example" in members
    assert f'/members/{world["ids"]["student"]}"' not in members and ">Student</a></td>" not in members
    attacker.post(
        f"/orgs/{world['other_org']}/invitations/{second.id}/withdraw",
        data={"csrf_token": csrf_token(attacker, f"/orgs/{world['other_org']}/members")},
    )
    owner.post(f"/invitations/{second.id}/accept", data={"csrf_token": csrf_token(owner, "/invitations/")})
    assert world["other_org"] not in memberships(app, world["ids"]["student"])


def test_another_person_cannot_answer_someone_elses_invitation(app, world) -> None:
    attacker = as_user(app, "foreign_admin")
    invite(attacker, world["other_org"], "student@test.example", roles=("assessor",))
    invitation = _pending(app, world["ids"]["student"])
    other = as_user(app, "other_student")
    resp = other.post(f"/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(other, "/invitations/")})
    assert resp.status_code == 404
    assert world["other_org"] not in memberships(app, world["ids"]["other_student"])
    assert world["other_org"] not in memberships(app, world["ids"]["student"])


def test_a_reset_link_for_an_account_with_a_password_is_never_shown(app, world) -> None:
    admin = as_user(app, "org_admin")
    base = f"/orgs/{world['org']}/members/{world['ids']['student']}"
    html = admin.post(base + "/link", data={"csrf_token": csrf_token(admin, base)}).get_data(as_text=True)
    assert "/password/reset/" not in html
    assert "only to the person&#39;s own mailbox" in html or "only to the person's own mailbox" in html
    with app.app_context():
        assert db.session.scalar(select(OneTimeLink).where(OneTimeLink.user_id == world["ids"]["student"])) is None


def test_an_invitation_link_for_an_own_account_without_password_is_shown(app, world) -> None:
    admin = as_user(app, "org_admin")
    invite(admin, world["org"], "fresh@test.example", roles=("student",))
    with app.app_context():
        fresh = db.session.scalar(select(User).where(User.email == "fresh@test.example"))
        assert fresh.created_by_organisation_id == world["org"]
        fresh_id = fresh.id
    base = f"/orgs/{world['org']}/members/{fresh_id}"
    html = admin.post(base + "/link", data={"csrf_token": csrf_token(admin, base)}).get_data(as_text=True)
    assert 'id="person-link">' in html and "/invitation/" in html


def test_an_account_that_joined_another_organisation_leaves_its_creators_control(app, world) -> None:
    """Account-wide powers end as soon as the account belongs to a second organisation."""
    foreign = as_user(app, "foreign_admin")
    invite(foreign, world["other_org"], "student@test.example", roles=("assessor",))
    owner = as_user(app, "student")
    invitation = _pending(app, world["ids"]["student"])
    owner.post(f"/invitations/{invitation.id}/accept", data={"csrf_token": csrf_token(owner, "/invitations/")})
    admin = as_user(app, "org_admin")
    base = f"/orgs/{world['org']}/members/{world['ids']['student']}"
    token = csrf_token(admin, base)
    assert admin.post(base + "/active", data={"active": "0", "csrf_token": token}).status_code == 403
    platform = as_user(app, "platform_admin")
    token = csrf_token(platform, base)
    assert platform.post(base + "/active", data={"active": "0", "csrf_token": token}).status_code == 302
    with app.app_context():
        assert not db.session.get(User, world["ids"]["student"]).active


def test_members_api_does_not_list_invited_people(app, world) -> None:
    attacker = as_user(app, "foreign_admin")
    invite(attacker, world["other_org"], "org_admin@test.example")
    with app.app_context():
        from app.accounts import services
        from app.audit import Actor

        user = db.session.get(User, world["ids"]["foreign_admin"])
        secret = services.create_api_token(db.session, Actor(user), user, "t", ["organisation:read"]).secret
        db.session.commit()
    resp = app.test_client().get(
        f"/api/v1/organisations/{world['other_org']}/members", headers={"Authorization": f"Bearer {secret}"}
    )
    assert resp.status_code == 200
    assert "org_admin@test.example" not in resp.get_data(as_text=True)


# --- mail: an invitation to an existing account reaches the owner's own mailbox ---------------------


@pytest.fixture
def smtp(app, monkeypatch) -> Iterator[list]:
    """A real SMTP server on loopback (aiosmtpd) collecting what Bekwaam sends."""
    from aiosmtpd.controller import Controller

    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        yield received
    finally:
        controller.stop()


def test_with_mail_the_invitation_goes_to_the_owner_and_no_link_is_shown(app, world, smtp) -> None:
    attacker = as_user(app, "foreign_admin")
    html = invite(attacker, world["other_org"], "org_admin@test.example").get_data(as_text=True)
    assert "invite-link" not in html and "We sent the invitation to org_admin@test.example" in html
    assert len(smtp) == 1
    recipients, body = smtp[0]
    assert recipients == ["org_admin@test.example"]
    assert "Other School" in body and "/invitation/" in body


def test_with_mail_a_reset_link_goes_only_to_the_owner(app, world, smtp) -> None:
    admin = as_user(app, "org_admin")
    base = f"/orgs/{world['org']}/members/{world['ids']['student']}"
    html = admin.post(base + "/link", data={"csrf_token": csrf_token(admin, base)}).get_data(as_text=True)
    assert "/password/reset/" not in html
    assert [r for r, _ in smtp] == [["student@test.example"]]
    assert "/password/reset/" in smtp[0][1]


# --- every role of organisation B against a person of organisation A --------------------------------

B_ROLES = ["student", "assessor", "curriculum_lead", "hr", "exam_committee"]


@pytest.fixture
def b_people(app, world) -> dict[str, int]:
    """One person per non-admin role in the other school (B), created by B."""
    with app.app_context():
        from app.accounts import services
        from app.accounts.models import Organisation, Role
        from app.audit import Actor

        other = db.session.get(Organisation, world["other_org"])
        ids = {}
        for role in B_ROLES:
            user = services.create_user(
                db.session,
                Actor.system("tests"),
                email=f"b-{role}@test.example",
                name=f"B {role}",
                password=PASSWORD,
                created_by_organisation=other,
            )
            services.grant_role(db.session, Actor.system("tests"), user, other, Role(role))
            ids[role] = user.id
        db.session.commit()
        db.session.remove()
    return ids


@pytest.mark.parametrize("role", B_ROLES)
def test_no_role_of_another_organisation_reaches_a_person_of_ours(app, world, b_people, role) -> None:
    """Invite, add assessor, CSV import, member page, link, activation, audit log and API of B, as each of B's
    roles, aimed at A's administrator: refused, nothing attached, nothing learnt."""
    client = as_user(app, f"b-{role}")
    org, cohort, victim = world["other_org"], world["other_cohort"], world["ids"]["org_admin"]
    token = csrf_token(client, "/")
    data = {"email": "org_admin@test.example", "name": "X", "language": "en", "roles": ["org_admin"]}
    responses = [
        client.post(f"/orgs/{org}/members/invite", data={**data, "csrf_token": token}),
        client.post(f"/orgs/{org}/cohorts/{cohort}/assessors", data={**data, "csrf_token": token}),
        client.post(
            f"/orgs/{org}/cohorts/{cohort}/import",
            data={
                "file": (io.BytesIO(b"email,name\norg_admin@test.example,X\n"), "x.csv"),
                "role": "assessor",
                "csrf_token": token,
            },
            content_type="multipart/form-data",
        ),
        client.get(f"/orgs/{org}/members/{victim}"),
        client.post(f"/orgs/{org}/members/{victim}/link", data={"csrf_token": token}),
        client.post(f"/orgs/{org}/members/{victim}/active", data={"active": "0", "csrf_token": token}),
        client.get(f"/orgs/{org}/audit"),
        client.get(f"/orgs/{org}/members"),
    ]
    for resp in responses:
        assert resp.status_code in (403, 404), resp.request.path
        assert "Org Admin" not in resp.get_data(as_text=True)
    assert memberships(app, victim) == {world["org"]}
    with app.app_context():
        assert db.session.get(User, victim).active
        assert db.session.scalar(select(Invitation).where(Invitation.user_id == victim)) is None
        from app.accounts import services
        from app.audit import Actor

        user = db.session.get(User, b_people[role])
        secret = services.create_api_token(db.session, Actor(user), user, "t", ["organisation:read"]).secret
        db.session.commit()
    api = app.test_client().get(f"/api/v1/organisations/{org}/members", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 403
    assert "org_admin@test.example" not in api.get_data(as_text=True)
