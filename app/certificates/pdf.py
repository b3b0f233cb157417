"""The certificate as a PDF (WeasyPrint): one framed page a school can print and hang on the wall, with the
elements and results it covers (on an annex page when there are many) and a QR code to the verify page.

Rendering never reaches the network or the file system: every picture on the certificate (the monogram,
the QR code) is inline SVG made here, and the URL fetcher refuses every URL.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import segno
from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from weasyprint import HTML, Document

from app.certificates.models import Certificate
from app.i18n import current_locale
from app.pdfs import RefusedURL, StoredFilesFetcher, font_config  # noqa: F401 - RefusedURL re-exported

log = logging.getLogger(__name__)

ANNEX_AFTER = 8  # more elements than this go to an annex page
BASE_URL = "bekwaam-certificate:"

# CWA 16234-1 (e-CF 2.0) relates its proficiency levels to EQF levels; the summary carries only the code.
ECF_EQF = {"e-1": "3", "e-2": "4–5", "e-3": "6", "e-4": "7", "e-5": "8"}
SCALE_NAMES = {"mbo": "mbo", "vks": "VKS"}
_SMALL_WORDS = {"de", "het", "een", "van", "der", "den", "voor", "en", "op", "in", "the", "of", "and", "for", "a",
                "an", "at", "to", "le", "la", "les", "du", "des", "et", "az", "és"}  # fmt: skip


CertificateFetcher = StoredFilesFetcher  # given no files: refuses every URL


def initials(name: str) -> str:
    """Up to three letters for the monogram: "ROC Testhaven" -> "RT", "Grafisch Lyceum Rotterdam" -> "GLR"."""
    words = [w for w in re.findall(r"[^\W\d_]+", name or "")]
    significant = [w for w in words if w.lower() not in _SMALL_WORDS] or words
    if not significant:
        return "?"
    if len(significant) == 1:
        word = significant[0]
        return word[:3] if word.isupper() else word[0].upper()
    return "".join(w[0] for w in significant[:3]).upper()


def monogram_svg(name: str) -> Markup:
    """The organisation's emblem until logos can be uploaded: its initials in a double ring."""
    letters = initials(name)
    size = {1: 30, 2: 25, 3: 19}.get(len(letters), 19)
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" class="monogram" role="img" aria-label="{name}">'
        '<circle cx="50" cy="50" r="47" fill="none" stroke="#a8874f" stroke-width="2.2"/>'
        '<circle cx="50" cy="50" r="41.5" fill="#1f3a5f"/>'
        '<circle cx="50" cy="50" r="37.5" fill="none" stroke="#c9ad78" stroke-width="0.8"/>'
        '<text x="50" y="50" dy="{dy}" text-anchor="middle" font-family="DejaVu Serif" font-size="{size}" '
        'letter-spacing="1" fill="#f4ecd8">{letters}</text>'
        "</svg>"
    ).format(name=name, letters=letters, size=size, dy=round(size * 0.36, 1))


def qr_svg(url: str) -> Markup:
    """The QR code to the verify page, as inline SVG (segno; error correction M, quiet zone kept)."""
    # segno writes only the module path, never the encoded text: the markup is ours, not the URL's.
    return Markup(segno.make(url, error="m").svg_inline(scale=1, omitsize=True, dark="#111111"))  # noqa: S704


def level_line(cert: Certificate) -> str:
    """ "mbo level 4 · EQF level 4", "VKS level 4 · EQF level 4", "e-CF proficiency e-3 (target e-3) · EQF level 6"."""
    fw: dict[str, Any] = cert.summary.get("framework") or {}
    parts: list[str] = []
    elements = cert.summary.get("elements") or []
    ecf = str(fw.get("kind") or "").startswith("ecf")
    if ecf and cert.scope == "element" and elements:
        element = elements[0]
        level = element.get("level_code") or element.get("level")
        target = element.get("target_code") or element.get("target")
        if level:
            text = _("e-CF proficiency %(level)s", level=level)
            if target:
                text += " (" + _("target %(target)s", target=target) + ")"
            parts.append(text)
            if not fw.get("eqf_level") and level in ECF_EQF:
                parts.append(_("EQF level %(level)s", level=ECF_EQF[level]))
    scale = fw.get("level_scale")
    if fw.get("level") and scale:
        parts.append(_("%(scale)s level %(level)s", scale=SCALE_NAMES.get(scale.lower(), scale), level=fw["level"]))
    if fw.get("eqf_level"):
        parts.append(_("EQF level %(level)s", level=fw["eqf_level"]))
    return " · ".join(parts)


def result_label(element: dict[str, Any]) -> str:
    code, label = element.get("level_code"), element.get("level")
    if code and label and code != label:
        return f"{code} {label}"
    return code or label or "–"


def render_html(cert: Certificate, verify_url: str, annex: bool | None = None) -> str:
    """The certificate's HTML; the elements go to an annex page when there are more than ``ANNEX_AFTER``
    (or when ``annex`` says so)."""
    elements = list(cert.summary.get("elements") or [])
    if annex is None:
        annex = len(elements) > ANNEX_AFTER
    return render_template(
        "certificates/pdf.html",
        cert=cert,
        lang=current_locale(),
        fw=cert.summary.get("framework") or {},
        elements=elements,
        annex=annex,
        level_line=level_line(cert),
        result_label=result_label,
        monogram=monogram_svg(cert.organisation.name),
        qr=qr_svg(verify_url),
        verify_url=verify_url,
    )


def render_document(cert: Certificate, verify_url: str | None = None) -> Document:
    """The laid-out certificate (page one, plus the annex page when there is one)."""
    if verify_url is None:
        from app.certificates import services

        verify_url = services.verify_url(cert)
    fetcher = CertificateFetcher()
    elements = cert.summary.get("elements") or []
    annex = len(elements) > ANNEX_AFTER
    document = HTML(string=render_html(cert, verify_url, annex), base_url=BASE_URL, url_fetcher=fetcher).render(
        font_config=font_config()
    )
    if not annex and elements and len(document.pages) > 1:
        # Long titles made page one overflow: the table moves to the annex, so page one stays one page.
        document = HTML(string=render_html(cert, verify_url, True), base_url=BASE_URL, url_fetcher=fetcher).render(
            font_config=font_config()
        )
    if fetcher.refused:
        log.warning("certificate PDF refused %d URLs", len(fetcher.refused))
    return document


def render_certificate(cert: Certificate, verify_url: str | None = None) -> bytes:
    """The certificate PDF. ``verify_url`` defaults to the certificate's public verify page."""
    return render_document(cert, verify_url).write_pdf()
