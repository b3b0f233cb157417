"""Portfolios over HTTP: evidence, uploads, downloads, claims, comments, sharing, export, query counts."""

from __future__ import annotations

import gc
import io
import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit import Actor
from app.extensions import db
from app.portfolio import services
from app.portfolio.models import Attachment, EvidenceItem, PortfolioExport, ShareAccess
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token
from tests.factories import build_portfolio, build_world, first_claimable_key


@pytest.fixture
def world(app):
    with app.app_context():
        w = build_world()
        pw = build_portfolio(w)
        data = {
            "student": w.users["student"].id,
            "cohort": w.cohort.id,
            "item": pw.item.id,
            "private_item": pw.private_item.id,
            "attachment": pw.attachment.id,
            "share_token": pw.share_token,
            "claim_key": first_claimable_key(w.cohort),
        }
        db.session.remove()
    return data


def post(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    token = csrf_token(client, page or "/portfolio/")
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def test_student_adds_evidence_with_a_reflection_and_links_it(client, world, app) -> None:
    sign_in(client, "student@test.example")
    response = post(
        client,
        "/portfolio/items/new",
        {
            "title": "Klantreis webshop",
            "context": "internship",
            "context_detail": "Webwinkel Noord",
            "started_on": "2026-09-01",
            "ended_on": "2026-09-20",
            "situation": "De webshop verloor klanten bij het afrekenen.",
            "action": "Ik interviewde vijf klanten.",
        },
        page="/portfolio/items/new",
    )
    assert response.status_code == 302
    item_url = response.headers["Location"]
    item_id = int(item_url.rsplit("/", 1)[1])
    page = client.get(item_url).get_data(as_text=True)
    assert "Klantreis webshop" in page and "Ik interviewde vijf klanten." in page
    response = post(
        client,
        f"/portfolio/items/{item_id}/claims",
        {"target": f"{world['cohort']}:{world['claim_key']}", "level": "", "explanation": "Zie interviews"},
        page=item_url,
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(EvidenceItem, item_id)
        assert [c.explanation for c in item.claims] == ["Zie interviews"]


def test_bad_item_input_names_the_field(client, world) -> None:
    sign_in(client, "student@test.example")
    html = post(
        client,
        "/portfolio/items/new",
        {"title": "X", "context": "school_project", "started_on": "2026-09-20", "ended_on": "2026-09-01"},
        page="/portfolio/items/new",
    ).get_data(as_text=True)
    assert "the end date lies before the start date" in html
    assert 'id="ended_on-err"' in html


def test_upload_refuses_a_renamed_executable_and_writes_nothing(client, world, app) -> None:
    sign_in(client, "student@test.example")
    exe = b"MZ\x90\x00" + b"\x00" * 300
    response = post(
        client,
        f"/portfolio/items/{world['item']}/files",
        {"file": (io.BytesIO(exe), "verslag.pdf")},
        page=f"/portfolio/items/{world['item']}",
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "verslag.pdf is not an allowed file: its content is a Windows executable" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 2  # the world's two


# Werkzeug's test client spools the 2 MB body to a temporary file it never closes when the app refuses
# to read it; collect it inside this test so that its ResourceWarning is not blamed on the next one.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_upload_above_the_limit_gets_a_clear_413(client, world, app, monkeypatch) -> None:
    sign_in(client, "student@test.example")
    token = csrf_token(client, f"/portfolio/items/{world['item']}")
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024 * 1024)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024 + 64 * 1024)
    big = b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024)
    response = client.post(
        f"/portfolio/items/{world['item']}/files",
        data={"csrf_token": token, "file": (io.BytesIO(big), "groot.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "a file may be at most 1 MB. Nothing was saved." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 2
    del response
    gc.collect()


def test_a_file_just_over_the_per_file_limit_is_refused_by_name(client, world, app, monkeypatch) -> None:
    sign_in(client, "student@test.example")
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024 * 1024)
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10)
    html = post(
        client,
        f"/portfolio/items/{world['item']}/files",
        {"file": (io.BytesIO(big), "scriptie.pdf")},
        page=f"/portfolio/items/{world['item']}",
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "scriptie.pdf is 1.1 MB; the limit is 1 MB" in html


def test_files_are_served_only_as_downloads_or_sandboxed_images(client, world) -> None:
    sign_in(client, "student@test.example")
    response = client.get(f"/portfolio/files/{world['attachment']}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"].startswith("inline; filename=screen.png")
    thumb = client.get(f"/portfolio/files/{world['attachment']}?thumb=1")
    assert thumb.mimetype == "image/jpeg"


def test_a_pdf_or_office_file_is_an_attachment_download(client, world, app) -> None:
    with app.app_context():
        from flask import current_app

        from app.files.storage import storage_for

        item = db.session.get(EvidenceItem, world["item"])
        student = db.session.get(User, world["student"])
        text = services.add_attachment(
            db.session, storage_for(current_app), Actor(user=student), item, "notes.txt", b"hello\n", 10_000
        )
        db.session.commit()
        text_id = text.id
    sign_in(client, "student@test.example")
    response = client.get(f"/portfolio/files/{text_id}")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=notes.txt")
    assert response.mimetype == "text/plain"


def test_share_link_opens_signed_out_logs_the_visit_and_shows_only_the_shared_items(client, world, app) -> None:
    response = client.get(f"/s/{world['share_token']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Webshop analysis" in html
    assert "Private draft" not in html
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert client.get(f"/s/{world['share_token']}/files/{world['attachment']}").status_code == 200
    assert client.get(f"/s/{world['share_token']}/files/{world['attachment']}?thumb=1").status_code == 200
    with app.app_context():  # the page and the download are logged; a thumbnail is part of the page
        assert list(db.session.scalars(select(ShareAccess.what).order_by(ShareAccess.id))) == [
            "portfolio",
            f"file {world['attachment']}",
        ]


def test_revoked_share_link_no_longer_opens(client, world, app) -> None:
    sign_in(client, "student@test.example")
    html = client.get("/portfolio/shares").get_data(as_text=True)
    share_id = re.search(r"/portfolio/shares/(\d+)/revoke", html).group(1)
    post(client, f"/portfolio/shares/{share_id}/revoke", page="/portfolio/shares")
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/portfolio/")})
    response = client.get(f"/s/{world['share_token']}")
    assert response.status_code == 404
    assert "expired, was revoked" in response.get_data(as_text=True)


def test_creating_a_share_link_shows_it_once(client, world) -> None:
    sign_in(client, "student@test.example")
    html = post(
        client, "/portfolio/shares", {"label": "Stagebedrijf", "cohort": str(world["cohort"]), "days": "14"},
        page="/portfolio/shares",
    ).get_data(as_text=True)  # fmt: skip
    link = re.search(r'id="share-link">([^<]+)<', html).group(1)
    assert "/s/" in link
    assert link not in client.get("/portfolio/shares").get_data(as_text=True)


def test_assessor_comments_and_marks_reviewed_and_the_student_is_told(client, world, app) -> None:
    sign_in(client, "assessor@test.example")
    item_url = f"/portfolio/items/{world['item']}"
    assert "Webshop analysis" in client.get(item_url).get_data(as_text=True)
    post(client, f"{item_url}/comments", {"body": "Goed onderbouwd."}, page=item_url)
    claim_id = re.search(r"/portfolio/claims/(\d+)/reviewed", client.get(item_url).get_data(as_text=True)).group(1)
    post(client, f"/portfolio/claims/{claim_id}/reviewed", page=item_url)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/portfolio/")})
    sign_in(client, "student@test.example")
    home = client.get("/portfolio/").get_data(as_text=True)
    assert 'class="count"' in home
    news = client.get("/notifications").get_data(as_text=True)
    assert "commented on" in news and "reviewed your claim on" in news


def test_export_makes_a_pdf_the_requester_downloads(client, world, app) -> None:
    sign_in(client, "student@test.example")
    page = f"/portfolio/students/{world['student']}/programmes/{world['cohort']}"
    response = post(client, f"{page}/export", page=page)
    status_url = response.headers["Location"]
    progress = client.get(status_url + "/status").get_json()
    assert progress["status"] == "done" and progress["download"]
    pdf = client.get(progress["download"])
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    with app.app_context():
        export = db.session.scalars(select(PortfolioExport).order_by(PortfolioExport.id.desc())).first()
        assert export.downloaded_at is not None and export.size == len(pdf.data)


def _add_items(app, student_id: int, cohort_id: int, n: int) -> None:
    from app.accounts.models import Cohort
    from app.portfolio.programme import load_programme

    with app.app_context():
        student, cohort = db.session.get(User, student_id), db.session.get(Cohort, cohort_id)
        keys = [node.element.key for node in load_programme(db.session, cohort).claimable]
        actor = Actor(user=student)
        for i in range(n):
            item = services.create_item(db.session, actor, student, services.ItemData(title=f"Extra {i}"))
            services.add_claim(db.session, actor, item, cohort, keys[i % len(keys)], None, "")
            services.add_comment(db.session, actor, item, "note")
        db.session.commit()


@pytest.mark.parametrize("who", ["student", "assessor"])
def test_portfolio_pages_query_count_does_not_grow_with_evidence(client, world, app, count_queries, who) -> None:
    sign_in(client, f"{who}@test.example")
    pages = [f"/portfolio/students/{world['student']}/programmes/{world['cohort']}", "/portfolio/"]
    counts = {}
    for url in pages:
        client.get(url)
        count_queries.reset()
        client.get(url)
        counts[url] = count_queries.count
    _add_items(app, world["student"], world["cohort"], 25)
    for url in pages:
        count_queries.reset()
        html = client.get(url).get_data(as_text=True)
        assert response_ok(html)
        assert count_queries.count == counts[url], url
    assert "Extra 24" in client.get(pages[0]).get_data(as_text=True)


def response_ok(html: str) -> bool:
    return "Something went wrong" not in html


TRICKY = "< > & &lt; &gt; &amp; ' \\' 碁 \\ \\\\"


def test_tricky_text_round_trips_unchanged_and_escaped(client, world, app) -> None:
    """Moodle's test string goes in and comes back out exactly, never as markup."""
    sign_in(client, "student@test.example")
    response = post(
        client,
        "/portfolio/items/new",
        {"title": TRICKY, "context": "school_project", "reflection": TRICKY + "<script>alert(1)</script>"},
        page="/portfolio/items/new",
    )
    item_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        item = db.session.get(EvidenceItem, item_id)
        assert item.title == TRICKY and item.reflection == TRICKY + "<script>alert(1)</script>"
    html = client.get(f"/portfolio/items/{item_id}").get_data(as_text=True)
    assert "&lt; &gt; &amp; &amp;lt; &amp;gt; &amp;amp;" in html
    assert "<script>alert(1)</script>" not in html
