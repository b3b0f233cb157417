"""The portfolio as a PDF (WeasyPrint): cover, contents, per element its claims, reflections and evidence.

Rendering never reaches the network or the file system: the URL fetcher serves only the portfolio's own
stored files, addressed as ``bekwaam-file:<sha256>``, and refuses every other URL.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from weasyprint import HTML

from app.accounts.models import Cohort, User
from app.files.storage import Storage
from app.pdfs import FILE_SCHEME, RefusedURL, StoredFilesFetcher, font_config  # noqa: F401 - RefusedURL re-exported
from app.portfolio.models import Attachment, Claim, Comment, EvidenceItem
from app.portfolio.programme import Programme, coverage, load_programme
from app.portfolio.queries import claims_of_student

log = logging.getLogger(__name__)


PortfolioFetcher = StoredFilesFetcher  # the portfolio's images, nothing else


@dataclass
class ElementSection:
    node: object
    claims: list[Claim] = field(default_factory=list)


@dataclass
class PortfolioDocument:
    student: User
    cohort: Cohort
    programme: Programme
    sections: list[ElementSection]
    items: list[EvidenceItem]
    items_by_id: dict[int, EvidenceItem]
    comments: dict[int, list[Comment]]
    summary: object


def gather(session: Session, student: User, cohort: Cohort) -> PortfolioDocument:
    """Everything the PDF shows, in a fixed number of queries."""
    programme = load_programme(session, cohort)
    claims = claims_of_student(session, student.id, cohort.id, load=[selectinload(Claim.reviewed_by)])
    item_ids = {c.item_id for c in claims}
    items = session.scalars(
        select(EvidenceItem)
        .where(EvidenceItem.id.in_(item_ids))
        .options(selectinload(EvidenceItem.attachments), selectinload(EvidenceItem.links))
        .order_by(EvidenceItem.started_on, EvidenceItem.id)
    ).all()
    by_id = {it.id: it for it in items}
    grouped: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        grouped[claim.element_id].append(claim)
    comments: dict[int, list[Comment]] = defaultdict(list)
    for comment in session.scalars(
        select(Comment).where(Comment.item_id.in_(item_ids)).options(selectinload(Comment.author)).order_by(Comment.id)
    ):
        comments[comment.item_id].append(comment)
    sections = [ElementSection(node, grouped.get(node.element.id, [])) for node in programme.claimable]
    return PortfolioDocument(
        student, cohort, programme, sections, list(items), by_id, comments, coverage(programme, grouped)
    )


def _allowed_files(items: Iterable[EvidenceItem]) -> dict[str, str]:
    allowed: dict[str, str] = {}
    for item in items:
        for attachment in item.current_attachments:
            if attachment.kind == "image":
                allowed[attachment.sha256] = attachment.content_type
                if attachment.thumbnail_key:
                    allowed[attachment.thumbnail_key] = "image/jpeg"
    return allowed


def render_html(doc: PortfolioDocument, generated_at: str) -> str:
    return render_template("portfolio/pdf.html", doc=doc, generated_at=generated_at, file_url=file_url)


def file_url(attachment: Attachment) -> str:
    return FILE_SCHEME + attachment.sha256


def write_pdf(
    doc: PortfolioDocument,
    storage: Storage,
    generated_at: str,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    html = render_html(doc, generated_at)
    if progress:
        progress(1, 3)
    fetcher = PortfolioFetcher(storage, _allowed_files(doc.items))
    document = HTML(string=html, base_url=FILE_SCHEME, url_fetcher=fetcher).render(font_config=font_config())
    if progress:
        progress(2, 3)
    pdf = document.write_pdf()
    if fetcher.refused:
        log.warning("portfolio PDF refused %d outside URLs", len(fetcher.refused))
    if progress:
        progress(3, 3)
    return pdf
