"""The certificate PDF: three certificates built in memory (a P3 programme with an annex, an e-CF element,
a revoked core task), rendered by WeasyPrint and read back with pdftotext; the QR code is decoded with
zbarimg when it is installed (CI: apt-get install zbar-tools) and otherwise compared module by module.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from weasyprint import HTML

from app.accounts.models import Organisation, User
from app.certificates import pdf
from app.certificates.models import Certificate

VERIFY_URL = "https://bekwaam.example.nl/verify/Zq3u9XbT1kPaC7vNwE2rLm0s"
ISSUED = dt.datetime(2026, 3, 14, 9, 30)

PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
ZBARIMG = shutil.which("zbarimg")
# CI installs poppler-utils and sets REQUIRE_PDFTOTEXT, so there these tests cannot quietly skip.
needs_poppler = pytest.mark.skipif(
    (PDFTOTEXT is None or PDFTOPPM is None) and not os.environ.get("REQUIRE_PDFTOTEXT"),
    reason="pdftotext/pdftoppm (poppler-utils) is not installed",
)

MBO = {"code": "mbo-commercie", "title": "Commercie", "language": "nl", "kind": "mbo_qualification_dossier",
       "level": "4", "level_scale": "mbo", "eqf_level": 4}  # fmt: skip
ECF = {"code": "ecf-profile-online-community-manager", "title": "Online Közösség Menedzser", "language": "hu",
       "kind": "ecf_role_profile", "level": None, "level_scale": None, "eqf_level": None}  # fmt: skip
P3_WORK_PROCESSES = [
    ("B1-K1-W1", "Brengt de marktpositie van de onderneming in kaart"),
    ("B1-K1-W2", "Analyseert de customer journey"),
    ("B1-K1-W3", "Vertaalt trends en ontwikkelingen naar commerciële kansen"),
    ("B1-K1-W4", "Brengt het commerciële aanbod van de onderneming in kaart"),
    ("B1-K1-W5", "Doet verbetervoorstellen voor verkoop, marketing en/of marktbewerking"),
    ("B1-K2-W1", "Inventariseert wensen en behoeften"),
    ("B1-K2-W2", "Voert marketing- en communicatie-activiteiten uit"),
    ("B1-K2-W3", "Voert webcare uit"),
    ("P3-K1-W1", "Test en monitort online kanalen"),
    ("P3-K1-W2", "Verzamelt commerciële data en geeft er betekenis aan"),
    ("P3-K1-W3", "Adviseert over het verhogen van de conversie"),
    ("P3-K1-W4", "Geeft vorm aan inhoudelijke verbetervoorstellen voor online kanalen"),
    ("P3-K1-W5", "Participeert in netwerken"),
    ("P3-K2-W1", "Plant en bewaakt uit te voeren digitale werkzaamheden"),
    ("P3-K2-W2", "Ontwikkelt online content"),
    ("P3-K2-W3", "Plaatst en beheert content"),
    ("P3-K2-W4", "Evalueert webcare-activiteiten en doet verbetervoorstellen"),
]


def mbo_element(code: str, title: str, level: str = "voldoende") -> dict:
    return {"key": code, "code": code, "title": title, "level": level, "level_code": None, "target": "voldoende",
            "target_code": None, "judged_on": "2026-02-20"}  # fmt: skip


def certificate(
    *,
    number: str,
    title: str,
    scope: str,
    framework: dict,
    elements: list[dict],
    candidate: str = "Sanne de Vries",
    organisation: str = "ROC Testhaven",
    profile: str | None = None,
    revoked_at: dt.datetime | None = None,
) -> Certificate:
    """An unsaved certificate with unsaved organisation and candidate: the PDF needs nothing from the database."""
    cert = Certificate(
        public_id="Zq3u9XbT1kPaC7vNwE2rLm0s",
        number=number,
        holder_name=candidate,
        scope=scope,
        scope_key="*" if scope == "programme" else elements[0]["key"],
        title=title,
        summary={"framework": framework, "profile": profile, "elements": elements},
        credential_id="urn:uuid:00000000-0000-4000-8000-000000000042",
        credential={},
        status_index=41,
        issued_at=ISSUED,
        revoked_at=revoked_at,
        revoked_reason="",
    )
    cert.organisation = Organisation(name=organisation, kind="school")
    cert.candidate = User(name=candidate, email="sanne@example.nl", language="nl")
    return cert


def programme_p3() -> Certificate:
    elements = [mbo_element(code, title, "goed" if i % 3 == 0 else "voldoende")
                for i, (code, title) in enumerate(P3_WORK_PROCESSES)]  # fmt: skip
    return certificate(number="BKW-001-2026-000042", title="P3 E-commerce specialist", scope="programme",
                       framework=MBO, elements=elements, profile="P3")  # fmt: skip


def ecf_element() -> Certificate:
    element = {"key": "B.3", "code": "B.3", "title": "Tesztelés", "level": "Senior Professional / Manager",
               "level_code": "e-3", "target": "Senior Professional / Manager", "target_code": "e-3",
               "judged_on": "2026-03-02"}  # fmt: skip
    return certificate(number="BKW-007-2026-000003", title="B.3 Tesztelés", scope="element", framework=ECF,
                       elements=[element], candidate="Kovács Eszter Zsófia",
                       organisation="Budapesti Informatikai Szakképző Centrum")  # fmt: skip


def revoked_group() -> Certificate:
    elements = [mbo_element(code, title) for code, title in P3_WORK_PROCESSES[:5]]
    return certificate(number="BKW-001-2026-000043", title="B1-K1 Onderzoekt de customer journey", scope="group",
                       framework=MBO, elements=elements, candidate="Daan Bakker", profile="P3",
                       revoked_at=dt.datetime(2026, 4, 2, 11, 0))  # fmt: skip


CASES = {"programme-p3": programme_p3, "ecf-element": ecf_element, "revoked-group": revoked_group}


def pdf_text(data: bytes, tmp_path: Path, name: str = "cert") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    out = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, check=True, timeout=60)  # noqa: S603
    return out.stdout.decode()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- the pieces ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ROC Testhaven", "RT"),
        ("Grafisch Lyceum Rotterdam", "GLR"),
        ("Stichting voor het Onderwijs van de Regio Amsterdam", "SOR"),
        ("Budapesti Informatikai Szakképző Centrum", "BIS"),
        ("ROC", "ROC"),
        ("Bekwaam", "B"),
        ("", "?"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert pdf.initials(name) == expected


def test_level_lines() -> None:
    assert pdf.level_line(programme_p3()) == "mbo level 4 · EQF level 4"
    vks = certificate(number="X", title="Digitale Gebruikersondersteuner", scope="programme",
                      framework={**MBO, "language": "nl-BE", "level_scale": "VKS"}, elements=[])  # fmt: skip
    assert pdf.level_line(vks) == "VKS level 4 · EQF level 4"
    assert pdf.level_line(ecf_element()) == "e-CF proficiency e-3 (target e-3) · EQF level 6"
    unlevelled = certificate(number="X", title="T", scope="programme", framework={**MBO, "level": None}, elements=[])
    assert pdf.level_line(unlevelled) == "EQF level 4"


def test_the_fetcher_refuses_everything() -> None:
    fetcher = pdf.CertificateFetcher()
    for url in ("http://127.0.0.1:1/x.png", "file:///etc/passwd", "data:image/png;base64,AAAA"):
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)
    fetcher = pdf.CertificateFetcher()
    html = '<img src="file:///etc/passwd"><img src="http://127.0.0.1:1/x"><link rel="stylesheet" href="http://x/">'
    HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).write_pdf()
    assert len(fetcher.refused) == 3


def test_the_html_carries_the_qr_code_and_the_source_language() -> None:
    cert = ecf_element()
    html = pdf.render_html(cert, VERIFY_URL)
    expected = segno.make(VERIFY_URL, error="m").svg_inline(scale=1, omitsize=True, dark="#111111")
    path = re.search(r' d="([^"]+)"', expected)
    assert path is not None and path.group(1) in html
    assert '<p class="title" lang="hu">B.3 Tesztelés</p>' in html
    assert "<script" not in html and "http" not in html.replace(VERIFY_URL, "").replace("http://www.w3.org/", "")


def test_what_a_candidate_types_is_text() -> None:
    cert = ecf_element()
    cert.candidate = User(name='<img src="file:///etc/passwd">Eve', email="e@example.nl")
    cert.holder_name = cert.candidate.name  # the name as issued is the one printed
    html = pdf.render_html(cert, VERIFY_URL)
    assert '<img src="file' not in html and "&lt;img src=" in html


def test_the_verify_url_defaults_to_the_services_url(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    fake = types.ModuleType("app.certificates.services")
    fake.verify_url = lambda cert: f"https://bekwaam.example.nl/verify/{cert.public_id}"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.certificates.services", fake)
    import app.certificates as package

    monkeypatch.setattr(package, "services", fake, raising=False)
    data = pdf.render_certificate(ecf_element())
    assert data.startswith(b"%PDF")


# --- the documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_renders_a_pdf(name: str) -> None:
    document = pdf.render_document(CASES[name](), verify_url=VERIFY_URL)
    assert len(document.pages) == (2 if name == "programme-p3" else 1)
    assert pdf.render_certificate(CASES[name](), verify_url=VERIFY_URL).startswith(b"%PDF")


def test_long_titles_move_the_elements_to_the_annex() -> None:
    cert = revoked_group()
    cert.title = "P3-K1 Evalueert data en doet verbetervoorstellen voor de digitale customer journey " * 2
    cert.summary = {**cert.summary, "elements": [
        mbo_element(code, title + " en nog een lange staart tekst erbij") for code, title in P3_WORK_PROCESSES[:8]
    ]}  # fmt: skip
    cert.candidate = User(name="Maximiliaan Alexander van den Heuvel-Oosterbroek", email="m@example.nl")
    document = pdf.render_document(cert, verify_url=VERIFY_URL)
    assert len(document.pages) == 2  # page one whole, the table on the annex


@needs_poppler
@pytest.mark.parametrize("name", list(CASES))
def test_the_pdf_reads_back(name: str, tmp_path: Path) -> None:
    cert = CASES[name]()
    text = flat(pdf_text(pdf.render_certificate(cert, verify_url=VERIFY_URL), tmp_path))
    for expected in (cert.candidate.name, cert.title, cert.number, "EQF", VERIFY_URL, "This certifies that",
                     "has met the requirements of", "March 14, 2026"):  # fmt: skip
        assert expected in text, expected
    # Letter-spaced capitals come back with gaps: "C E RT I F I C AT E".
    squashed = re.sub(r"\s+", "", text)
    for expected in ("CERTIFICATE", "VERIFYTHISCERTIFICATEAT", re.sub(r"\s+", "", cert.organisation.name.upper())):
        assert expected in squashed, expected
    assert f"On behalf of {cert.organisation.name}" in text
    assert ("REVOKED on April 2, 2026" in text) == (cert.revoked_at is not None)
    for element in cert.summary["elements"]:
        assert element["code"] in text


@needs_poppler
def test_many_elements_go_to_an_annex(tmp_path: Path) -> None:
    data = pdf.render_certificate(programme_p3(), verify_url=VERIFY_URL)
    path = tmp_path / "p3.pdf"
    path.write_bytes(data)
    first, annex = (
        flat(subprocess.run([PDFTOTEXT, "-f", str(n), "-l", str(n), str(path), "-"],  # noqa: S603
                            capture_output=True, check=True, timeout=60).stdout.decode())
        for n in (1, 2)
    )  # fmt: skip
    assert "17 elements and results" in first and "P3-K2-W4" not in first
    assert "Annex: elements and results" in annex
    assert "P3-K2-W4" in annex and "Evalueert webcare-activiteiten" in annex and "BKW-001-2026-000042" in annex


@needs_poppler
@pytest.mark.parametrize("name", list(CASES))
def test_the_qr_code_points_at_the_verify_page(name: str, tmp_path: Path) -> None:
    if ZBARIMG is None:
        pytest.skip("zbarimg (zbar-tools) is not installed; the HTML test compares the QR modules instead")
    path = tmp_path / "cert.pdf"
    path.write_bytes(pdf.render_certificate(CASES[name](), verify_url=VERIFY_URL))
    subprocess.run([PDFTOPPM, "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],  # noqa: S603
                   check=True, timeout=60)  # fmt: skip
    (image,) = tmp_path.glob("page*.png")
    out = subprocess.run([ZBARIMG, "--quiet", "--raw", str(image)], capture_output=True, timeout=60)  # noqa: S603
    assert out.stdout.decode().strip() == VERIFY_URL


def test_dutch_interface(app) -> None:
    from flask_babel import force_locale

    with force_locale("nl"):
        html = pdf.render_html(programme_p3(), VERIFY_URL)
    assert '<html lang="nl">' in html and "14 maart 2026" in html
