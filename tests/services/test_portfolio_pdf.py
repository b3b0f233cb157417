"""The portfolio PDF: a real student on mbo Commercie P3, rendered by WeasyPrint and read back with pdftotext.

The renderer must never reach the network or the file system: only the portfolio's own image files are
served, and whatever a student types is text, never markup.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from flask_babel import force_locale
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session
from weasyprint import HTML

from app.accounts import services as accounts
from app.accounts.models import Cohort, OrgKind, Role, User
from app.audit import Actor
from app.extensions import db
from app.files.storage import LocalStorage
from app.portfolio import pdf
from app.portfolio import services as portfolio
from app.portfolio.models import Attachment, EvidenceContext, EvidenceItem
from app.standards.queries import EVERYONE, get_framework

LIMIT = 10 * 1024 * 1024
GENERATED_AT = "2026-03-14 09:30 UTC"
MARKET_WORK_PROCESS = "Brengt de marktpositie van de onderneming in kaart"
HOSTILE = '<img src="file:///etc/passwd"> and <img src="http://127.0.0.1:1/x">'

PDFTOTEXT = shutil.which("pdftotext")
# CI installs poppler-utils and sets REQUIRE_PDFTOTEXT, so there these tests cannot quietly skip.
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None and not os.environ.get("REQUIRE_PDFTOTEXT"),
    reason="pdftotext (poppler-utils) is not installed",
)


def png_bytes(width: int = 640, height: int = 400) -> bytes:
    image = Image.new("RGB", (width, height), (235, 242, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 600, 340), outline=(11, 92, 173), width=6)
    for i, h in enumerate((120, 200, 160, 240, 90)):
        draw.rectangle((80 + i * 100, 320 - h, 140 + i * 100, 320), fill=(11, 92, 173))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def small_pdf() -> bytes:
    return HTML(string="<p>Marktanalyse Fietsenwinkel De Spaak, versie 2</p>").write_pdf()


@dataclass
class Portfolio:
    student: User
    assessor: User
    cohort: Cohort
    storage: LocalStorage
    market: EvidenceItem
    webshop: EvidenceItem
    image: Attachment
    report: Attachment


def build_portfolio(session: Session, root: Path) -> Portfolio:
    """A student of an E-commerce specialist class with two items; one proves two work processes."""
    system = Actor.system("tests")
    framework = get_framework(session, "mbo-commercie", audience=EVERYONE)
    assert framework is not None
    school = accounts.create_organisation(session, system, name="ROC Testhaven", kind=OrgKind.SCHOOL)
    cohort = accounts.create_cohort(
        session, system, school, name="ECS4A", year="2025-2026", framework_id=framework.id, profile_key="P3"
    )
    student = accounts.create_user(session, system, email="sanne@test.example", name="Sanne de Vries")
    assessor = accounts.create_user(session, system, email="jeroen@test.example", name="Jeroen Bakker")
    accounts.add_to_cohort(session, system, cohort, student, Role.STUDENT)
    accounts.add_to_cohort(session, system, cohort, assessor, Role.ASSESSOR)
    as_student, as_assessor = Actor(student), Actor(assessor)
    storage = storage_of(root)

    market = portfolio.create_item(
        session,
        as_student,
        student,
        portfolio.ItemData(
            title="Marktanalyse Fietsenwinkel De Spaak",
            description="Een analyse van concurrenten en klantwensen voor een fietsenwinkel in Utrecht.",
            context=EvidenceContext.INTERNSHIP,
            context_detail="De Spaak, Utrecht",
            started_on=dt.date(2025, 9, 1),
            ended_on=dt.date(2025, 10, 15),
            situation="Mijn stagebedrijf wilde weten waarom de online verkoop achterbleef.",
            task="Ik moest de marktpositie in kaart brengen.",
            action="Ik verzamelde verkoopcijfers, bekeek vijf concurrenten en hield een korte enquête.",
            result="Een rapport met drie aanbevelingen, besproken met de eigenaar.",
            reflection="Volgende keer plan ik de enquête eerder.",
        ),
    )
    image = portfolio.add_attachment(session, storage, as_student, market, "verkoop.png", png_bytes(), LIMIT)
    report = portfolio.add_attachment(session, storage, as_student, market, "rapport.pdf", small_pdf(), LIMIT)
    portfolio.add_link(session, as_student, market, "https://example.org/spaak", "Website De Spaak")
    first = portfolio.add_claim(session, as_student, market, cohort, "B1-K1-W1", 2, "Ik bracht de markt in kaart.")
    portfolio.add_claim(session, as_student, market, cohort, "P3-K1-W1", 3, "Ik verzamelde data.")
    portfolio.request_feedback(session, as_student, market)
    portfolio.mark_reviewed(session, as_assessor, first)
    portfolio.add_comment(session, as_assessor, market, "Sterke analyse; noem je bronnen.")

    webshop = portfolio.create_item(
        session,
        as_student,
        student,
        portfolio.ItemData(
            title="Webshop-actie voorjaar", description="Een e-mailcampagne.", started_on=dt.date(2026, 2, 1)
        ),
    )
    portfolio.add_claim(session, as_student, webshop, cohort, "B1-K1-W1", 1, "Tweede bewijs.")
    return Portfolio(student, assessor, cohort, storage, market, webshop, image, report)


def storage_of(root: Path) -> LocalStorage:
    return LocalStorage(root / "files")


def render(session: Session, world: Portfolio) -> bytes:
    with force_locale("en"):
        doc = pdf.gather(session, world.student, world.cohort)
        return pdf.write_pdf(doc, world.storage, GENERATED_AT)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "portfolio.pdf"
    path.write_bytes(data)
    # A fixed tool on a file this test wrote: no untrusted input reaches the command line.
    run = subprocess.run([str(PDFTOTEXT), str(path), "-"], capture_output=True, check=True, text=True)  # noqa: S603
    text = run.stdout
    return " ".join(text.split())


@pytest.fixture
def world(tmp_path: Path) -> Portfolio:
    return build_portfolio(db.session, tmp_path)


@needs_pdftotext
def test_pdf_shows_student_elements_items_and_file_fingerprints(world: Portfolio, tmp_path: Path) -> None:
    data = render(db.session, world)

    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "Sanne de Vries" in text
    assert MARKET_WORK_PROCESS in text
    assert "Marktanalyse Fietsenwinkel De Spaak" in text
    assert world.report.sha256[:16] in text
    assert "rapport.pdf" in text
    assert "No evidence yet" in text
    assert "https://example.org/spaak" in text
    assert "Sterke analyse; noem je bronnen." in text
    assert "Jeroen Bakker" in text


@needs_pdftotext
def test_item_claimed_twice_is_shown_in_full_once_and_referred_to_after(world: Portfolio, tmp_path: Path) -> None:
    text = pdf_text(render(db.session, world), tmp_path)

    assert text.count("Ik verzamelde verkoopcijfers") == 1
    assert text.count("Sterke analyse; noem je bronnen.") == 1
    assert "see Marktanalyse Fietsenwinkel De Spaak" in text


def test_template_fetches_only_the_portfolios_own_images(world: Portfolio) -> None:
    with force_locale("en"):
        doc = pdf.gather(db.session, world.student, world.cohort)
        html = pdf.render_html(doc, GENERATED_AT)
    fetcher = pdf.PortfolioFetcher(world.storage, pdf._allowed_files(doc.items))
    HTML(string=html, base_url=pdf.FILE_SCHEME, url_fetcher=fetcher).render()

    assert fetcher.refused == []
    assert pdf.file_url(world.image) in html
    assert pdf.file_url(world.report) not in html  # a PDF is listed with its fingerprint, not embedded


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/x.png",
        "https://example.org/x.png",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        pdf.FILE_SCHEME + "0" * 64,
        pdf.FILE_SCHEME + "../../etc/passwd",
    ],
)
def test_fetcher_refuses_everything_but_allowed_files(tmp_path: Path, url: str) -> None:
    storage = storage_of(tmp_path)
    key = storage.save(png_bytes(8, 8))
    fetcher = pdf.PortfolioFetcher(storage, {key: "image/png"})

    with pytest.raises(ValueError) as refused:
        fetcher.fetch(url)

    assert isinstance(refused.value, pdf.RefusedURL)
    assert fetcher.refused == [url]


def test_fetcher_serves_an_allowed_file(tmp_path: Path) -> None:
    storage = storage_of(tmp_path)
    data = png_bytes(8, 8)
    key = storage.save(data)
    fetcher = pdf.PortfolioFetcher(storage, {key: "image/png"})

    response = fetcher.fetch(pdf.FILE_SCHEME + key)

    assert response.read() == data
    assert response.headers["Content-Type"] == "image/png"
    assert fetcher.refused == []


@needs_pdftotext
def test_markup_in_student_text_is_printed_not_fetched(world: Portfolio, tmp_path: Path) -> None:
    world.webshop.description = HOSTILE
    world.webshop.reflection = '<link rel="stylesheet" href="http://127.0.0.1:1/evil.css">'
    db.session.flush()
    with force_locale("en"):
        doc = pdf.gather(db.session, world.student, world.cohort)
        html = pdf.render_html(doc, GENERATED_AT)
    fetcher = pdf.PortfolioFetcher(world.storage, pdf._allowed_files(doc.items))
    data = HTML(string=html, base_url=pdf.FILE_SCHEME, url_fetcher=fetcher).write_pdf()

    assert fetcher.refused == []
    assert '<img src="file:///etc/passwd">' not in html
    text = pdf_text(data, tmp_path)
    assert 'src="file:///etc/passwd"' in text
    assert "http://127.0.0.1:1/x" in text


@pytest.mark.parametrize(
    "code", ["mbo-commercie", "competent-E110101", "ecf-2.0", "ecf-profile-online-community-manager", "bk-0331-4"]
)
def test_empty_portfolio_renders_on_every_kind_of_standard(tmp_path: Path, code: str) -> None:
    system = Actor.system("tests")
    framework = get_framework(db.session, code, audience=EVERYONE)
    assert framework is not None
    school = accounts.create_organisation(db.session, system, name="Lege School", kind=OrgKind.SCHOOL)
    cohort = accounts.create_cohort(
        db.session, system, school, name="Start", year="2026", framework_id=framework.id, profile_key=None
    )
    student = accounts.create_user(db.session, system, email="new@test.example", name="Nieuwe Student")
    accounts.add_to_cohort(db.session, system, cohort, student, Role.STUDENT)

    with force_locale("en"):
        doc = pdf.gather(db.session, student, cohort)
        html = pdf.render_html(doc, GENERATED_AT)
        data = pdf.write_pdf(doc, storage_of(tmp_path), GENERATED_AT)

    assert data.startswith(b"%PDF")
    assert doc.summary.with_evidence == 0
    assert html.count("No evidence yet") == len(doc.sections)
    assert f'lang="{framework.language}"' in html
