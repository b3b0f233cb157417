"""Standards private to an organisation: its members (every role) and platform admins see it; to members of
another organisation and to anonymous visitors it does not exist (404) on every path, direct or indirect."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.accounts.models import ApiScope, AuditEvent, Cohort, Organisation, User
from app.accounts.services import create_api_token
from app.audit import Actor
from app.domain import DomainError
from app.extensions import db
from app.standards.models import Element, Framework
from tests.blueprints.case_ids import case_identifiers
from tests.blueprints.test_accounts import sign_in, world  # noqa: F401 - fixture
from tests.conftest import csrf_token
from tests.factories import PRIVATE_STANDARD, build_private_standard

SECRET_WORD = "zorgvuldigheidsnorm"  # only in the private standard's description
CASE = "/ims/case/v1p1"


@pytest.fixture
def private(app, world) -> dict[str, str]:  # noqa: F811
    """The school's private standard, with its CASE identifiers."""
    with app.app_context():
        school = db.session.get(Organisation, world["org"])
        fw = build_private_standard(school)
        ids = {"code": fw.code, "uuid": fw.uuid, **case_identifiers(db.session, fw.code, "EM-1")}
        db.session.commit()
        db.session.remove()
    return ids


def _paths(p: dict[str, str]) -> list[str]:
    code = p["code"]
    return [
        f"/standards/{code}",
        f"/standards/{code}/e/EM-1",
        f"/api/v1/frameworks/{code}",
        f"/api/v1/frameworks/{code}/elements/EM-1",
        f"/api/v1/frameworks/{code}/export/case",
        f"/api/v1/frameworks/{code}/export/moodle",
        f"/api/v1/frameworks/{code}/export/yaml",
        f"{CASE}/CFDocuments/{p['case_document']}",
        f"{CASE}/CFPackages/{p['case_document']}",
        f"{CASE}/CFItems/{p['case_item']}",
        f"{CASE}/CFItemAssociations/{p['case_item']}",
        f"{CASE}/CFAssociations/{p['case_association']}",
        f"{CASE}/CFRubrics/{p['case_rubric']}",
    ]


def _lists() -> list[str]:
    return [
        "/",
        "/standards/",
        f"/standards/search?q={SECRET_WORD}",
        "/standards/search?q=vaardigheid",
        "/api/v1/frameworks",
        f"/api/v1/search?q={SECRET_WORD}",
        f"/api/v1/search?q=vaardigheid&framework={PRIVATE_STANDARD}",
        f"{CASE}/CFDocuments",
    ]


@pytest.mark.parametrize("who", [None, "foreign_admin@test.example", "hr@test.example"])
def test_private_standard_does_not_exist_for_outsiders_on_any_path(client, private, who) -> None:
    if who:
        sign_in(client, who)
    for path in _paths(private):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert "Geheimzinnige" not in resp.get_data(as_text=True), path
        if path.startswith(CASE):
            assert resp.get_json()["imsx_codeMajor"] == "failure"  # like an unknown identifier
    for path in _lists():
        resp = client.get(path)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 200, path
        assert PRIVATE_STANDARD not in body and "Geheimzinnige" not in body and private["uuid"] not in body, path


@pytest.mark.parametrize("who", ["student@test.example", "assessor@test.example", "platform_admin@test.example"])
def test_members_and_platform_admins_see_it_everywhere(client, private, who) -> None:
    sign_in(client, who)
    for path in _paths(private):
        assert client.get(path).status_code == 200, path
    for path in _lists():
        assert PRIVATE_STANDARD in client.get(path).get_data(as_text=True) or "Geheimzinnige" in client.get(
            path
        ).get_data(as_text=True), path
    page = client.get(f"/standards/{PRIVATE_STANDARD}").get_data(as_text=True)
    assert "Private to Test School" in page


def test_api_tokens_see_private_standards_with_the_organisation_scope_only(app, client, private, world) -> None:  # noqa: F811
    path = f"/api/v1/frameworks/{PRIVATE_STANDARD}"
    with app.app_context():
        student = db.session.get(User, world["ids"]["student"])
        foreign = db.session.get(User, world["ids"]["foreign_admin"])
        actor = Actor.system("tests")
        narrow = create_api_token(db.session, actor, student, "narrow", [ApiScope.PROFILE_READ.value]).secret
        theirs = create_api_token(db.session, actor, foreign, "t", [ApiScope.ORGANISATION_READ.value]).secret
        db.session.commit()
    assert client.get(path, headers={"Authorization": f"Bearer {world['secrets']['student']}"}).status_code == 200
    assert client.get(path, headers={"Authorization": f"Bearer {narrow}"}).status_code == 404
    assert client.get(path, headers={"Authorization": f"Bearer {theirs}"}).status_code == 404
    assert client.get(path, headers={"Authorization": "Bearer bkw_nonsense"}).status_code == 401


