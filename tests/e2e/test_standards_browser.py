"""A visitor walks through the standards in a real browser (issue 2's 'done when')."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot


def test_walk_through_the_standards(page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Standards loaded")).to_be_visible()
    page.get_by_role("link", name="Standards", exact=True).click()
    expect(page.get_by_role("heading", name="Standards", level=1)).to_be_visible()
    for title in [
        "Multimediasite beheren",
        "Commercie",
        "Online Közösség Menedzser",
        "Digitale Gebruikersondersteuner",
    ]:
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    screenshot(page, "standards-index")

    # mbo: profile P3 and its work processes with behaviour and competences
    page.get_by_role("link", name="Commercie", exact=True).click()
    expect(page.get_by_role("heading", name="Commercie", level=1)).to_be_visible()
    page.get_by_role("button", name="Expand all").click()
    expect(page.locator("#el-P3-K1-W1")).to_be_visible()
    screenshot(page, "framework-mbo")
    page.locator("#el-P3-K1-W1 > details > summary a.more").click()
    expect(page.get_by_role("heading", name="Test en monitort online kanalen")).to_be_visible()
    expect(page.get_by_text("Resultaat", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Alignments")).to_be_visible()
    screenshot(page, "element-work-process")
    # Alignments are shown on both ends: follow one to the SBB competence model and back.
    page.locator(".alignments a").first.click()
    expect(page.get_by_text("SBB-competentiemodel").first).to_be_visible()
    expect(page.locator(".alignments")).to_contain_text("P3-K1-W1")

    # e-CF: level descriptors with the target level
    page.goto("/standards/ecf-profile-online-community-manager/e/B.3")
    expect(page.locator("tr.target")).to_contain_text("e-3")
    expect(page.locator("tr.filled")).to_have_count(2)
    screenshot(page, "element-ecf-levels")

    # Search ignores case and diacritics
    page.get_by_placeholder("Search the standards").fill("ENQUETE")
    page.keyboard.press("Enter")
    expect(page.locator(".results")).to_contain_text(
        "Online-enquêtes en -peilingen bij gebruikers van de site uitvoeren"
    )
    screenshot(page, "search")

    # The interface switches to Dutch; the content stays in its source language.
    page.get_by_label("Language").select_option("nl")
    expect(page.get_by_role("link", name="Normen", exact=True)).to_be_visible()
    page.goto("/standards/bk-0331-4")
    expect(page.get_by_role("heading", name="Digitale Gebruikersondersteuner")).to_be_visible()
    expect(page.get_by_text("Brontaal", exact=True)).to_be_visible()
    screenshot(page, "framework-bk-nl")


def test_unknown_standard_is_a_friendly_404(page) -> None:
    response = page.goto("/standards/does-not-exist")
    assert response is not None and response.status == 404
    expect(page.get_by_text(re.compile("There is no standard with the code does-not-exist"))).to_be_visible()
