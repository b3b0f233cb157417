"""Two demo assessors judge a demo student's P3 work processes and three e-CF competences independently,
disagree on one, settle it and sign; the student's progress shows the result; a correction makes a new
version; the cohort matrix shows the class (issue 5's 'done when')."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.e2e.conftest import screenshot
from tests.e2e.test_onboarding import in_english, sign_in

ANOUK, RUBEN, LOTTE = "docent@horizon.example", "praktijk@webwinkel-noord.example", "lotte@student.horizon.example"


def switch(page, email: str) -> None:
    page.get_by_role("button", name=re.compile("^(Sign out|Uitloggen)$")).click()
    sign_in(page, email)
    in_english(page)


def judge_all(page, levels: dict[str, str], rationale: str) -> None:
    for key, label in levels.items():
        section = page.locator(f'[id="el-{key}"]')
        section.get_by_label("Overall judgement").select_option(label=label)
        rows = section.locator("table.criteria tbody tr")
        if rows.count():  # rate the first behaviour line too
            rows.first.get_by_label(label, exact=True).check()
        section.get_by_label("Rationale").fill(f"{rationale} ({key})")
        section.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.").first).to_be_visible()


def start_assessment(page, cohort: str, student: str, scope: list[str]) -> str:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessing").click()
    page.get_by_role("link", name=re.compile(re.escape(cohort))).first.click()
    page.get_by_label(student).check()
    page.get_by_label("What is judged").select_option(scope)
    page.get_by_label("Kind").select_option("summative")
    page.get_by_label("Ruben Bakker").check()
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_text("Candidate:")).to_be_visible()
    return page.url


def test_two_assessors_settle_and_sign_and_the_student_sees_progress(page, live_server) -> None:
    sign_in(page, ANOUK)
    in_english(page)
    p3 = start_assessment(page, "E-commerce specialist 4A", "Lotte de Boer", ["B1-K1-W1", "B1-K1-W2"])
    judge_all(page, {"B1-K1-W1": "voldoende", "B1-K1-W2": "goed"}, "Anouk")
    screenshot(page, "assess-judging")
    page.get_by_role("button", name="Submit my judgement").click()
    expect(page.get_by_text("The other assessor's judgement stays hidden")).to_be_visible()
    ecf = start_assessment(page, "Online community management", "Sanne Visser", ["B.3", "C.1", "D.6"])
    judge_all(
        page,
        {"B.3": "e-2 Professional", "C.1": "e-2 Professional", "D.6": "e-3 Senior Professional / Manager"},
        "Anouk",
    )
    page.get_by_role("button", name="Submit my judgement").click()

    # The workplace assessor judges on their own: Anouk's drafts are not shown.
    switch(page, RUBEN)
    page.goto(p3)
    expect(page.get_by_text("Anouk (B1-K1-W1)")).to_have_count(0)
    judge_all(page, {"B1-K1-W1": "goed", "B1-K1-W2": "goed"}, "Ruben")
    page.get_by_role("button", name="Submit my judgement").click()
    expect(page.get_by_text("Every assessor has submitted")).to_be_visible()
    expect(page.get_by_text("1 difference")).to_be_visible()
    expect(page.get_by_text("Anouk (B1-K1-W1)").first).to_be_visible()
    screenshot(page, "assess-settling")
    section = page.locator("#el-B1-K1-W1")
    section.get_by_label("Agreed judgement").select_option(label="goed")
    section.get_by_label("Note on the agreement").fill("Na overleg: goed, de analyse was grondig.")
    section.get_by_role("button", name="Save agreed judgement").click()
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign the assessment").click()
    expect(page.get_by_text("Waiting for the other signature")).to_be_visible()
    page.goto(ecf)
    judge_all(
        page,
        {
            "B.3": "e-3 Senior Professional / Manager",
            "C.1": "e-2 Professional",
            "D.6": "e-3 Senior Professional / Manager",
        },
        "Ruben",
    )
    page.get_by_role("button", name="Submit my judgement").click()
    b3 = page.locator('[id="el-B.3"]')
    b3.get_by_label("Agreed judgement").select_option(label="e-2 Professional")
    b3.get_by_role("button", name="Save agreed judgement").click()
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign the assessment").click()

    switch(page, ANOUK)
    for url in (p3, ecf):
        page.goto(url)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign the assessment").click()
        expect(page.get_by_text("The assessment is final.")).to_be_visible()
    screenshot(page, "assess-final")

    # A correction is a new version; the final one stays as it is.
    page.goto(p3)
    page.get_by_text("Correct this assessment").click()
    page.get_by_label("Reason").fill("W2 was beoordeeld op het verkeerde product.")
    page.get_by_role("button", name="Start a correction").click()
    expect(page.get_by_text("This corrects assessment")).to_be_visible()

    # The class at a glance.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessing").click()
    page.get_by_role("link", name=re.compile("E-commerce specialist 4A")).first.click()
    expect(page.locator("table.matrix tbody tr")).to_have_count(3)
    lotte = page.locator("table.matrix tbody tr", has_text="Lotte de Boer")
    expect(lotte.locator(".oc-achieved")).to_have_count(2)
    daan = page.locator("table.matrix tbody tr", has_text="Daan Mulder")  # the demo's complete record
    expect(daan.locator(".oc-achieved")).to_have_count(17)
    screenshot(page, "assess-matrix")

    # The students see their progress.
    switch(page, LOTTE)
    page.goto("/portfolio/")
    page.get_by_role("link", name=re.compile("E-commerce specialist 4A")).click()
    page.get_by_role("link", name="Progress and results").click()
    expect(page.locator(".stats")).to_contain_text("2/ 17")
    screenshot(page, "assess-progress-p3")
    switch(page, "sanne@student.horizon.example")
    page.goto("/portfolio/")
    page.get_by_role("link", name=re.compile("Online community management")).click()
    page.get_by_role("link", name="Progress and results").click()
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_text("achieved e-2, required e-3")).to_be_visible()
    screenshot(page, "assess-progress-ecf")