def test_a_platform_standard_never_names_a_private_one_aligned_to_it(client, private) -> None:
    """The private standard aligns EM-1 to the SBB model's D: SBB's pages and exports do not show it."""
    sign_in(client, "student@test.example")  # even a member, since SBB's page is the same for everyone
    assert "sbb-competentiemodel" in client.get(f"/standards/{PRIVATE_STANDARD}/e/EM-1").get_data(as_text=True)
    for path in [
        "/standards/sbb-competentiemodel/e/D",
        "/api/v1/frameworks/sbb-competentiemodel",
        "/api/v1/frameworks/sbb-competentiemodel/export/case",
        "/api/v1/frameworks/sbb-competentiemodel/export/yaml",
    ]:
        body = client.get(path).get_data(as_text=True)
        assert PRIVATE_STANDARD not in body and "Geheimzinnige" not in body and private["case_item"] not in body


def test_cohorts_follow_platform_standards_and_their_own_private_ones_only(app, client, private, world) -> None:  # noqa: F811
    sign_in(client, "foreign_admin@test.example")
    path = f"/orgs/{world['other_org']}/cohorts/new"
    assert PRIVATE_STANDARD not in client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_token(client, path), "name": "Stolen", "year": "2026-2027"}
    resp = client.post(path, data={**data, "programme": f"{PRIVATE_STANDARD}::"})
    assert resp.status_code == 200 and "Not a valid choice" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Cohort).where(Cohort.name == "Stolen")) is None
        from app.accounts.services import create_cohort

        fw_id = db.session.scalar(select(Framework.id).where(Framework.code == PRIVATE_STANDARD))
        other = db.session.get(Organisation, world["other_org"])
        with pytest.raises(DomainError):
            create_cohort(
                db.session, Actor.system("t"), other, name="X", year="1", framework_id=fw_id, profile_key=None
            )
        db.session.rollback()

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})
    sign_in(client, "org_admin@test.example")
    own = f"/orgs/{world['org']}/cohorts/new"
    assert PRIVATE_STANDARD in client.get(own).get_data(as_text=True)
    data = {"csrf_token": csrf_token(client, own), "name": "Eigen", "year": "2026-2027"}
    assert client.post(own, data={**data, "programme": f"{PRIVATE_STANDARD}::"}).status_code == 302


def test_claims_and_assessments_refuse_elements_of_another_organisations_standard(app, private, world) -> None:  # noqa: F811
    from app.assessment import services as assessment_services
    from app.portfolio import services as portfolio

    with app.app_context():
        foreign = db.session.get(User, world["ids"]["foreign_student"])
        cohort = db.session.get(Cohort, world["other_cohort"])
        actor = Actor(user=foreign)
        item = portfolio.create_item(db.session, actor, foreign, portfolio.ItemData(title="Mine"))
        with pytest.raises(DomainError):
            portfolio.add_claim(db.session, actor, item, cohort, "EM-1", None, "")
        assessor = db.session.get(User, world["ids"]["foreign_admin"])
        with pytest.raises(DomainError):
            assessment_services.create_assessment(
                db.session,
                Actor(user=assessor),
                foreign,
                cohort,
                assessment_services.NewAssessment(kind="formative", scope_keys=["EM-1"], assessor_ids=[assessor.id]),
            )
        db.session.rollback()


# --- importing for an organisation ---------------------------------------------------------------


def _yaml(code: str = "eigen-model-b", extra: str = "") -> bytes:
    return (
        "format: bekwaam-standard/1\n"
        f"framework: {{code: {code}, title: Eigen model, kind: imported_framework, language: nl}}\n"
        "elements:\n"
        f"  - {{code: X-1, type: competence, title: Eerste vaardigheid{extra}}}\n"
    ).encode()


def _upload(client, raw: bytes, owner: str | None = None, name: str = "eigen.yaml"):
    data = {"csrf_token": csrf_token(client, "/standards/import"), "format": "", "file": (io.BytesIO(raw), name)}
    if owner is not None:
        data["owner"] = owner
    return client.post("/standards/import", data=data, content_type="multipart/form-data")


def _confirm(client, html: str, owner: str | None = None):
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', html).group(1)
    shown = re.search(r'name="owner" type="hidden" value="([^"]*)"', html).group(1)
    form = {
        "csrf_token": csrf_token(client, "/standards/import"),
        "digest": digest,
        "format": "yaml",
        "name": "eigen.yaml",
        "owner": shown if owner is None else owner,
    }
    return client.post("/standards/import", data=form)


