"""Assessment documents: the signed form as a PDF (read back with pdftotext), the cohort's results as CSV and
XLSX. Drafts never reach paper, and nothing a user typed becomes a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.assessment import exports
from app.assessment import services as a
from app.assessment.models import AssessmentStatus
from app.audit import Actor
from app.extensions import db
from app.standards.models import Framework
from tests.factories import PASSWORD

MARKET = "Brengt de marktpositie van de onderneming in kaart"
PROACTIVE = "gaat proactief op zoek naar relevante informatie;"
GENERATED_AT = "2026-06-20 10:00 UTC"

PDFTOTEXT = shutil.which("pdftotext")
# CI installs poppler-utils and sets REQUIRE_PDFTOTEXT, so there these tests cannot quietly skip.
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None and not os.environ.get("REQUIRE_PDFTOTEXT"),
    reason="pdftotext (poppler-utils) is not installed",
)


@pytest.fixture
def school() -> dict[str, object]:
    """A school with an mbo Commercie P3 class (two students, two assessors) and an e-CF class."""
    actor = Actor.system("tests")
    s = db.session
    fw = {f.code: f for f in s.scalars(select(Framework))}
    org = accounts.create_organisation(s, actor, name="ROC Testhaven", kind=OrgKind.SCHOOL)

    def person(email: str, name: str):
        return accounts.create_user(s, actor, email=email, name=name, password=PASSWORD)

    people = {
        "sanne": person("sanne@test.example", "Sanne de Vries"),
        "daan": person("daan@test.example", "Daan Jansen"),
        "anouk": person("anouk@test.example", "Anouk Peeters"),
        "ruben": person("ruben@test.example", "Ruben Claes"),
    }
    p3 = accounts.create_cohort(
        s, actor, org, name="ECS4A", year="2025-2026", framework_id=fw["mbo-commercie"].id, profile_key="P3"
    )
    ecf = accounts.create_cohort(
        s,
        actor,
        org,
        name="OCM",
        year="2026",
        framework_id=fw["ecf-profile-online-community-manager"].id,
        profile_key=None,
    )
    for cohort in (p3, ecf):
        accounts.add_to_cohort(s, actor, cohort, people["sanne"], Role.STUDENT)
        accounts.add_to_cohort(s, actor, cohort, people["anouk"], Role.ASSESSOR)
        accounts.add_to_cohort(s, actor, cohort, people["ruben"], Role.ASSESSOR)
    accounts.add_to_cohort(s, actor, p3, people["daan"], Role.STUDENT)
    s.flush()
    return {**people, "p3": p3, "ecf": ecf}


def as_(w, who: str) -> Actor:
    return Actor(user=w[who])


def exam(w, cohort: str = "p3", scope=("B1-K1-W1", "B1-K1-W2"), candidate: str = "sanne"):
    return a.create_assessment(
        db.session,
        as_(w, "anouk"),
        w[candidate],
        w[cohort],
        a.NewAssessment(
            kind="summative",
            scope_keys=list(scope),
            assessor_ids=[w["anouk"].id, w["ruben"].id],
            context="Proeve van bekwaamheid bij De Spaak, Utrecht",
        ),
    )


def judge(w, x, who: str, key: str, level: int, criteria: dict[str, int] | None = None, rationale: str = "") -> None:
    a.save_judgement(db.session, as_(w, who), x, a.JudgementInput(key, level, criteria or {}, rationale))


def final_exam(w, candidate: str = "sanne"):
    """Both assessors judge; they differ on W2 (voldoende vs goed), settle it on goed, and both sign."""
    x = exam(w, candidate=candidate)
    w1 = {f"B1-K1-W1/behaviour-{i}": 2 for i in range(1, 7)}
    judge(w, x, "anouk", "B1-K1-W1", 2, w1, "Anouk: de analyse is degelijk.")
    judge(w, x, "ruben", "B1-K1-W1", 2, w1, "Ruben: voldoende onderbouwd.")
    judge(w, x, "anouk", "B1-K1-W2", 2, {"B1-K1-W2/behaviour-1": 2}, "Anouk: customer journey oppervlakkig.")
    judge(w, x, "ruben", "B1-K1-W2", 3, {"B1-K1-W2/behaviour-1": 3}, "Ruben: sterke klantkennis.")
    for who in ("anouk", "ruben"):
        a.submit(db.session, as_(w, who), x)
    assert x.status == AssessmentStatus.SETTLING
    a.settle(
        db.session,
        as_(w, "anouk"),
        x,
        a.JudgementInput("B1-K1-W2", 3, {"B1-K1-W2/behaviour-1": 3}),
        note="In overleg: de klantreis is volledig en goed onderbouwd.",
    )
    assert not a.sign(db.session, as_(w, "anouk"), x, PASSWORD)
    assert a.sign(db.session, as_(w, "ruben"), x, PASSWORD)
    assert x.status == AssessmentStatus.FINAL
    return x


def render(x) -> bytes:
    with force_locale("en"):
        return exports.assessment_pdf(db.session, x, GENERATED_AT)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    # A fixed tool on a file this test wrote: no untrusted input reaches the command line.
    run = subprocess.run([str(PDFTOTEXT), str(path), "-"], capture_output=True, check=True, text=True)  # noqa: S603
    return " ".join(run.stdout.split())


# --- the form ------------------------------------------------------------------------------------


@needs_pdftotext
def test_final_form_shows_candidate_assessors_criteria_and_agreed_levels(school, tmp_path: Path) -> None:
    x = final_exam(school)

    data = render(x)

    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for expected in ("Sanne de Vries", "sanne@test.example", "Anouk Peeters", "Ruben Claes", MARKET, PROACTIVE):
        assert expected in text
    assert "Analyseert de customer journey" in text
    # the overview: element, required level, agreed level, result
    assert f"B1-K1-W1 {MARKET} voldoende voldoende Achieved" in text
    assert "B1-K1-W2 Analyseert de customer journey voldoende goed Achieved" in text
    assert "In overleg: de klantreis is volledig en goed onderbouwd." in text
    assert "2 of 2 elements achieved" in text
    assert f"Assessment no. {x.id}" in text


def test_final_form_marks_agreed_levels_per_element(school) -> None:
    x = final_exam(school)
    with force_locale("en"):
        doc = exports.gather_form(db.session, x, GENERATED_AT)

    by_code = {e.node.element.code: e for e in doc.elements}
    assert [e.node.element.code for e in doc.elements] == ["B1-K1-W1", "B1-K1-W2"]
    w2 = by_code["B1-K1-W2"]
    assert [j.level.label for j in w2.overall] == ["voldoende", "goed"]
    assert w2.agreed.level.label == "goed"
    assert [lv.label if lv else None for lv in w2.criteria[0].ratings] == ["voldoende", "goed"]
    assert w2.criteria[0].agreed.label == "goed"
    assert (w2.result, by_code["B1-K1-W1"].result, doc.achieved) == ("achieved", "achieved", 2)


@needs_pdftotext
def test_open_assessment_prints_structure_but_no_drafts(school, tmp_path: Path) -> None:
    x = exam(school)
    with force_locale("en"):
        blank = exports.render_form_html(exports.gather_form(db.session, x, GENERATED_AT))
    judge(school, x, "anouk", "B1-K1-W1", 3, {"B1-K1-W1/behaviour-1": 3}, "Geheime conceptnotitie van Anouk")

    with force_locale("en"):
        html = exports.render_form_html(exports.gather_form(db.session, x, GENERATED_AT))
    text = pdf_text(render(x), tmp_path)

    assert "Geheime conceptnotitie" not in html
    assert "Geheime conceptnotitie" not in text
    assert "Judging in progress" in text
    assert MARKET in text and PROACTIVE in text
    assert "Anouk Peeters" in text  # who judges is no secret; what they judged is
    assert html == blank  # a draft changes nothing on paper: not its level, not a single rating


@needs_pdftotext
def test_correction_says_what_it_corrects_and_why(school, tmp_path: Path) -> None:
    x = final_exam(school)
    fix = a.correct(db.session, as_(school, "anouk"), x, "Rekenfout in de beoordeling")

    text = pdf_text(render(fix), tmp_path)
    old = pdf_text(render(x), tmp_path)

    assert f"Corrects #{x.id}: Rekenfout in de beoordeling" in text
    assert f"corrected by assessment #{fix.id}" in old


def test_ecf_competence_shows_level_descriptors_with_target_and_achieved(school) -> None:
    x = exam(school, cohort="ecf", scope=("A.3",))
    for who, level in (("anouk", 3), ("ruben", 3)):
        judge(school, x, who, "A.3", level, rationale="Sterk plan.")
        a.submit(db.session, as_(school, who), x)

    with force_locale("en"):
        doc = exports.gather_form(db.session, x, GENERATED_AT)
        html = exports.render_form_html(doc)
    data = render(x)

    (element,) = doc.elements
    assert element.criteria == []
    (descriptor,) = element.descriptors
    assert (descriptor.level, descriptor.target) == (3, True)
    assert element.ticks(3) == ([True, True], True)
    assert 'lang="hu"' in html and "Szaktudásával hozzájárul" in html
    assert data.startswith(b"%PDF")


def test_the_renderer_fetches_nothing(school) -> None:
    fetcher = exports.NothingFetcher()
    for url in ("http://127.0.0.1:1/x.png", "file:///etc/passwd", "data:image/png;base64,iVBORw0KGgo="):
        with pytest.raises(exports.RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3


@needs_pdftotext
def test_markup_typed_into_a_rationale_is_printed_not_fetched(school, tmp_path: Path) -> None:
    x = final_exam(school)
    settled = next(j for j in x.judgements if j.assessor_id is None)
    settled.rationale = '<img src="http://127.0.0.1:1/x.png"> zie bijlage'
    db.session.flush()

    text = pdf_text(render(x), tmp_path)

    assert '<img src="http://127.0.0.1:1/x.png"> zie bijlage' in text


# --- cohort results ------------------------------------------------------------------------------


def test_results_rows_have_one_column_per_element_and_the_agreed_labels(school) -> None:
    final_exam(school)

    header, rows = exports.cohort_results_rows(db.session, school["p3"])

    assert header[:4] == ["student", "email", "B1-K1-W1", "B1-K1-W2"]
    assert header[-3:] == ["achieved", "total", "complete"]
    assert len(header) == 2 + 17 + 3
    by_name = {r[0]: r for r in rows}
    assert by_name["Sanne de Vries"][1:4] == ["sanne@test.example", "voldoende", "goed"]
    assert by_name["Sanne de Vries"][4:-3] == [""] * 15
    assert by_name["Sanne de Vries"][-3:] == ["2", "17", "no"]
    assert by_name["Daan Jansen"][-3:] == ["0", "17", "no"]


def test_csv_is_excel_ready_and_defuses_formulas(school) -> None:
    final_exam(school)
    school["daan"].name = "=HYPERLINK(1)"
    db.session.flush()

    data = exports.cohort_results_csv(db.session, school["p3"])

    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("student;email;B1-K1-W1;B1-K1-W2;")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    by_email = {r[1]: r for r in rows[1:]}
    assert by_email["sanne@test.example"][:4] == ["Sanne de Vries", "sanne@test.example", "voldoende", "goed"]
    assert by_email["daan@test.example"][0] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+31 6", "'+31 6"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Sanne", "Sanne"), ("", "")],
)  # fmt: skip
def test_defuse_marks_every_formula_start(value: str, expected: str) -> None:
    assert exports.defuse(value) == expected


def test_xlsx_has_results_and_elements_sheets_and_no_formulas(school) -> None:
    final_exam(school)
    school["daan"].name = "=HYPERLINK(1)"
    school["p3"].name = "ECS4A [2025/2026]: Commercie? * klas met een heel lange naam"
    db.session.flush()

    book = openpyxl.load_workbook(io.BytesIO(exports.cohort_results_xlsx(db.session, school["p3"])))

    assert book.sheetnames == ["ECS4A 20252026 Commercie  klas", "Elements"]
    results, elements = book.worksheets
    header = [c.value for c in results[1]]
    assert header[:4] == ["student", "email", "B1-K1-W1", "B1-K1-W2"]
    assert results.freeze_panes == "C2"
    assert results[1][0].font.b
    rows = {r[1].value: [c.value for c in r] for r in results.iter_rows(min_row=2)}
    assert rows["sanne@test.example"][2:4] == ["voldoende", "goed"]
    assert rows["sanne@test.example"][-3:] == [2, 17, "no"]
    daan = next(r for r in results.iter_rows(min_row=2) if r[1].value == "daan@test.example")
    assert daan[0].value == "=HYPERLINK(1)" and daan[0].data_type == "s" and daan[0].quotePrefix
    for sheet in book.worksheets:
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [c.value for c in elements[2]][:2] == ["B1-K1-W1", MARKET]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("4A", "4A"), ("a/b\\c:d*e?f[g]h", "abcdefgh"), ("x" * 40, "x" * 31), ("'quoted'", "quoted"), ("[]", "Results")],
)
def test_sheet_titles_follow_excels_rules(name: str, expected: str) -> None:
    assert exports.sheet_title(name) == expected
