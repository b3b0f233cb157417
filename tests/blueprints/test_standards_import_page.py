"""The standards import page: upload → preview with every problem → confirm the previewed file; all or nothing."""

from __future__ import annotations

import io
import re
from pathlib import Path

from sqlalchemy import func, select

from app.accounts.models import AuditEvent
from app.extensions import db
from app.standards.models import Element, Framework
from tests.blueprints.test_accounts import sign_in, world  # noqa: F401 - fixture
from tests.conftest import csrf_token, shared_path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "interop"


def _upload(client, raw: bytes, name: str, fmt: str = ""):
    data = {"csrf_token": csrf_token(client, "/standards/import"), "format": fmt, "file": (io.BytesIO(raw), name)}
    return client.post("/standards/import", data=data, content_type="multipart/form-data")


def _count(app, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_preview_writes_nothing_and_confirm_imports_what_was_previewed(client, world, app) -> None:  # noqa: F811
    sign_in(client, "platform_admin@test.example")
    before = (_count(app, Framework), _count(app, Element))
    resp = _upload(client, (FIXTURES / "moodle_14col.csv").read_bytes(), "kok.csv")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Creates the standard kok-2026" in html
    assert "cross-reference ONBEKEND is not in the file" in html
    assert (_count(app, Framework), _count(app, Element)) == before
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    form = {
        "csrf_token": csrf_token(client, "/standards/import"),
        "digest": digest,
        "format": "moodle",
        "name": "kok.csv",
    }
    done = client.post("/standards/import", data=form)
    assert done.status_code == 302 and done.headers["Location"].endswith("/standards/kok-2026")
    assert _count(app, Element) == before[1] + 6
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "standards.import"))
        assert event.details["file"] == "kok.csv" and event.actor_label == "platform_admin@test.example"
    events = _count(app, AuditEvent)
    again = client.post("/standards/import", data=form)  # the preview is used up
    assert again.status_code == 302 and again.headers["Location"].endswith("/standards/import")
    assert _count(app, AuditEvent) == events


def test_a_refused_file_shows_its_problems_and_offers_no_import(client, world, app) -> None:  # noqa: F811
    sign_in(client, "platform_admin@test.example")
    resp = _upload(client, b"[" * 10_000 + b"]" * 10_000, "deep.json")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "nested deeper than" in html and "Import " not in re.sub(r"<title>.*?</title>", "", html)
    resp = _upload(
        client, b'"Parent ID number","ID number","Short name","Is framework"\n,F,F,1\nB,A,a,0\nA,B,b,0\n', "c.csv"
    )
    assert "the parents go round in a cycle" in resp.get_data(as_text=True)


def test_a_real_package_preview_groups_repeated_adaptations_into_one_row(client, world, app) -> None:  # noqa: F811
    sign_in(client, "platform_admin@test.example")
    path = shared_path("interop", "case", "opensalt_act_holistic_framework_math.json")
    html = _upload(client, path.read_bytes(), path.name).get_data(as_text=True)
    row = re.search(
        r"<tr><td>29 places: (.*?)</td><td>a CASE 1.0 field the 1.1 schema does not allow: ignored</td>", html
    )
    assert row is not None
    assert "<code>CFDocument.CFPackageURI</code>, <code>CFItems[0].CFDocumentURI</code>" in row.group(1)
    assert "and 26 more" in row.group(1)
    assert html.count("CFDocumentURI</code>") == 2  # one row, three places shown, not 28 rows


def test_a_forged_digest_is_refused(client, world, app) -> None:  # noqa: F811
    sign_in(client, "platform_admin@test.example")
    form = {"csrf_token": csrf_token(client, "/standards/import"), "digest": "../../etc/passwd", "name": "x"}
    assert client.post("/standards/import", data=form).status_code == 400
    events = _count(app, AuditEvent)
    form["digest"] = "0" * 64
    resp = client.post("/standards/import", data=form)
    assert resp.status_code == 302 and _count(app, AuditEvent) == events


def test_an_imported_standard_labels_what_bekwaam_recorded_in_the_interface_language(client, world, app) -> None:  # noqa: F811
    """The attributes the importer writes (format, source identifiers) are labelled in Dutch on a Dutch page;
    the source's own content stays as it is."""
    sign_in(client, "platform_admin@test.example")
    html = _upload(client, (FIXTURES / "moodle_14col.csv").read_bytes(), "kok.csv").get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    form = {
        "csrf_token": csrf_token(client, "/standards/import"),
        "digest": digest,
        "format": "moodle",
        "name": "kok.csv",
    }
    client.post("/standards/import", data=form)
    client.post("/language", data={"lang": "nl", "csrf_token": csrf_token(client, "/")})
    page = client.get("/standards/kok-2026").get_data(as_text=True)
    assert "Geïmporteerd uit" in page
    assert "Import format" not in page


