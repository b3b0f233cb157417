"""Assessment documents: the signed assessment form as a PDF, and a cohort's results as CSV and XLSX.

The form is rendered by WeasyPrint with a URL fetcher that refuses everything: it has no images, so any URL
in it can only have come from typed text. The spreadsheets hold names and texts that users typed; no cell is
ever written as something a spreadsheet would evaluate (CSV/formula injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session
from weasyprint import HTML

from app.accounts.models import Cohort
from app.assessment.models import Assessment, AssessmentAssessor, AssessmentStatus, Judgement
from app.assessment.record import Record, cohort_records
from app.assessment.scope import criteria_of
from app.pdfs import RefusedURL, StoredFilesFetcher, font_config
from app.portfolio.programme import Programme, load_programme
from app.standards.models import ScaleLevel
from app.standards.queries import Node

log = logging.getLogger(__name__)
BASE_URL = "bekwaam-form:"


NothingFetcher = StoredFilesFetcher  # given no files: refuses every URL


# --- the assessment form -------------------------------------------------------------------------


@dataclass
class Descriptor:
    level: int | None
    text: str
    scale_level: ScaleLevel | None
    target: bool


@dataclass
class CriterionRow:
    node: Node
    ratings: list[ScaleLevel | None]  # one per assessor, in the assessors' order
    agreed: ScaleLevel | None


@dataclass
class ElementForm:
    node: Node
    levels: list[ScaleLevel]
    criteria: list[CriterionRow]
    descriptors: list[Descriptor]
    overall: list[Judgement | None]  # one per assessor
    agreed: Judgement | None

    @property
    def required(self) -> ScaleLevel | None:
        return self.node.required

    @property
    def result(self) -> str | None:
        """achieved / not_yet once there is an agreed level, else None."""
        if self.agreed is None or self.agreed.level is None:
            return None
        target = self.required
        return "achieved" if target is None or self.agreed.level.value >= target.value else "not_yet"

    def ticks(self, level: int | None) -> tuple[list[bool], bool]:
        """For a level descriptor: which assessors gave that level overall, and whether it was agreed."""
        per = [bool(j and j.level and j.level.value == level) for j in self.overall]
        agreed = bool(self.agreed and self.agreed.level and self.agreed.level.value == level)
        return per, agreed


@dataclass
class FormDocument:
    assessment: Assessment
    programme: Programme
    profile: Node | None
    assessors: list[AssessmentAssessor]
    elements: list[ElementForm]
    show_judgements: bool
    generated_at: str
    corrected_by: Assessment | None = None
    missing_keys: list[str] = field(default_factory=list)

    @property
    def achieved(self) -> int:
        return sum(1 for e in self.elements if e.result == "achieved")


def gather_form(session: Session, assessment: Assessment, generated_at: str | None = None) -> FormDocument:
    """Everything the form shows. Individual judgements only once judging is over: drafts stay hidden."""
    programme = load_programme(session, assessment.cohort, assessment.framework)
    show = assessment.status != AssessmentStatus.OPEN
    assessors = list(assessment.assessors)
    judgements = assessment.judgements if show else []
    by_key: dict[tuple[int | None, int], Judgement] = {(j.assessor_id, j.element_id): j for j in judgements}
    elements, missing = [], []
    for key in assessment.scope_keys:
        node = programme.tree.by_key.get(key)
        if node is None:  # the standard was reloaded without this element; say so rather than fail
            missing.append(key)
            continue
        elements.append(_element_form(programme, node, assessors, by_key))
    profile_key = assessment.cohort.profile_key
    corrected_by = session.scalar(
        select(Assessment).where(Assessment.supersedes_id == assessment.id).order_by(Assessment.id).limit(1)
    )
    return FormDocument(
        assessment=assessment,
        programme=programme,
        profile=programme.tree.by_key.get(profile_key) if profile_key else None,
        assessors=assessors,
        elements=elements,
        show_judgements=show,
        generated_at=generated_at or _now_label(),
        corrected_by=corrected_by,
        missing_keys=missing,
    )


def _element_form(
    programme: Programme,
    node: Node,
    assessors: list[AssessmentAssessor],
    by_key: dict[tuple[int | None, int], Judgement],
) -> ElementForm:
    levels = programme.scale_levels(node)
    by_value = {lv.value: lv for lv in levels}
    own = [by_key.get((a.assessor_id, node.element.id)) for a in assessors]
    agreed = by_key.get((None, node.element.id))

    def rating(judgement: Judgement | None, criterion: Node) -> ScaleLevel | None:
        value = judgement.criteria.get(criterion.key) if judgement else None
        return by_value.get(int(value)) if value is not None else None

    rows = [CriterionRow(c, [rating(j, c) for j in own], rating(agreed, c)) for c in criteria_of(node)]
    target = node.required.value if node.required else None
    descriptors = []
    for d in node.level_descriptors():
        level = _int_or_none(d["level"])
        descriptors.append(
            Descriptor(
                level,
                str(d["text"]),
                by_value.get(level) if level is not None else None,
                target is not None and level == target,
            )
        )
    return ElementForm(node, levels, rows, descriptors, own, agreed)


def _int_or_none(value: object) -> int | None:
    if not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def render_form_html(doc: FormDocument) -> str:
    return render_template("assessment/form_pdf.html", doc=doc, statuses=AssessmentStatus)


def assessment_pdf(session: Session, assessment: Assessment, generated_at: str | None = None) -> bytes:
    """The assessment form (beoordelingsformulier) as a PDF, in the current locale."""
    html = render_form_html(gather_form(session, assessment, generated_at))
    fetcher = NothingFetcher()
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(font_config=font_config())
    if fetcher.refused:
        log.warning("assessment form %s refused %d URLs", assessment.id, len(fetcher.refused))
    return pdf


def _now_label() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- cohort results ------------------------------------------------------------------------------

# A cell starting with one of these is read as a formula (or DDE) by Excel, LibreOffice or Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def defuse(value: str) -> str:
    """A text cell that a spreadsheet could take for a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _column_of(node: Node) -> str:
    return node.element.code or node.key


