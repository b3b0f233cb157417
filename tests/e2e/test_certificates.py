"""A demo student who completed P3 gets a certificate; its QR code leads to the verification page; the
credential verifies; after one changed character it does not; after revocation the page says revoked
(issue 6's 'done when'); issuing is previewed and confirmed, the run fills in live, revoking asks for the
password and the register keeps the revoked certificate (issue 16)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.e2e.conftest import ARTIFACTS, screenshot
from tests.e2e.test_assessment import switch
from tests.e2e.test_onboarding import in_english, sign_in


def test_certify_verify_tamper_and_revoke(page, browser, live_server, tmp_path: Path) -> None:
    sign_in(page, "examencommissie@horizon.example")
    in_english(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Certificates").click()
    page.get_by_role("link", name="E-commerce specialist 4A").click()
    daan = page.locator("tr", has_text="Daan Mulder")
    expect(daan.get_by_text("earned")).to_be_visible()
    expect(page.locator("tr", has_text="Sanne Visser").get_by_text("not yet")).to_be_visible()
    screenshot(page, "certificates-cohort")
    daan.get_by_role("link", name="Issue").click()
    # First who gets what, then the confirmation; cancelling issues nothing.
    expect(page.locator("tr", has_text="Daan Mulder")).to_contain_text("will be issued")
    expect(page.get_by_text("1 certificate will be issued")).to_be_visible()
    screenshot(page, "certificates-preview-one")
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("tr", has_text="Daan Mulder").get_by_text("earned")).to_be_visible()

    # The whole cohort in one go, previewed: Daan gets it, Sanne has not earned it.
    page.get_by_role("link", name="Certify the whole cohort").click()
    expect(page.locator("tr", has_text="Daan Mulder")).to_contain_text("will be issued")
    expect(page.locator("tr", has_text="Sanne Visser")).to_contain_text("not earned")
    screenshot(page, "certificates-preview-cohort")
    page.get_by_role("button", name="Confirm and issue").click()
    # The run page fills in each student's result by itself, without a reload.
    expect(page.locator("tr", has_text="Daan Mulder")).to_contain_text("issued", timeout=60_000)
    expect(page.locator("tr", has_text="Sanne Visser")).to_contain_text("not earned", timeout=60_000)
    expect(page.get_by_text(re.compile(r"Done: 1 issued of \d+\."))).to_be_visible(timeout=60_000)
    screenshot(page, "certificates-batch")

    # The student downloads the PDF and the credential.
    switch(page, "daan@student.horizon.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Certificates").click()
    expect(page.get_by_text("P3 E-commerce specialist")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    pdf = ARTIFACTS / "certificate.pdf"
    info.value.save_as(pdf)
    with page.expect_download() as info:
        page.get_by_role("link", name="digital credential").click()
    credential_file = tmp_path / "credential.json"
    info.value.save_as(credential_file)
    screenshot(page, "certificates-student")

    # The QR code on the PDF leads to the verification page.
    png = tmp_path / "page"
    subprocess.run([shutil.which("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(png)],  # noqa: S603
                   check=True)  # fmt: skip
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg (zbar-tools) reads the QR code"
    decoded = subprocess.run([zbarimg, "--raw", "-q", next(tmp_path.glob("page*.png"))], capture_output=True,  # noqa: S603
                             text=True, check=True).stdout.strip()  # fmt: skip
    assert re.search(r"/verify/[\w-]+$", decoded), decoded
    verify_path = decoded[decoded.index("/verify/") :]
    anonymous = browser.new_context(base_url=live_server, locale="en-GB")
    visitor = anonymous.new_page()
    visitor.goto(verify_path)
    expect(visitor.get_by_text("Valid: issued by ROC Horizon (demo) and not revoked.")).to_be_visible()
    screenshot(visitor, "certificates-verify")

    # The credential file verifies when uploaded; after one changed character it does not.
    visitor.goto("/verify")
    visitor.get_by_label("Credential file").set_input_files(str(credential_file))
    visitor.get_by_role("button", name="Check").click()
    expect(visitor.get_by_text("Valid: the credential is authentic, unchanged and not revoked.")).to_be_visible()
    tampered = json.loads(credential_file.read_text(encoding="utf-8"))
    tampered["credentialSubject"]["name"] = tampered["credentialSubject"]["name"].replace("Daan", "Dean")
    tampered_file = tmp_path / "tampered.json"
    tampered_file.write_text(json.dumps(tampered), encoding="utf-8")
    visitor.goto("/verify")
    visitor.get_by_label("Credential file").set_input_files(str(tampered_file))
    visitor.get_by_role("button", name="Check").click()
    expect(visitor.get_by_text("Not valid")).to_be_visible()
    expect(visitor.get_by_text("does not hold")).to_be_visible()
    screenshot(visitor, "certificates-tampered")

    # Revoked: the verification page says so, with date and reason.
    switch(page, "examencommissie@horizon.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Certificates").click()
    page.get_by_role("link", name="E-commerce specialist 4A").click()
    row = page.locator("tr", has_text="Daan Mulder")
    row.get_by_text("Revoke").first.click()
    row.get_by_label("Reason").fill("Uitgegeven met een verkeerde datum")
    row.get_by_label("Your password").fill(DEMO_PASSWORD)
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("is revoked; the verification page and the status list say so")).to_be_visible()
    visitor.goto(verify_path)
    expect(visitor.get_by_text(re.compile("Revoked on"))).to_be_visible()
    expect(visitor.get_by_text("Uitgegeven met een verkeerde datum")).to_be_visible()
    screenshot(visitor, "certificates-revoked")

    # The register keeps the revoked certificate, found by the holder's name.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Certificates").click()
    page.get_by_role("link", name=re.compile("Register of")).click()
    page.get_by_label("Number or name").fill("Daan")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tr", has_text="Daan Mulder").first).to_contain_text("revoked")
    screenshot(page, "certificates-register")
    anonymous.close()