def test_organisation_admin_imports_a_standard_private_to_their_organisation(app, client, world) -> None:  # noqa: F811
    sign_in(client, "org_admin@test.example")
    assert "Only the members of Test School" in client.get("/standards/import").get_data(as_text=True)
    preview = _upload(client, _yaml()).get_data(as_text=True)
    assert "Private to Test School" in preview and "Creates the standard eigen-model-b" in preview
    done = _confirm(client, preview)
    assert done.status_code == 302 and done.headers["Location"].endswith("/standards/eigen-model-b")
    with app.app_context():
        fw = db.session.scalars(select(Framework).where(Framework.code == "eigen-model-b")).one()
        assert fw.organisation_id == world["org"]
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "standards.import")).one()
        assert event.organisation_id == world["org"] and event.actor_label == "org_admin@test.example"
        assert event.details["owner"] == "Test School" and event.details["counts"] == {"competence": 1}
        assert len(event.details["digest"]) == 64
    audit = client.get(f"/orgs/{world['org']}/audit").get_data(as_text=True)
    assert "standards.import" in audit or "eigen.yaml" in audit
    org_page = client.get(f"/orgs/{world['org']}").get_data(as_text=True)
    assert "eigen-model-b" in org_page and f"/standards/import?organisation={world['org']}" in org_page
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})
    sign_in(client, "foreign_admin@test.example")
    assert client.get("/standards/eigen-model-b").status_code == 404
    assert "eigen-model-b" not in client.get(f"/orgs/{world['other_org']}").get_data(as_text=True)


def test_organisation_admin_cannot_import_for_the_platform_or_another_organisation(app, client, world) -> None:  # noqa: F811
    sign_in(client, "org_admin@test.example")
    refused = _upload(client, _yaml(), owner="platform")
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    assert "Not a valid choice" in _upload(client, _yaml(), owner=str(world["other_org"])).get_data(as_text=True)
    preview = _upload(client, _yaml()).get_data(as_text=True)
    assert _confirm(client, preview, owner="platform").status_code == 403
    assert _confirm(client, preview, owner=str(world["other_org"])).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Framework).where(Framework.code == "eigen-model-b")) is None
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})
    sign_in(client, "student@test.example")
    assert client.get("/standards/import").status_code == 403


def test_platform_admin_imports_for_an_organisation(app, client, world) -> None:  # noqa: F811
    sign_in(client, "platform_admin@test.example")
    page = client.get(f"/standards/import?organisation={world['other_org']}").get_data(as_text=True)
    assert f'<option selected value="{world["other_org"]}">' in page
    preview = _upload(client, _yaml(), owner=str(world["other_org"])).get_data(as_text=True)
    assert "Private to Other School" in preview
    assert _confirm(client, preview).status_code == 302
    with app.app_context():
        fw = db.session.scalars(select(Framework).where(Framework.code == "eigen-model-b")).one()
        assert fw.organisation_id == world["other_org"]


def test_a_code_of_another_owner_is_refused_and_a_private_code_is_not_named(app, client, private, world) -> None:  # noqa: F811
    from pathlib import Path

    sign_in(client, "foreign_admin@test.example")
    raw = (Path(__file__).parents[1] / "fixtures" / "standards" / "private-standard.yaml").read_bytes()
    html = _upload(client, raw).get_data(as_text=True)
    assert "belongs to a standard of another owner" in html and 'name="digest"' not in html
    # An identifier held by a standard this admin may not see: counted, never named.
    taken = _yaml(extra=f", uuid: {private['case_item']}")
    html = _upload(client, taken).get_data(as_text=True)
    assert "1 identifiers are already used by another standard</td>" in html and PRIVATE_STANDARD not in html

    # Pointing at the private standard's elements is the same as pointing at a standard that does not exist.
    aligned = _yaml(extra=", alignments: [{to: 'school-eigen-model:EM-1', relation: related}]")
    html = _upload(client, aligned).get_data(as_text=True)
    assert "unknown framework" in html and "school-eigen-model" in html  # the admin's own text, echoed
    missing = _upload(client, aligned.replace(b"school-eigen-model", b"no-such-model")).get_data(as_text=True)
    assert re.sub("no-such-model", "X", missing).count("unknown framework") == html.count("unknown framework")

    # The platform cannot take a private code either: the school keeps its standard.
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/")})
    sign_in(client, "platform_admin@test.example")
    html = _upload(client, raw, owner="platform").get_data(as_text=True)
    assert "belongs to a standard of another owner" in html
    with app.app_context():
        fw = db.session.scalars(select(Framework).where(Framework.code == PRIVATE_STANDARD)).one()
        assert fw.organisation_id == world["org"]
        assert db.session.scalar(select(Element.id).where(Element.framework_id == fw.id, Element.key == "EM-1"))


def test_school_admin_updates_its_own_private_standard(app, client, private, world) -> None:  # noqa: F811
    from pathlib import Path

    sign_in(client, "org_admin@test.example")
    path = Path(__file__).parents[1] / "fixtures" / "standards" / "private-standard.yaml"
    raw = path.read_bytes().replace(b"Tweede vaardigheid", b"Tweede vaardigheid, herzien")
    html = _upload(client, raw).get_data(as_text=True)
    assert "Updates the standard school-eigen-model" in html
    assert _confirm(client, html).status_code == 302
    assert "herzien" in client.get(f"/standards/{PRIVATE_STANDARD}").get_data(as_text=True)