def _digest(html: str) -> str:
    return re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', html).group(1)


def test_the_preview_names_element_types_and_languages_in_the_interface_language(client, world, app) -> None:  # noqa: F811
    sign_in(client, "platform_admin@test.example")
    client.post("/language", data={"lang": "nl", "csrf_token": csrf_token(client, "/")})
    raw = b'"Parent ID number","ID number","Short name","Is framework","Taxonomy"\n,F,F,1,"hoofdstuk"\n'
    raw += b",A,a,0,\nA,B,b,0,\n"
    data = {
        "csrf_token": csrf_token(client, "/standards/import"),
        "file": (io.BytesIO(raw), "h.csv"),
        "language": "nl",
    }
    html = client.post("/standards/import", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "taxonomie hoofdstuk heeft geen Bekwaam-tegenhanger: geïmporteerd als sectie" in html
    assert "als section" not in html
    assert "Brontaal: <strong>Nederlands</strong>" in html
    assert 'name="language" type="hidden" value="nl"' in html


def test_a_file_that_names_no_language_is_undetermined_unless_the_uploader_chooses_one(client, world, app) -> None:  # noqa: F811
    """Not the interface language: an English file uploaded from the Dutch interface is not Dutch."""
    sign_in(client, "platform_admin@test.example")
    client.post("/language", data={"lang": "nl", "csrf_token": csrf_token(client, "/")})
    assert '<option selected value="und">' in client.get("/standards/import").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    html = _upload(client, (FIXTURES / "moodle_14col.csv").read_bytes(), "kok.csv").get_data(as_text=True)
    assert "Source language: <strong>Undetermined (und)</strong>" in html
    assert "choose the language of its texts on upload" in html


def test_a_moodle_file_is_imported_in_the_language_chosen_on_upload(client, world, app) -> None:  # noqa: F811
    sign_in(client, "platform_admin@test.example")
    data = {
        "csrf_token": csrf_token(client, "/standards/import"),
        "file": (io.BytesIO((FIXTURES / "moodle_14col.csv").read_bytes()), "kok.csv"),
        "language": "nl",
    }
    html = client.post("/standards/import", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Moodle files name no language: marked as Dutch, chosen on upload" in html
    form = {"csrf_token": csrf_token(client, "/standards/import"), "digest": _digest(html), "name": "kok.csv"}
    form.update(format="moodle", language="nl")
    assert client.post("/standards/import", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Framework.language).where(Framework.code == "kok-2026")) == "nl"
    assert "<dd>Dutch</dd>" in client.get("/standards/kok-2026").get_data(as_text=True)


def test_another_language_on_confirming_is_not_what_was_previewed(client, world, app) -> None:  # noqa: F811
    sign_in(client, "platform_admin@test.example")
    html = _upload(client, (FIXTURES / "moodle_14col.csv").read_bytes(), "kok.csv").get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, "/standards/import"), "digest": _digest(html), "name": "kok.csv"}
    form.update(format="moodle", language="hu")
    resp = client.post("/standards/import", data=form)
    assert resp.status_code == 200 and "changed since the preview" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Framework).where(Framework.code == "kok-2026")) is None


def test_confirming_removes_the_waiting_upload_and_old_unconfirmed_ones_are_swept(client, world, app) -> None:  # noqa: F811
    import os
    import time

    folder = Path(app.instance_path) / "standard-imports"
    sign_in(client, "platform_admin@test.example")
    html = _upload(client, (FIXTURES / "moodle_14col.csv").read_bytes(), "kok.csv").get_data(as_text=True)
    waiting = folder / f"{_digest(html)}.upload"
    assert waiting.is_file()
    stale = folder / f"{'a' * 64}.upload"
    stale.write_bytes(b"old")
    os.utime(stale, (time.time() - 25 * 3600,) * 2)
    fresh = folder / f"{'b' * 64}.upload"
    fresh.write_bytes(b"new")
    form = {"csrf_token": csrf_token(client, "/standards/import"), "digest": _digest(html), "name": "kok.csv"}
    form["format"] = "moodle"
    assert client.post("/standards/import", data=form).status_code == 302
    assert not waiting.exists()
    _upload(client, b"not a standard", "x.txt")  # every preview sweeps
    assert not stale.exists() and fresh.is_file()
    os.utime(fresh, (time.time() - 25 * 3600,) * 2)
    result = app.test_cli_runner().invoke(args=["standards", "sweep-imports"])
    assert result.exit_code == 0 and "1 unconfirmed upload(s) removed" in result.output
    assert not fresh.exists()
