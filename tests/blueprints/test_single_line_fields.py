"""Bad input never breaks a download (issue 10, finding 12, the names half): single-line fields refuse
control characters with a clear message, and every Content-Disposition is safe whatever the name, also
for an old row whose name already holds CR/LF, quotes and non-ASCII letters."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select, update

from app.accounts import csv_import
from app.accounts.models import Cohort, Role, User
from app.certificates import rules, services
from app.certificates.models import Certificate
from app.downloads import ascii_filename, content_disposition
from app.extensions import db
from app.forms_common import SingleLine
from app.text import has_control_characters, strip_control_characters
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token
from tests.services.test_certificates import committee, complete
from tests.services.test_certificates import school as school_fixture

HOSTILE = 'Sanne "de" Vries\\ 碁 é\r\nX-Injected: 1\t;filename=evil.exe'


@pytest.fixture
def certified(app) -> dict[str, object]:
    """Sanne's final exam and certificate, then her name (and her cohort's) as an old row could hold it."""
    with app.test_request_context(base_url="https://bekwaam.example"):
        w = school_fixture.__wrapped__()
        complete(w, "sanne")
        cert = services.issue(db.session, committee(w), w["sanne"], w["p3"], rules.PROGRAMME)
        db.session.execute(update(User).where(User.id == w["sanne"].id).values(name=HOSTILE))
        db.session.execute(update(Cohort).where(Cohort.id == w["p3"].id).values(name='4A\r\n"碁"'))
        db.session.commit()
        data = {"sanne": w["sanne"].id, "cohort": w["p3"].id, "cert": cert.id}
        from app.assessment.models import Assessment

        data["assessment"] = db.session.scalar(
            select(Assessment.id).where(Assessment.candidate_id == w["sanne"].id).order_by(Assessment.id)
        )
        db.session.remove()
    return data


def _assert_safe(response, extension: str) -> None:
    assert response.status_code == 200, response.status_code
    header = response.headers["Content-Disposition"]
    assert header.startswith("attachment; filename=")
    assert not has_control_characters(header)
    plain = re.match(r'attachment; filename=("[^"]*"|[^;]+)', header).group(1)
    assert plain.isascii() and "\\" not in plain and "/" not in plain
    assert plain.strip('"').endswith(extension)
    exact = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    if exact:
        assert unquote(exact.group(1)).endswith(extension)


def test_a_name_with_cr_lf_quotes_and_non_ascii_downloads_every_pdf_and_export(app, certified) -> None:
    client = app.test_client()
    sign_in(client, "sanne@test.example")
    _assert_safe(client.get(f"/assess/{certified['assessment']}/form.pdf"), ".pdf")
    _assert_safe(client.get(f"/certificates/{certified['cert']}/certificate.pdf"), ".pdf")
    _assert_safe(client.get(f"/certificates/{certified['cert']}/credential.json"), ".json")
    page = f"/portfolio/students/{certified['sanne']}/programmes/{certified['cohort']}"
    token = csrf_token(client, page)
    status_url = client.post(f"{page}/export", data={"csrf_token": token}).headers["Location"]
    progress = client.get(status_url + "/status").get_json()
    assert progress["status"] == "done"
    export = client.get(progress["download"])
    _assert_safe(export, ".pdf")
    assert "碁" in unquote(export.headers["Content-Disposition"])  # the exact name survives in filename*

    staff = app.test_client()
    sign_in(staff, "anouk@test.example")  # an assessor of the cohort
    _assert_safe(staff.get(f"/assess/{certified['assessment']}/form.pdf"), ".pdf")
    for fmt in ("csv", "xlsx"):
        _assert_safe(staff.get(f"/assess/cohorts/{certified['cohort']}/results.{fmt}"), f".{fmt}")


def test_profile_name_with_a_line_break_is_refused_with_a_clear_message(app, client, certified) -> None:
    sign_in(client, "daan@test.example")
    for bad in ("Daan\r\nX-Injected: 1", "Daan\tde Boer", "Daan\x00", "Daan\u2028Boer"):
        resp = client.post(
            "/account/", data={"csrf_token": csrf_token(client, "/account/"), "name": bad, "language": "en"}
        )
        assert resp.status_code == 200
        assert "Use one line without line breaks, tabs or other control characters." in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.name).where(User.email == "daan@test.example")) == "Daan"
    ok = client.post(
        "/account/", data={"csrf_token": csrf_token(client, "/account/"), "name": 'Daan "碁" é', "language": "en"}
    )
    assert ok.status_code == 302


def test_the_message_is_translated(client, certified) -> None:
    sign_in(client, "daan@test.example")
    client.post("/language", data={"lang": "nl", "next": "/", "csrf_token": csrf_token(client, "/")})
    resp = client.post(
        "/account/", data={"csrf_token": csrf_token(client, "/account/"), "name": "A\nB", "language": "nl"}
    )
    assert resp.status_code == 200 and '<html lang="nl">' in resp.get_data(as_text=True)


def test_csv_import_refuses_a_name_with_a_line_break(app, certified) -> None:
    with app.app_context():
        cohort = db.session.get(Cohort, certified["cohort"])
        rows = csv_import.parse('email,name\nnew@test.example,"New\r\nX-Injected: 1"\n')
        plan = csv_import.plan_import(db.session, cohort, Role.STUDENT, rows)
        assert [r.reasons for r in plan.rows] == [["the name contains a line break, tab or other control character"]]


@pytest.mark.parametrize(
    ("name", "plain", "exact"),
    [
        ("screen.png", "screen.png", None),
        ("report v2.pdf", '"report v2.pdf"', None),
        ('a"b\\c.pdf', "a-b-c.pdf", 'a"b-c.pdf'),
        ("碁.pdf", "download.pdf", "碁.pdf"),
        ("résumé.docx", "resume.docx", "résumé.docx"),
        ("x\r\nSet-Cookie: a=b.pdf", '"x Set-Cookie- a=b.pdf"', "x Set-Cookie: a=b.pdf"),
        ("../../etc/passwd", "etc-passwd", None),
        ("", "download", None),
    ],
)
def test_content_disposition_is_safe_for_any_name(name, plain, exact) -> None:
    header = content_disposition(name)
    assert header.startswith(f"attachment; filename={plain}")
    assert not has_control_characters(header) and header.isascii()
    if exact is None:
        assert "filename*" not in header
    else:
        assert unquote(header.split("filename*=UTF-8''", 1)[1]) == exact
    assert ascii_filename(name).isascii()


def test_single_line_rule() -> None:
    assert has_control_characters("a\rb") and has_control_characters("a\u0085b") and has_control_characters("\x7f")
    assert not has_control_characters('Sanne "de" Vries 碁 é') and not has_control_characters(None)
    assert strip_control_characters("a\r\nb") == "a  b"
    assert SingleLine().message is None


def test_certificate_row_keeps_its_issued_name(app, certified) -> None:
    with app.app_context():
        assert db.session.get(Certificate, certified["cert"]).holder_name == "Sanne"
