"""The version pages: a standard's versions side by side, the diff page, reviewing and confirming a mapping,
and an organisation admin moving a cohort to the new version."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from app.accounts.models import AuditEvent, Cohort
from app.audit import Actor
from app.extensions import db
from app.standards.importers import service as importer
from app.standards.loader import load_paths
from app.standards.queries import EVERYONE, get_framework
from app.versioning.models import VersionMapping
from tests.blueprints.test_accounts import sign_in, world  # noqa: F401 - fixture
from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parents[2]
V4 = ROOT / "seeds" / "standards" / "bk-0331-4.yaml"
V5 = ROOT / "tests" / "fixtures" / "standards" / "bk-0331-5.yaml"
CODE = "bk-0331-4"


def _load_versions(app, v5: bool = True) -> None:
    with app.app_context():
        load_paths(db.session, [V4])
        if v5:
            importer.apply(db.session, Actor.system("tests"), importer.preview(db.session, V5.read_bytes(), V5.name))
        db.session.commit()
        db.session.remove()


def test_versions_sit_side_by_side_with_their_own_addresses(client, app) -> None:
    _load_versions(app)
    current = client.get(f"/standards/{CODE}").get_data(as_text=True)
    assert "Werkt in teamverband en overlegt" in current  # version 5 is the current one
    assert f"/standards/{CODE}/versions/4" in current and f"/standards/{CODE}/diff?from=4&amp;to=5" in current
    old = client.get(f"/standards/{CODE}/versions/4").get_data(as_text=True)
    assert "This is version 4. The current version is 5." in old
    assert f"/standards/{CODE}/versions/4/e/competentie-2" in old  # its elements keep to version 4
    assert client.get(f"/standards/{CODE}/versions/4/e/competentie-2").status_code == 200
    assert client.get(f"/standards/{CODE}/e/competentie-2").status_code == 404  # not in version 5
    assert client.get(f"/standards/{CODE}/versions/9").status_code == 404
    index = client.get("/standards/").get_data(as_text=True)
    assert "older version" in index


def test_diff_page_counts_and_filters_the_changes(client, app) -> None:
    _load_versions(app)
    page = client.get(f"/standards/{CODE}/diff?from=4&to=5")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "What changed from version 4 to 5" in html
    assert "Werkt met het oog voor veiligheid, welzijn, orde en netheid" in html  # removed
    assert "Werkt veilig met gegevens volgens de AVG" in html  # added
    removed_only = client.get(f"/standards/{CODE}/diff?from=4&to=5&show=removed").get_data(as_text=True)
    assert "Werkt veilig met gegevens volgens de AVG" not in removed_only
    assert "Propose a mapping" not in html  # anonymous visitors read the diff only
    assert client.get(f"/standards/{CODE}/diff?from=4&to=7").status_code == 404


def test_diff_page_query_count_does_not_grow_with_the_standard(client, app, count_queries) -> None:
    _load_versions(app)
    count_queries.reset()
    client.get(f"/standards/{CODE}/diff?from=4&to=5&show=all")
    assert count_queries.count <= 10  # the versions, then one query per version's elements: never one per element


def test_platform_admin_proposes_reviews_and_confirms_a_mapping_then_an_org_admin_moves_a_cohort(
    client,
    app,
    world,  # noqa: F811
) -> None:
    _load_versions(app)
    with app.app_context():
        v4 = get_framework(db.session, CODE, "4", audience=EVERYONE)
        cohort = db.session.get(Cohort, world["cohort"])
        cohort.framework_id = v4.id
        db.session.commit()
        db.session.remove()
    sign_in(client, "platform_admin@test.example")
    diff_url = f"/standards/{CODE}/diff?from=4&to=5"
    token = csrf_token(client, diff_url)
    resp = client.post(f"/standards/{CODE}/mapping", data={"csrf_token": token, "from_version": "4", "to_version": "5"})
    assert resp.status_code == 302
    mapping_url = resp.headers["Location"]
    page = client.get(mapping_url).get_data(as_text=True)
    assert "Mapping from version 4 to 5" in page and "no successor" in page
    row_id = re.search(r'/rows/(\d+)\?show=review" >|/rows/(\d+)', page)
    row = next(g for g in row_id.groups() if g)
    mapping_id = mapping_url.rstrip("/").split("/")[-1]
    token = csrf_token(client, mapping_url)
    changed = client.post(
        f"/standards/mappings/{mapping_id}/rows/{row}",
        data={"csrf_token": token, "relation": "replacedBy", "successor": "no-such-element"},
    )
    assert changed.status_code in (302, 303, 400)  # refused: the new version has no such element
    confirmed = client.post(f"/standards/mappings/{mapping_id}/confirm", data={"csrf_token": token})
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.get(VersionMapping, int(mapping_id)).confirmed
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})

    sign_in(client, "org_admin@test.example")
    url = f"/orgs/{world['org']}/cohorts/{world['cohort']}/version"
    page = client.get(url).get_data(as_text=True)
    assert "version 5" in page
    moved = client.post(url, data={"csrf_token": csrf_token(client, url), "mapping": mapping_id})
    assert moved.status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, world["cohort"]).framework.version == "5"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cohort.moved_version")) is not None
