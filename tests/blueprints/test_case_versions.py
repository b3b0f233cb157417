"""Versions in the CASE provider and the downloads: each version is served by its own identifier, and an
older version's document points at its own pages, not at the current version's."""

from __future__ import annotations

import json

import pytest

from app.extensions import db
from tests.factories import build_second_version

BASE = "/ims/case/v1p1"
CODE = "mbo-commercie"


@pytest.fixture
def versions(app) -> dict[str, str]:
    with app.app_context():
        old, new = build_second_version(CODE)
        db.session.commit()
        ids = {"old": old.uuid, "new": new.uuid, "old_version": old.version or "-", "new_version": new.version}
        ids["old_item"] = old.elements[0].uuid
        db.session.remove()
    return ids


def test_the_provider_serves_each_version_by_its_identifier_with_its_own_addresses(client, versions) -> None:
    old = client.get(f"{BASE}/CFPackages/{versions['old']}").get_json()
    new = client.get(f"{BASE}/CFPackages/{versions['new']}").get_json()
    old_address = f"/standards/{CODE}/versions/{versions['old_version']}"
    assert old["CFDocument"].get("version", "-") == versions["old_version"] and new["CFDocument"]["version"] == "2099"
    assert old["CFDocument"]["uri"].endswith(old_address)
    assert all(f"{old_address}/e/" in i["uri"] for i in old["CFItems"])
    assert new["CFDocument"]["uri"].endswith(f"/standards/{CODE}")
    assert all(f"/standards/{CODE}/e/" in i["uri"] for i in new["CFItems"])
    item = client.get(f"{BASE}/CFItems/{versions['old_item']}").get_json()
    assert f"{old_address}/e/" in item["uri"] and item["CFDocumentURI"]["uri"].endswith(old_address)
    docs = {d["identifier"]: d["uri"] for d in client.get(f"{BASE}/CFDocuments").get_json()["CFDocuments"]}
    assert docs[versions["old"]].endswith(old_address) and docs[versions["new"]].endswith(f"/standards/{CODE}")


def test_the_page_of_an_older_version_downloads_that_version(client, versions) -> None:
    page = client.get(f"/standards/{CODE}/versions/{versions['old_version']}").get_data(as_text=True)
    link = f"/api/v1/frameworks/{CODE}/export/case?version={versions['old_version']}"
    assert link in page
    package = json.loads(client.get(link).get_data(as_text=True))
    assert package["CFDocument"]["identifier"] == versions["old"]
    current = client.get(f"/standards/{CODE}").get_data(as_text=True)
    assert f'/api/v1/frameworks/{CODE}/export/case"' in current
    assert client.get(f"/api/v1/frameworks/{CODE}/export/case?version=1900").status_code == 404