def cohort_results_rows(session: Session, cohort: Cohort) -> tuple[list[str], list[list[str]]]:
    """The cohort matrix as plain text: per student the agreed level of each element (blank when not
    assessed), how many are achieved out of how many, and whether the programme is complete."""
    return _results(*cohort_records(session, cohort))


def _results(programme: Programme, records: list[Record]) -> tuple[list[str], list[list[str]]]:
    header = ["student", "email", *(_column_of(n) for n in programme.claimable), "achieved", "total", "complete"]
    rows = []
    for record in records:
        levels = [o.level.label if o.level is not None else "" for o in record.outcomes]
        rows.append(
            [
                record.student.name,
                record.student.email,
                *levels,
                str(record.achieved),
                str(len(record.outcomes)),
                "yes" if record.complete else "no",
            ]
        )
    return header, rows


def cohort_results_csv(session: Session, cohort: Cohort) -> bytes:
    """Semicolon-separated UTF-8 with a byte order mark: what Excel with a Dutch locale opens as columns."""
    header, rows = cohort_results_rows(session, cohort)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([defuse(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def sheet_title(name: str, fallback: str = "Results") -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not starting or ending with an apostrophe."""
    title = SHEET_NAME_FORBIDDEN.sub("", name).strip()[:31].strip().strip("'").strip()
    return title or fallback


def _text_cell(ws: Any, row: int, column: int, value: str, bold: bool = False) -> None:
    """Always a string cell, never a formula; risky text is marked as literal text (Excel's quote prefix)
    so that editing the cell later does not turn it into a formula either."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)


def cohort_results_xlsx(session: Session, cohort: Cohort) -> bytes:
    """The results matrix on one sheet (frozen header row and name columns), the elements on a second."""
    programme, records = cohort_records(session, cohort)
    header, rows = _results(programme, records)
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(cohort.name)
    numeric = {len(header) - 3, len(header) - 2}  # achieved, total: numbers, so Excel can sum and sort them
    for c, text in enumerate(header, start=1):
        _text_cell(ws, 1, c, text, bold=True)
    for r, row in enumerate(rows, start=2):
        for c, text in enumerate(row, start=1):
            if c - 1 in numeric:
                ws.cell(row=r, column=c, value=int(text))
            else:
                _text_cell(ws, r, c, text)
    ws.freeze_panes = "C2"  # the header row, and the student's name and email
    for c in range(len(header)):
        longest = max(len(line[c]) for line in [header, *rows])
        ws.column_dimensions[get_column_letter(c + 1)].width = min(max(longest + 2, 8), 40)

    elements = workbook.create_sheet("Elements" if ws.title.casefold() != "elements" else "Elements (list)")
    for c, text in enumerate(["code", "title", "part of", "required level"], start=1):
        _text_cell(elements, 1, c, text, bold=True)
    for r, node in enumerate(programme.claimable, start=2):
        parent = node.parent.element.label if node.parent else ""
        required = node.required.label if node.required else ""
        for c, text in enumerate([_column_of(node), node.element.title, parent, required], start=1):
            _text_cell(elements, r, c, text)
    elements.freeze_panes = "A2"
    for letter, width in zip("ABCD", (14, 70, 50, 16), strict=True):
        elements.column_dimensions[letter].width = width

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


__all__ = [
    "NothingFetcher",
    "RefusedURL",
    "assessment_pdf",
    "cohort_results_csv",
    "cohort_results_rows",
    "cohort_results_xlsx",
    "defuse",
    "gather_form",
    "render_form_html",
    "sheet_title",
]
