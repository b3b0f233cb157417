"""Crosswalk pages: an editor builds a crosswalk with the suggestions and publishes it; the API reads it."""

from __future__ import annotations

import re

from app.accounts import services
from app.audit import Actor
from app.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD


def _editor(app, client) -> None:
    with app.app_context():
        services.create_user(
            db.session,
            Actor.system("tests"),
            email="ed@test.example",
            name="Ed",
            password=PASSWORD,
            platform_admin=True,
        )
        db.session.commit()
    token = csrf_token(client, "/sign-in")
    client.post("/sign-in", data={"email": "ed@test.example", "password": PASSWORD, "csrf_token": token})


def test_editor_builds_a_crosswalk_with_suggestions_and_publishes_it(app, client) -> None:
    _editor(app, client)
    token = csrf_token(client, "/crosswalks/new")
    response = client.post(
        "/crosswalks/new",
        data={
            "name": "P3 ↔ Competent",
            "source": "mbo-commercie",
            "target": "competent-E110101",
            "owner": "",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    author = response.headers["Location"]
    page = client.get(author).get_data(as_text=True)
    assert 'class="term"' in page  # suggestions show their shared terms
    picks = re.findall(r'name="picks" value="([^"]+)"', page)[:2]
    assert len(picks) == 2
    crosswalk_id = author.rstrip("/").split("/")[-2]
    response = client.post(
        f"/crosswalks/{crosswalk_id}/suggestions/accept",
        data={"picks": picks, "relation": "related", "confidence": "0.5", "csrf_token": csrf_token(client, author)},
    )
    assert response.status_code == 302
    response = client.post(
        f"/crosswalks/{crosswalk_id}/links",
        data={
            "subject_key": "P3-K2-W3",
            "object_key": "specifiek-8",
            "relation": "close",
            "confidence": "0.7",
            "note": "CMS on both sides",
            "csrf_token": csrf_token(client, author),
        },
    )
    assert response.status_code == 302
    client.post(f"/crosswalks/{crosswalk_id}/publish", data={"csrf_token": csrf_token(client, author)})
    shown = client.get(f"/crosswalks/{crosswalk_id}").get_data(as_text=True)
    assert "CMS on both sides" in shown and ">suggested<" in shown
    sssom = client.get(f"/crosswalks/{crosswalk_id}/export/sssom").get_data(as_text=True)
    assert sssom.count("semapv:LexicalMatching") == 2 and "skos:closeMatch" in sssom
    anonymous = app.test_client().get(f"/crosswalks/{crosswalk_id}")
    assert anonymous.status_code == 200  # published: readable by everyone


def test_refused_link_shows_on_the_form_and_writes_nothing(app, client) -> None:
    _editor(app, client)
    response = client.post(
        "/crosswalks/new",
        data={
            "name": "X",
            "source": "mbo-commercie",
            "target": "competent-E110101",
            "owner": "",
            "csrf_token": csrf_token(client, "/crosswalks/new"),
        },
    )
    author = response.headers["Location"]
    crosswalk_id = author.rstrip("/").split("/")[-2]
    response = client.post(
        f"/crosswalks/{crosswalk_id}/links",
        data={
            "subject_key": "basis-1",
            "object_key": "specifiek-8",
            "relation": "close",
            "confidence": "0.7",
            "note": "wrong side",
            "csrf_token": csrf_token(client, author),
        },
    )
    assert response.status_code == 400
    assert "is not one" in response.get_data(as_text=True)
    assert "No links yet." in client.get(author).get_data(as_text=True)


def test_api_lists_published_crosswalks_with_links(app, client) -> None:
    with app.app_context():
        from app.crosswalks.seeds import load_seeds, seed_paths

        load_seeds(db.session, Actor.system("tests"), seed_paths(app.config["CROSSWALK_SEED_DIR"]))
        user = services.create_user(
            db.session, Actor.system("tests"), email="api@test.example", name="Api", password=PASSWORD
        )
        secret = services.create_api_token(db.session, Actor.system("tests"), user, "t", ["crosswalks:read"]).secret
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    listed = client.get("/api/v1/crosswalks", headers=headers).get_json()["crosswalks"]
    assert len(listed) == 4 and all(c["editorial"] for c in listed)
    detail = client.get(f"/api/v1/crosswalks/{listed[0]['id']}", headers=headers).get_json()
    link = detail["links"][0]
    assert set(link) >= {"subject", "relation", "object", "condition", "confidence", "note"}
    assert set(link["subject"]) == {"framework", "key"}
