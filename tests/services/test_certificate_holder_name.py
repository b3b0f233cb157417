"""A certificate keeps the holder's name as issued (issue 10, finding 4): renaming the account afterwards
changes neither the public verify page nor a PDF re-rendered after revocation; the migration fills the
name of existing certificates from their signed credential."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade

from app.certificates import pdf, rules, services
from app.extensions import db
from tests.conftest import make_app
from tests.factories import PASSWORD
from tests.services.test_certificate_pdf import flat, pdf_text
from tests.services.test_certificates import _request, committee, complete, school  # noqa: F401 - fixtures


def test_verify_page_and_re_rendered_pdf_show_the_name_as_issued(app, school, tmp_path) -> None:  # noqa: F811
    complete(school, "sanne")
    cert = services.issue(db.session, committee(school), school["sanne"], school["p3"], rules.PROGRAMME)
    assert cert.holder_name == "Sanne" == cert.credential["credentialSubject"]["name"]
    school["sanne"].name = "Mallory Renamed"  # the account's name is self-editable
    services.revoke(db.session, committee(school), cert, "Issued in error", PASSWORD)
    db.session.flush()

    html = app.test_client().get(f"/verify/{cert.public_id}").get_data(as_text=True)
    assert "Sanne" in html and "Mallory" not in html

    text = flat(pdf_text(pdf.render_certificate(cert), tmp_path))  # revoked: always rendered anew
    assert "Sanne" in text and "Mallory" not in text
    assert "Mallory" not in pdf.render_html(cert, services.verify_url(cert))


def _migration_db(tmp_path: Path):
    path = tmp_path / "migrate.sqlite"
    application = make_app(f"sqlite:///{path}", tmp_path / "instance")
    return application, path


@pytest.mark.parametrize(
    ("credential", "expected"),
    [
        ({"credentialSubject": {"name": "Sanne de Vries"}}, "Sanne de Vries"),
        ({"credentialSubject": [{"name": "Sanne de Vries"}]}, "Sanne de Vries"),
        ({"credentialSubject": {"name": "  "}}, "Current Name"),
        ({}, "Current Name"),
        ("not a credential", "Current Name"),
    ],
)
def test_migration_takes_the_holder_name_from_the_credential_else_the_current_name(
    tmp_path, credential, expected
) -> None:
    application, path = _migration_db(tmp_path)
    with application.app_context():
        upgrade(revision="53da77352914")
        db.engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO organisations (id, name, kind, created_at) VALUES (1, 'ROC', 'school', '2026-01-01')")
    con.execute(
        "INSERT INTO frameworks (id, code, title, kind, language, attributes, content_hash, loaded_at) "
        "VALUES (1, 'fw', 'FW', 'mbo', 'nl', '{}', 'h', '2026-01-01')"
    )
    con.execute(
        "INSERT INTO cohorts (id, organisation_id, name, year, framework_id, created_at) "
        "VALUES (1, 1, '4A', '2026', 1, '2026-01-01')"
    )
    con.execute(
        "INSERT INTO users (id, email, name, language, active, is_platform_admin, session_token, created_at) "
        "VALUES (7, 'sanne@test.example', 'Current Name', 'nl', 1, 0, 'tok', '2026-01-01')"
    )
    con.execute(
        "INSERT INTO certificates (id, public_id, number, organisation_id, candidate_id, cohort_id, scope, scope_key,"
        " title, summary, credential_id, credential, status_index, issued_at, revoked_reason) VALUES (1, 'p', 'n',"
        " 1, 7, 1, 'programme', '*', 't', '{}', 'urn:uuid:x', ?, 3, '2026-01-01', '')",
        (json.dumps(credential),),
    )
    con.commit()
    con.close()
    with application.app_context():
        upgrade(revision="a1c3e5f70001")
        name = db.session.execute(db.text("SELECT holder_name FROM certificates WHERE id = 1")).scalar_one()
        db.session.remove()
        downgrade(revision="53da77352914")  # and back: the column goes, the rows stay
        assert db.session.execute(db.text("SELECT count(*) FROM certificates")).scalar_one() == 1
        db.session.remove()
        db.engine.dispose()
    assert name == expected
