"""A demo student builds evidence, asks for feedback, an assessor comments, the student shares a link that
opens signed out and downloads the PDF (issue 4's 'done when')."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.test_onboarding import in_english, sign_in
from tests.factories import png_bytes


def test_student_evidence_feedback_share_and_pdf(page, browser, live_server, tmp_path: Path) -> None:
    sign_in(page, "sanne@student.horizon.example")
    in_english(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", name="My portfolio")).to_be_visible()
    expect(page.get_by_text("0 of 17 with evidence")).to_be_visible()
    expect(page.get_by_text("0 of 18 with evidence")).to_be_visible()
    screenshot(page, "portfolio-home-empty")

    # Add an item with a reflection.
    page.get_by_role("link", name="Add evidence").first.click()
    page.get_by_label("Title").fill("Concurrentieanalyse webshop")
    page.get_by_label("What did you do?").fill("Vijf webshops vergeleken op prijs, assortiment en bezorging.")
    page.get_by_label("Context").select_option("internship")
    page.get_by_label("Where").fill("Webwinkel Noord BV")
    page.get_by_label("From").fill("2026-09-07")
    page.get_by_label("Until").fill("2026-09-03")
    page.get_by_label("Situation").fill("De verkoop van fietstassen liep terug.")
    page.get_by_label("Action").fill("Ik maakte een vergelijkingstabel en sprak met drie klanten.")
    page.get_by_label("Reflection", exact=True).fill("Ik had eerder met klanten moeten praten.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("the end date lies before the start date")).to_be_visible()
    page.get_by_label("Until").fill("2026-10-02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Concurrentieanalyse webshop")).to_be_visible()

    # A renamed executable is refused by content; a real image is accepted with a thumbnail.
    fake = tmp_path / "analyse.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 400)
    page.get_by_label("Add a file").set_input_files(str(fake))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("analyse.pdf is not an allowed file: its content is a Windows executable")).to_be_visible()
    image = tmp_path / "vergelijking.png"
    image.write_bytes(png_bytes((640, 400), (30, 120, 200)))
    page.get_by_label("Add a file").set_input_files(str(image))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("vergelijking.png is added.")).to_be_visible()
    expect(page.locator("img.thumb")).to_be_visible()

    # Link it to two P3 work processes and one e-CF competence, each with a self-assessment.
    claims = [
        ("B1-K1-W1 Brengt de marktpositie van de onderneming in kaart", "voldoende", "Hoofdstuk 2."),
        ("P3-K1-W1", "goed", "De testresultaten in bijlage B."),
        ("B.3", "e-2", "Ik heb het testplan uitgevoerd."),
    ]
    for target, level, why in claims:
        option = page.locator("select[name=target] option", has_text=target).first
        page.locator("select[name=target]").select_option(option.get_attribute("value"))
        level_option = page.locator("select[name=level] option", has_text=re.compile(rf"(^|\s){level}\b")).first
        page.locator("select[name=level]").select_option(level_option.get_attribute("value"))
        page.get_by_label("Why does this item prove it?").fill(why)
        page.get_by_role("button", name="Link", exact=True).click()
        expect(page.get_by_text("Linked.")).to_be_visible()
    expect(page.locator("article.claim")).to_have_count(3)
    expect(page.locator("article.claim").first).to_contain_text("self-assessment: voldoende")
    page.get_by_role("button", name="Ask for feedback").click()
    expect(page.get_by_text("Feedback requested on 3 links")).to_be_visible()
    screenshot(page, "portfolio-item-student")
    item_url = page.url.split("#")[0]

    # The assessor is told, comments and marks a claim reviewed.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "docent@horizon.example")
    in_english(page)
    page.get_by_role("link", name=re.compile("^New")).click()
    expect(page.get_by_text("Sanne Visser asks for feedback on")).to_be_visible()
    page.get_by_role("link", name="Concurrentieanalyse webshop").first.click()
    page.locator("#comments textarea").fill("Goede vergelijking. Noem ook je bronnen.")
    page.locator("#comments").get_by_role("button", name="Post comment").click()
    page.get_by_role("button", name="Mark as reviewed").first.click()
    expect(page.get_by_text("Marked as reviewed.")).to_be_visible()
    screenshot(page, "portfolio-item-assessor")
    page.get_by_role("button", name="Sign out").click()

    # The student sees what is new, and the programme view shows coverage.
    sign_in(page, "sanne@student.horizon.example")
    expect(page.locator(".bell .count")).to_have_text("2")
    page.goto(item_url)
    expect(page.get_by_text("Goede vergelijking. Noem ook je bronnen.")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()
    page.get_by_role("link", name=re.compile("E-commerce specialist 4A")).click()
    expect(page.locator(".stats")).to_contain_text("2/ 17")
    page.get_by_label("Show").select_option("missing")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("li.claimable")).to_have_count(15)
    page.get_by_label("Show").select_option("all")
    page.get_by_role("button", name="Filter").click()
    screenshot(page, "portfolio-programme")

    # Share a link; it opens signed out and shows the evidence; revoking closes it.
    page.get_by_role("link", name="Share", exact=True).click()
    page.get_by_label("For whom").fill("Webwinkel Noord BV")
    page.get_by_role("button", name="Create link").click()
    link = page.locator("#share-link").inner_text()
    anonymous = browser.new_context(locale="en-GB")
    visitor = anonymous.new_page()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Portfolio of Sanne Visser")).to_be_visible()
    expect(visitor.get_by_text("Concurrentieanalyse webshop").first).to_be_visible()
    expect(visitor.get_by_role("link", name="Sign in")).to_be_visible()
    screenshot(visitor, "portfolio-shared")
    page.goto("/portfolio/shares")
    expect(page.get_by_text("1 time", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    assert visitor.goto(link).status == 404
    anonymous.close()

    # Download the whole portfolio as a PDF, made in the background.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Portfolio").click()
    page.get_by_role("link", name=re.compile("E-commerce specialist 4A")).click()
    page.get_by_role("button", name="Download as PDF").click()
    download_link = page.get_by_role("link", name="Download PDF")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        download_link.click()
    pdf = ARTIFACTS / "portfolio.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed to read the PDF back"
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "Sanne Visser" in text and "Concurrentieanalyse webshop" in text
    assert "Brengt de marktpositie van de onderneming in kaart" in text
