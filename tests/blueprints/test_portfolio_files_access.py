"""Serving evidence files (issue 10): a removed file is no longer served, except as part of a judged
version of its item (finding 9); uploads are limited per person and refuse pixel floods (finding 5)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.audit import Actor
from app.extensions import db
from app.files.storage import storage_for
from app.portfolio import services
from app.portfolio.models import Attachment, Claim, EvidenceItem
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token
from tests.factories import build_portfolio, build_world, png_bytes
from tests.unit.test_files_pixel_budget import png_header

STAFF = ("assessor@test.example", "curriculum_lead@test.example", "org_admin@test.example")
READERS = ("student@test.example", *STAFF)


@pytest.fixture
def world(app):
    with app.app_context():
        w = build_world()
        pw = build_portfolio(w)
        data = {"item": pw.item.id, "attachment": pw.attachment.id, "claim": pw.claim.id}
        db.session.remove()
    return data


def student() -> Actor:
    from app.accounts.models import User

    return Actor(user=db.session.scalar(select(User).where(User.email == "student@test.example")))


def add_file(app, item_id: int, name: str, data: bytes) -> int:
    with app.app_context():
        item = db.session.get(EvidenceItem, item_id)
        limit = app.config["UPLOAD_MAX_BYTES"]
        attachment = services.add_attachment(db.session, storage_for(app), student(), item, name, data, limit)
        db.session.commit()
        return attachment.id


def remove_file(app, attachment_id: int) -> None:
    with app.app_context():
        services.remove_attachment(db.session, student(), db.session.get(Attachment, attachment_id))
        db.session.commit()


def judge(app, claim_id: int) -> None:
    """What a final summative assessment does to the evidence it cites (assessment._finalise)."""
    with app.app_context():
        services.freeze_item(db.session, db.session.get(Claim, claim_id))
        db.session.commit()


def signed_in(app, email: str):
    client = app.test_client()
    sign_in(client, email)
    return client


def status(app, email: str, url: str) -> int:
    return signed_in(app, email).get(url).status_code


# --- finding 9: removed files --------------------------------------------------------------------


def test_a_file_the_student_removed_is_no_longer_served_to_staff_or_to_the_student(world, app) -> None:
    url = f"/portfolio/files/{world['attachment']}"
    assert {email: status(app, email, url) for email in READERS} == dict.fromkeys(READERS, 200)
    remove_file(app, world["attachment"])
    assert {email: status(app, email, url) for email in READERS} == dict.fromkeys(READERS, 404)
    assert {email: status(app, email, url + "?thumb=1") for email in READERS} == dict.fromkeys(READERS, 404)


def test_a_removed_file_stays_readable_as_part_of_the_judged_version(world, app) -> None:
    judge(app, world["claim"])
    remove_file(app, world["attachment"])  # the frozen item keeps version 1 and becomes version 2
    with app.app_context():
        assert db.session.get(EvidenceItem, world["item"]).version == 2
    version_url = f"/portfolio/items/{world['item']}/versions/1"
    file_url = f"{version_url}/files/{world['attachment']}"
    for email in READERS:
        client = signed_in(app, email)
        assert file_url in client.get(version_url).get_data(as_text=True)
        response = client.get(file_url)
        assert response.status_code == 200 and response.data == png_bytes()
        assert response.headers["Content-Security-Policy"].startswith("sandbox")
        assert client.get(f"/portfolio/files/{world['attachment']}").status_code == 404  # not on its own
        assert client.get(f"/portfolio/items/{world['item']}/versions/2/files/{world['attachment']}").status_code == 404


def test_a_removed_file_that_was_never_judged_is_not_served_as_any_version(client, world, app) -> None:
    remove_file(app, world["attachment"])  # not frozen: no version is kept
    sign_in(client, "assessor@test.example")
    for number in (0, 1, 2):
        assert (
            client.get(f"/portfolio/items/{world['item']}/versions/{number}/files/{world['attachment']}").status_code
            == 404
        )


def test_a_file_added_after_the_judgement_and_removed_is_not_in_the_judged_version(client, world, app) -> None:
    judge(app, world["claim"])
    later = add_file(app, world["item"], "later.png", png_bytes((20, 20), (1, 2, 3)))  # makes version 2
    remove_file(app, later)
    sign_in(client, "assessor@test.example")
    for number in (1, 2):
        assert client.get(f"/portfolio/items/{world['item']}/versions/{number}/files/{later}").status_code == 404
    assert client.get(f"/portfolio/files/{later}").status_code == 404


def test_the_current_version_serves_current_files_and_only_this_items(client, world, app) -> None:
    other = add_file(app, world["item"], "second.png", png_bytes((20, 20), (9, 9, 9)))
    sign_in(client, "assessor@test.example")
    assert client.get(f"/portfolio/items/{world['item']}/versions/1/files/{other}").status_code == 200
    with app.app_context():
        private = db.session.scalar(select(EvidenceItem.id).where(EvidenceItem.title == "Private draft"))
    client = signed_in(app, "student@test.example")  # the owner, through an item the file does not belong to
    assert client.get(f"/portfolio/items/{private}/versions/1/files/{other}").status_code == 404


# --- finding 5: uploads --------------------------------------------------------------------------


def upload(client, item_id: int, data: bytes, name: str):
    token = csrf_token(client, f"/portfolio/items/{item_id}")
    return client.post(
        f"/portfolio/items/{item_id}/files",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def attachments(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attachment))


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_over_the_pixel_budget_is_refused_and_nothing_is_stored(client, world, app) -> None:
    sign_in(client, "student@test.example")
    before = attachments(app)
    response = upload(client, world["item"], png_header(10_001, 5_000), "flood.png")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flood.png is not an allowed file: it looks like a PNG image but it has too many pixels" in html
    assert attachments(app) == before


def test_uploads_are_limited_per_person_with_a_clear_message(client, world, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_LIMIT_PER_PERSON", "2 per minute")
    sign_in(client, "student@test.example")
    for n in range(2):
        assert upload(client, world["item"], png_bytes((10 + n, 10)), f"p{n}.png").status_code == 302
    refused = upload(client, world["item"], png_bytes((30, 10)), "p2.png")
    assert refused.status_code == 429
    assert "You uploaded many files in a short time. Wait a few minutes and try again" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
    client.post("/language", data={"lang": "nl", "csrf_token": csrf_token(client, "/portfolio/")})
    dutch = upload(client, world["item"], png_bytes((31, 10)), "p3.png")
    assert dutch.status_code == 429
    assert "Je hebt in korte tijd veel bestanden geüpload" in dutch.get_data(as_text=True)
    assert attachments(app) == 2 + 2  # the world's two and the two allowed


def test_the_upload_limit_follows_the_person_not_the_session_or_the_item(client, world, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_LIMIT_PER_PERSON", "1 per minute")
    sign_in(client, "student@test.example")
    assert upload(client, world["item"], png_bytes((12, 10)), "a.png").status_code == 302
    client = signed_in(app, "student@test.example")  # a new session
    with app.app_context():
        private = db.session.scalar(select(EvidenceItem.id).where(EvidenceItem.title == "Private draft"))
    assert upload(client, private, png_bytes((13, 10)), "b.png").status_code == 429  # another item
    client = signed_in(app, "foreign_student@test.example")  # someone else is not slowed down
    with app.app_context():
        theirs = db.session.scalar(select(EvidenceItem.id).where(EvidenceItem.title == "Other school's work"))
    assert upload(client, theirs, png_bytes((14, 10)), "c.png").status_code == 302
