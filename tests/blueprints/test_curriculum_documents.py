"""The examenplan as a PDF and an XLSX, on the demo programmes: the instruments, what they examine, the
adoption line and (for a cohort) its standing; readers of the school only; a cohort that does not follow
the plan is not found."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.blueprints import test_curriculum as base
from tests.blueprints.test_accounts import sign_in
from tests.conftest import csrf_token
from tests.factories import PASSWORD

school = base.school
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None and not os.environ.get("REQUIRE_PDFTOTEXT"), reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    # A fixed tool on a file this test wrote: no untrusted input reaches the command line.
    run = subprocess.run([str(PDFTOTEXT), str(path), "-"], capture_output=True, check=True, text=True)  # noqa: S603
    return " ".join(run.stdout.split())


def _adopt_bk(client, school) -> None:
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "committee@test.example")
    token = csrf_token(client, f"/curricula/{school['cur_bk']}")
    response = client.post(
        f"/curricula/{school['cur_bk']}/adopt", data={"csrf_token": token, "adopt-password": PASSWORD}
    )
    assert response.status_code == 302


@needs_pdftotext
def test_exam_plan_pdf_lists_instruments_what_they_examine_and_the_adoption(client, school, tmp_path) -> None:
    sign_in(client, "anouk@test.example")
    response = client.get(f"/curricula/{school['cur']}/exam-plan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.data, tmp_path)
    assert "E4 Proeve van bekwaamheid B1-K1" in text and "E3 Oefenexamen data en conversie" in text
    assert "B1-K1-W1 Brengt de marktpositie van de onderneming in kaart" in text
    assert "Periode 4" in text and "formative" in text and "summative" in text
    assert "Draft: the exam committee has not adopted this exam plan yet." in text
    assert "Not complete: 16 of 17 elements are examined." in text
    assert "P3-K1-W5 is not examined by any summative exam instrument." in text

    _adopt_bk(client, school)
    text = pdf_text(client.get(f"/curricula/{school['cur_bk']}/exam-plan.pdf").data, tmp_path)
    assert "Adopted on " in text and " by Committee." in text
    assert "PP Praktijkproef helpdesk" in text and "competentie-17" in text


@needs_pdftotext
def test_exam_plan_pdf_for_a_cohort_shows_its_standing(client, school, tmp_path) -> None:
    sign_in(client, "lead@test.example")
    response = client.get(f"/curricula/{school['cur']}/exam-plan.pdf?cohort={school['p3']}")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Cohort: 4A" in text and "planned 1 · in progress 0 · passed 0 · failed 0" in text


def test_exam_plan_xlsx_holds_the_same_content(client, school) -> None:
    sign_in(client, "lead@test.example")
    _adopt_bk(client, school)
    response = client.get(f"/curricula/{school['cur_bk']}/exam-plan.xlsx?cohort={school['bk']}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    plan, elements = book.worksheets
    cells = [[c.value for c in row] for row in plan.iter_rows()]
    about = {row[0]: row[1] for row in cells[:10] if row[0]}
    assert about["Adoption"].startswith("Adopted on ") and about["Cohort"] == "4B"
    assert about["Exam plan check"] == "Complete: 17 of 17 elements are examined."
    header = next(i for i, row in enumerate(cells) if row[0] == "Code")
    assert cells[header][:4] == ["Code", "Exam instrument", "Kind", "Summative or formative"]
    first = cells[header + 1]
    assert first[:4] == ["PP", "Praktijkproef helpdesk", "Practical exam", "summative"]
    assert "competentie-17 " in first[6] and first[7] == 2
    assert first[-5:-1] == [1, 0, 0, 0]
    rows = [[c.value for c in row] for row in elements.iter_rows(min_row=2)]
    assert len(rows) == 17 and rows[0][:3] == ["PP", "cluster-1", "competentie-1"]


def test_the_exam_plan_of_another_cohort_or_a_bad_format_is_not_found(client, school) -> None:
    sign_in(client, "lead@test.example")
    assert client.get(f"/curricula/{school['cur']}/exam-plan.pdf?cohort={school['bk']}").status_code == 404
    assert client.get(f"/curricula/{school['cur']}/exam-plan.pdf?cohort=x1").status_code == 404
    assert client.get(f"/curricula/{school['cur']}/exam-plan.docx").status_code == 404
