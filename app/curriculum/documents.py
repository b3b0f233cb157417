"""The examenplan as a document: a printable PDF (WeasyPrint) and an XLSX (openpyxl) with the same content —
per exam instrument what it examines (core tasks and work processes, by code and title), when, by how many
assessors, on what scale and pass rule (cesuur), summative or formative; the plan's adoption; and, when the
document is for one cohort, that cohort's standing per instrument.

Everything shown is typed by users or comes from the standard: the PDF renders through a fetcher that
refuses every URL, and no spreadsheet cell is ever written as a formula."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from openpyxl import Workbook
from openpyxl.styles import Alignment
from sqlalchemy.orm import Session
from weasyprint import HTML

from app.accounts.models import Cohort
from app.assessment.exports import _text_cell, sheet_title
from app.curriculum.examplan import ExamPlanCheck
from app.curriculum.models import Curriculum, ExamInstrument
from app.curriculum.progress import InstrumentProgress, instrument_progress
from app.curriculum.queries import Plan
from app.pdfs import StoredFilesFetcher, font_config
from app.standards.queries import Node


@dataclass
class CoveredGroup:
    """A core task (cluster, area) and the elements of it one instrument examines."""

    code: str
    title: str
    elements: list[Node] = field(default_factory=list)


@dataclass
class InstrumentLine:
    instrument: ExamInstrument
    period: str
    groups: list[CoveredGroup]
    progress: InstrumentProgress | None = None

    @property
    def elements(self) -> list[Node]:
        return [n for g in self.groups for n in g.elements]


@dataclass
class ExamPlanDocument:
    plan: Plan
    check: ExamPlanCheck
    lines: list[InstrumentLine]
    cohort: Cohort | None
    generated_at: str

    @property
    def curriculum(self) -> Curriculum:
        return self.plan.curriculum

    def examined_by(self) -> list[tuple[Node, list[ExamInstrument]]]:
        """Each element of the programme and the instruments that examine it (the toetsmatrijs), in order."""
        by_id: dict[int, list[ExamInstrument]] = {n.element.id: [] for n in self.plan.elements}
        for line in self.lines:
            for node in line.elements:
                by_id[node.element.id].append(line.instrument)
        return [(n, by_id[n.element.id]) for n in self.plan.elements]


def _code(node: Node) -> str:
    return node.element.code or node.key


def _covered(plan: Plan, instrument: ExamInstrument) -> list[CoveredGroup]:
    """The elements the instrument examines, grouped by their core task, both in programme order."""
    ids = {link.element_id for link in plan.links if link.instrument_id == instrument.id}
    groups: dict[str, CoveredGroup] = {}
    for node in plan.elements:
        if node.element.id not in ids:
            continue
        parent = node.parent
        key = parent.key if parent is not None else ""
        if key not in groups:
            groups[key] = CoveredGroup(_code(parent), parent.element.title) if parent else CoveredGroup("", "")
        groups[key].elements.append(node)
    return list(groups.values())


def build_document(
    session: Session, plan: Plan, check: ExamPlanCheck, cohort: Cohort | None = None, generated_at: str | None = None
) -> ExamPlanDocument:
    """The exam plan of ``plan``; with a ``cohort`` (one that follows it) also that cohort's standing."""
    progress: dict[int, InstrumentProgress] = {}
    if cohort is not None:
        rows = instrument_progress(session, plan.curriculum, plan)
        progress = {row.instrument.id: row for row in rows if row.cohort.id == cohort.id}
    lines = [
        InstrumentLine(i, i.period.label if i.period else "", _covered(plan, i), progress.get(i.id))
        for i in plan.instruments
    ]
    stamp = generated_at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return ExamPlanDocument(plan, check, lines, cohort, stamp)


def exam_plan_pdf(doc: ExamPlanDocument) -> bytes:
    html = render_template("curriculum/exam_plan_pdf.html", doc=doc, plan=doc.plan, curriculum=doc.curriculum)
    fetcher = StoredFilesFetcher()  # given no files: refuses every URL
    return HTML(string=html, base_url="bekwaam-exam-plan:", url_fetcher=fetcher).write_pdf(font_config=font_config())


@dataclass
class SheetLabels:
    """The words of the spreadsheet, translated by the caller (nothing a person reads is assembled here)."""

    title: str
    about: list[tuple[str, str]]  # (label, value) lines above the table: standard, cohort, version, adoption
    header: list[str]
    kinds: dict[str, str]
    summative: str
    formative: str
    progress_header: list[str] = field(default_factory=list)


def _row(line: InstrumentLine, labels: SheetLabels) -> list[str | int]:
    i = line.instrument
    row: list[str | int] = [
        i.code,
        i.title,
        labels.kinds.get(i.kind, i.kind),
        labels.summative if i.summative else labels.formative,
        line.period,
        "\n".join(f"{g.code} {g.title}".strip() for g in line.groups),
        "\n".join(f"{_code(n)} {n.element.title}" for n in line.elements),
        i.assessors_required,
        i.scale,
        i.pass_rule,
    ]
    if line.progress is not None:
        counts = line.progress.counts
        row += [counts["planned"], counts["in_progress"], counts["passed"], counts["failed"]]
        row.append(", ".join(u.name for u in line.progress.waiting))
    return row


def exam_plan_xlsx(doc: ExamPlanDocument, labels: SheetLabels) -> bytes:
    """Sheet one: the plan's particulars, then one row per instrument; sheet two: one row per instrument and
    element it examines (for filtering and pivoting)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(labels.title, "Exam plan")
    _text_cell(ws, 1, 1, doc.curriculum.title, bold=True)
    for r, (label, value) in enumerate(labels.about, start=2):
        _text_cell(ws, r, 1, label, bold=True)
        _text_cell(ws, r, 2, value)
    top = len(labels.about) + 3
    header = labels.header + (labels.progress_header if doc.cohort is not None else [])
    for c, text in enumerate(header, start=1):
        _text_cell(ws, top, c, text, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, line in enumerate(doc.lines, start=top + 1):
        for c, cell in enumerate(_row(line, labels), start=1):
            if isinstance(cell, int):
                ws.cell(row=r, column=c, value=cell)
            else:
                _text_cell(ws, r, c, cell)
            ws.cell(row=r, column=c).alignment = wrap
    ws.freeze_panes = ws.cell(row=top + 1, column=3)
    for letter, width in zip("ABCDEFGHIJ", (10, 34, 22, 12, 18, 40, 60, 10, 24, 40), strict=True):
        ws.column_dimensions[letter].width = width

    _elements_sheet(workbook.create_sheet("elements"), doc)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _elements_sheet(ws: Any, doc: ExamPlanDocument) -> None:
    for c, text in enumerate(["instrument", "core task", "element", "title"], start=1):
        _text_cell(ws, 1, c, text, bold=True)
    rows = [
        [line.instrument.code or line.instrument.title, group.code, _code(node), node.element.title]
        for line in doc.lines
        for group in line.groups
        for node in group.elements
    ]
    for r, row in enumerate(rows, start=2):
        for c, text in enumerate(row, start=1):
            _text_cell(ws, r, c, text)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCD", (16, 14, 16, 80), strict=True):
        ws.column_dimensions[letter].width = width
