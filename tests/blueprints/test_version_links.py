"""A cohort still on an older version of its standard links to that version's pages, never to the current
version's (where an element may be missing or read differently)."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import Cohort
from app.extensions import db
from tests.blueprints.test_accounts import sign_in
from tests.factories import build_portfolio, build_second_version, build_world


@pytest.fixture
def older(app):
    with app.app_context():
        w = build_world()
        pw = build_portfolio(w)
        cohort = w.cohort
        old, new = build_second_version(cohort.framework.code)
        assert cohort.framework_id == old.id and new.version == "2099"
        db.session.commit()
        data = {
            "code": old.code,
            "version": old.version,
            "student": w.users["student"].id,
            "cohort": cohort.id,
            "org": w.school.id,
            "item": pw.item.id,
        }
        db.session.remove()
    return data


def _element_links(html: str, code: str) -> list[str]:
    return re.findall(rf'href="(/standards/{re.escape(code)}/[^"]*)"', html)


def test_portfolio_pages_of_a_cohort_on_an_older_version_link_to_that_version(client, older) -> None:
    sign_in(client, "student@test.example")
    code, version = older["code"], older["version"]
    programme = client.get(f"/portfolio/students/{older['student']}/programmes/{older['cohort']}")
    item = client.get(f"/portfolio/items/{older['item']}")
    for page in (programme, item):
        assert page.status_code == 200
        links = _element_links(page.get_data(as_text=True), code)
        assert links and all(link.startswith(f"/standards/{code}/versions/{version}") for link in links), links
    element = next(link for link in _element_links(item.get_data(as_text=True), code) if "/e/" in link)
    assert client.get(element).status_code == 200


def test_the_cohort_page_links_to_the_cohorts_own_version(client, older, app) -> None:
    with app.app_context():
        cohort = db.session.get(Cohort, older["cohort"])
        cohort.profile_key = cohort.framework.elements[0].key
        db.session.commit()
        db.session.remove()
    sign_in(client, "org_admin@test.example")
    html = client.get(f"/orgs/{older['org']}/cohorts/{older['cohort']}").get_data(as_text=True)
    code, version = older["code"], older["version"]
    links = _element_links(html, code)
    assert links and all(link.startswith(f"/standards/{code}/versions/{version}") for link in links), links
