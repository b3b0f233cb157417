"""Sign-out ends the session on the server; throttling one client cannot lock an account's owner out."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import register_proxies
from app.accounts.models import AuditEvent
from app.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD, build_world

ATTACKER = {"REMOTE_ADDR": "198.51.100.7"}
OWNER = {"REMOTE_ADDR": "203.0.113.20"}
PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # a reverse proxy: every request arrives from it


@pytest.fixture
def world(app) -> None:
    with app.app_context():
        build_world()
        db.session.remove()


def sign_in(client, email: str, password: str = PASSWORD):
    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})


def _client(app, environ: dict[str, str]):
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def _failures(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "auth.sign_in_failed", AuditEvent.actor_label == email)
        )


# --- finding 6: sign-out ---------------------------------------------------------------------------


def test_session_cookie_copied_before_sign_out_is_refused_after_it(app, world) -> None:
    client = app.test_client()
    sign_in(client, "student@test.example")
    copied = client.get_cookie("session").value
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})

    replay = app.test_client()
    replay.set_cookie("session", copied)
    resp = replay.get("/account/")
    assert resp.status_code == 302 and "/sign-in" in resp.headers["Location"]


def test_remember_me_cookie_copied_before_sign_out_is_refused_after_it(app, world) -> None:
    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    resp = client.post(
        "/sign-in", data={"email": "student@test.example", "password": PASSWORD, "remember": "y", "csrf_token": token}
    )
    assert resp.status_code == 302
    remembered = client.get_cookie("remember_token").value
    # The remember-me cookie alone signs a fresh browser in, before sign-out ...
    before = app.test_client()
    before.set_cookie("remember_token", remembered)
    assert before.get("/account/").status_code == 200

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})

    # ... and no longer after it.
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    resp = replay.get("/account/")
    assert resp.status_code == 302 and "/sign-in" in resp.headers["Location"]


def test_signing_in_again_after_sign_out_works(app, world) -> None:
    client = app.test_client()
    sign_in(client, "student@test.example")
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})
    assert sign_in(client, "student@test.example").status_code == 302
    assert client.get("/account/").status_code == 200


# --- finding 10: throttling -------------------------------------------------------------------------


def test_one_client_cannot_lock_the_owner_out_from_another_client(app, world) -> None:
    attacker, owner = _client(app, ATTACKER), _client(app, OWNER)
    statuses = [sign_in(attacker, "assessor@test.example", "not the password!").status_code for _ in range(40)]
    assert statuses[:10] == [200] * 10  # ten real failures ...
    assert set(statuses[10:]) == {429}  # ... then this client is throttled for this account
    # Every real failure is in the audit log; the throttled attempts never reached the password check.
    assert _failures(app, "assessor@test.example") == 10
    # The owner, from elsewhere, signs in: the attacker's attempts did not lock the account.
    assert sign_in(owner, "assessor@test.example").status_code == 302


def test_throttled_attempts_do_not_count_towards_the_account_ceiling(app, world, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "12 per hour")
    attacker, owner = _client(app, ATTACKER), _client(app, OWNER)
    for _ in range(30):  # 10 failures, 20 throttled: only the failures count towards the ceiling of 12
        sign_in(attacker, "assessor@test.example", "not the password!")
    assert sign_in(owner, "assessor@test.example").status_code == 302


def test_the_account_wide_ceiling_still_holds_against_many_clients(app, world, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "12 per hour")
    for n in range(12):  # a botnet: each client stays under its own limit
        bot = _client(app, {"REMOTE_ADDR": f"192.0.2.{n + 1}"})
        assert sign_in(bot, "assessor@test.example", "not the password!").status_code == 200
    late = _client(app, {"REMOTE_ADDR": "192.0.2.200"})
    assert sign_in(late, "assessor@test.example", "not the password!").status_code == 429
    assert _failures(app, "assessor@test.example") == 12


def test_default_limits_keep_the_account_ceiling_out_of_one_clients_reach(app) -> None:
    from limits import parse_many

    def per_hour(setting: str) -> float:
        return min(lim.amount * 3600 / lim.get_expiry() for lim in parse_many(app.config[setting]))

    assert per_hour("LOGIN_LIMIT_PER_ACCOUNT") <= 100  # ASVS 2.2.1
    assert per_hour("LOGIN_LIMIT_PER_ACCOUNT_CLIENT") * 4 < per_hour("LOGIN_LIMIT_PER_ACCOUNT")


def test_addresses_of_one_ipv6_network_are_one_client(app, world) -> None:
    for n in range(10):  # stepping through the attacker's own /64
        bot = _client(app, {"REMOTE_ADDR": f"2001:db8:1:2::{n + 1:x}"})
        assert sign_in(bot, "assessor@test.example", "not the password!").status_code == 200
    same_network = _client(app, {"REMOTE_ADDR": "2001:db8:1:2::ffff"})
    assert sign_in(same_network, "assessor@test.example", PASSWORD).status_code == 429
    other_network = _client(app, {"REMOTE_ADDR": "2001:db8:1:3::1"})
    assert sign_in(other_network, "assessor@test.example", PASSWORD).status_code == 302


def test_forwarded_for_is_ignored_without_trusted_proxies(app, world) -> None:
    assert app.config["TRUSTED_PROXIES"] == 0
    attacker = _client(app, ATTACKER)
    statuses = [
        sign_in_from(attacker, "assessor@test.example", "not the password!", f"192.0.2.{n}").status_code
        for n in range(1, 13)
    ]
    assert statuses[-1] == 429  # claiming other addresses does not escape the limit
    with app.app_context():
        ips = set(db.session.scalars(select(AuditEvent.ip).where(AuditEvent.action == "auth.sign_in_failed")))
    assert not any(ip and ip.startswith("192.0.2.") for ip in ips)


@pytest.fixture
def behind_one_proxy(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", "1")
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)  # put back after the test
    register_proxies(app)
    return app


def test_forwarded_for_is_honoured_behind_one_trusted_proxy(behind_one_proxy, world) -> None:
    app = behind_one_proxy
    via_proxy = _client(app, PROXY)
    for _ in range(12):
        sign_in_from(via_proxy, "assessor@test.example", "not the password!", ATTACKER["REMOTE_ADDR"])
    assert sign_in_from(via_proxy, "assessor@test.example", PASSWORD, ATTACKER["REMOTE_ADDR"]).status_code == 429
    # The owner comes through the same proxy from another address: not locked out.
    assert sign_in_from(via_proxy, "assessor@test.example", PASSWORD, OWNER["REMOTE_ADDR"]).status_code == 302
    with app.app_context():
        ips = set(db.session.scalars(select(AuditEvent.ip).where(AuditEvent.action == "auth.sign_in_failed")))
    assert ips and all(ip and not ip.startswith("10.0.0.") for ip in ips)


def test_a_bad_trusted_proxies_setting_is_named(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", "two")
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)
    with pytest.raises(ValueError, match="TRUSTED_PROXIES must be the number of reverse proxies"):
        register_proxies(app)


def sign_in_from(client, email: str, password: str, forwarded_for: str):
    headers = {"X-Forwarded-For": forwarded_for}
    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token}, headers=headers)
