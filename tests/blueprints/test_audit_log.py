"""The organisation audit log (issue 10, findings 3 and 7): it pages through any number of events in both
languages, shows only what happened in the organisation's context, and shows addresses as networks;
sign-in events are their person's own, on their account page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import AuditEvent, Organisation, Role, User
from app.addresses import anonymise_address, network_label
from app.audit import Actor, record
from app.extensions import db
from tests.blueprints.test_accounts import sign_in, world  # noqa: F401 - fixture
from tests.conftest import csrf_token

MANY = 500


def _events_on(html: str) -> int:
    return len(re.findall(r"<code>bulk\.event</code>", html))


def _set_language(client, lang: str) -> None:
    resp = client.post("/language", data={"lang": lang, "next": "/", "csrf_token": csrf_token(client, "/")})
    assert resp.status_code == 302


@pytest.fixture
def busy_org(app, world):  # noqa: F811
    """The school with 500 events more than it had, from a full IPv4 address."""
    with app.app_context():
        org = db.session.get(Organisation, world["org"])
        admin = db.session.scalar(select(User).where(User.email == "org_admin@test.example"))
        actor = Actor(user=admin, ip="203.0.113.57", user_agent="tests")
        for n in range(MANY):
            record(db.session, actor, "bulk.event", organisation_id=org.id, summary=f"event {n}")
        db.session.commit()
        db.session.remove()
    return world


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_audit_log_pages_through_500_events_in_both_languages(client, busy_org, lang) -> None:
    org = busy_org["org"]
    sign_in(client, "org_admin@test.example")
    _set_language(client, lang)
    first = client.get(f"/orgs/{org}/audit")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert _events_on(html) == 50
    assert f"/orgs/{org}/audit?page=2" in html
    pages = int(re.search(r"(\d+) \w+ (\d+) · (\d+)", html).group(2))
    assert pages >= MANY // 50

    second = client.get(f"/orgs/{org}/audit?page=2").get_data(as_text=True)
    assert _events_on(second) == 50
    assert f"/orgs/{org}/audit?page=1" in second and f"/orgs/{org}/audit?page=3" in second

    last = client.get(f"/orgs/{org}/audit?page={pages}")
    assert last.status_code == 200
    assert f"?page={pages + 1}" not in last.get_data(as_text=True)  # no "older" link on the last page

    for beyond in (pages + 1, 10**30, -3, "abc"):
        resp = client.get(f"/orgs/{org}/audit?page={beyond}")
        assert resp.status_code == 200, beyond
    beyond_html = client.get(f"/orgs/{org}/audit?page={pages + 5}").get_data(as_text=True)
    assert _events_on(beyond_html) == 0
    assert f"/orgs/{org}/audit?page={pages}" in beyond_html  # a way back to the last page


def test_audit_pager_keeps_the_filter_and_drops_anything_else(client, busy_org) -> None:
    org = busy_org["org"]
    sign_in(client, "org_admin@test.example")
    resp = client.get(f"/orgs/{org}/audit?action=bulk.&_scheme=javascript&_external=1&org_id=9&page=2")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert _events_on(html) == 50
    assert 'href="javascript' not in html and "_external" not in html.split('class="pager"')[1]
    assert f"/orgs/{org}/audit?page=3&amp;action=bulk." in html or f"/orgs/{org}/audit?action=bulk.&amp;page=3" in html


def test_audit_log_shows_addresses_as_networks(client, busy_org) -> None:
    sign_in(client, "org_admin@test.example")
    html = client.get(f"/orgs/{busy_org['org']}/audit").get_data(as_text=True)
    assert "203.0.113.0/24" in html
    assert "203.0.113.57" not in html


def test_action_filter_treats_wildcards_literally(client, busy_org) -> None:
    sign_in(client, "org_admin@test.example")
    html = client.get(f"/orgs/{busy_org['org']}/audit?action=%25").get_data(as_text=True)
    assert _events_on(html) == 0


def test_sign_in_events_of_a_person_of_a_stay_out_of_bs_audit_log(app, client, world) -> None:  # noqa: F811
    """Finding 3: a person of school A who is also a member of school B: B's admin does not see when or
    from where they sign in (nor their failed attempts); they see it themselves, truncated."""
    with app.app_context():
        student = db.session.get(User, world["ids"]["student"])
        other = db.session.get(Organisation, world["other_org"])
        services.grant_role(db.session, Actor.system("tests"), student, other, Role.STUDENT)
        db.session.commit()
        db.session.remove()
    person = app.test_client()
    person.environ_base["REMOTE_ADDR"] = "198.51.100.77"
    person.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    sign_in(person, "student@test.example", "not the password at all")
    sign_in(person, "student@test.example")
    person.post("/sign-out", data={"csrf_token": csrf_token(person, "/account/")})
    sign_in(person, "student@test.example")

    sign_in(client, "foreign_admin@test.example")
    html = client.get(f"/orgs/{world['other_org']}/audit").get_data(as_text=True)
    assert "<code>auth." not in html
    assert "198.51.100" not in html
    html = client.get(f"/orgs/{world['other_org']}/audit?actor=student@test.example").get_data(as_text=True)
    assert "<code>auth." not in html
    html = client.get(f"/orgs/{world['other_org']}/audit?action=auth.").get_data(as_text=True)
    assert "<code>auth." not in html

    own = person.get("/account/").get_data(as_text=True)
    section = own[own.index("Recent sign-ins") :]
    assert section.count("Signed in") >= 2 and "Sign-in failed" in section and "Signed out" in section
    assert "198.51.100.0/24" in section and "198.51.100.77" not in section
    assert "Firefox/140.0" in section


def test_a_persons_sign_in_history_is_their_own(app, world) -> None:  # noqa: F811
    one, two = app.test_client(), app.test_client()
    sign_in(one, "student@test.example", "wrong password, wrong")
    sign_in(two, "other_student@test.example")
    own = two.get("/account/").get_data(as_text=True)
    assert "Sign-in failed" not in own[own.index("Recent sign-ins") :]
    with app.app_context():
        failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")).all()
        assert failed and all(e.organisation_id is None for e in failed)


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.57", "203.0.113.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("not an address", ""),
        (None, ""),
    ],
)
def test_addresses_are_shown_as_their_network(address, network) -> None:
    assert network_label(address) == network
    assert anonymise_address(address) == network.split("/")[0]
