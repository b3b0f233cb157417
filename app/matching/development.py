"""From gap to development: for each requirement a candidate has not (fully) proven, what would prove it
(a certificate on the element, or on the group that contains it) and, where curriculum maps exist, the
curriculum units and exam instruments that cover it. The plan as a PDF (WeasyPrint) and as XLSX.

``CurriculumSource`` is the seam for issue 13's curriculum maps: the default (app.matching.curricula) reads
the units and exam instruments of adopted curricula; ``NoCurriculum`` knows none."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Protocol

from flask import render_template
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from weasyprint import HTML

from app.accounts.models import Cohort, CohortStudent
from app.assessment.exports import _text_cell, sheet_title
from app.matching.match import Line, Match, Status
from app.matching.ranking import Ranking
from app.pdfs import StoredFilesFetcher, font_config
from app.standards.models import Element


class CurriculumSource(Protocol):
    def units(self, session: Session, element_ids: list[int], organisation_ids: set[int]) -> dict[int, list[str]]: ...


class NoCurriculum:
    def units(self, session: Session, element_ids: list[int], organisation_ids: set[int]) -> dict[int, list[str]]:
        return {}


def _default() -> CurriculumSource:
    from app.matching.curricula import AdoptedCurricula

    return AdoptedCurricula()


_curriculum: CurriculumSource = _default()


def use_curriculum_source(source: CurriculumSource) -> None:
    global _curriculum
    _curriculum = source


@dataclass
class PlanLine:
    line: Line
    framework: str
    key: str
    label: str
    group: str | None
    units: list[str] = field(default_factory=list)


@dataclass
class Plan:
    ranking: Ranking
    match: Match
    lines: list[PlanLine]


def _curriculum_owners(session: Session, ranking: Ranking, match: Match) -> set[int]:
    """Whose curricula a development plan may name: the employer's own, and the schools where the candidate
    follows a cohort (the candidate consented to show their record to this employer). Another school's
    programme is never shown to an employer (curricula stay within their organisation otherwise)."""
    owners = {ranking.profile.organisation_id}
    user_id = ranking.candidate(match).user_id
    if user_id is not None:
        owners.update(
            session.scalars(
                select(Cohort.organisation_id)
                .join(CohortStudent, CohortStudent.cohort_id == Cohort.id)
                .where(CohortStudent.user_id == user_id)
            )
        )
    return owners


def build_plan(session: Session, ranking: Ranking, match: Match) -> Plan:
    gaps = [line for line in match.lines if line.status != Status.VERIFIED]
    ids = [line.need.element_id for line in gaps]
    parents = dict(
        session.execute(
            select(Element.id, Element.parent_id).where(Element.id.in_(ids), Element.parent_id.is_not(None))
        ).all()
    )
    groups = {e.id: e.label for e in session.scalars(select(Element).where(Element.id.in_(set(parents.values()))))}
    units = _curriculum.units(session, ids, _curriculum_owners(session, ranking, match))
    lines = []
    for line in gaps:
        framework, key, label = ranking.found.labels[line.need.element_id]
        group = groups.get(parents.get(line.need.element_id) or -1)
        lines.append(PlanLine(line, framework, key, label, group, units.get(line.need.element_id, [])))
    return Plan(ranking, match, lines)


def plan_pdf(plan: Plan) -> bytes:
    html = render_template("matching/plan_pdf.html", plan=plan, Status=Status)
    return HTML(string=html, base_url="bekwaam-plan:", url_fetcher=StoredFilesFetcher()).write_pdf(
        font_config=font_config()
    )


def plan_xlsx(plan: Plan, header: list[str], status_label: dict[str, str]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(plan.match.name, "Plan")
    for column, title in enumerate(header, start=1):
        _text_cell(ws, 1, column, title, bold=True)
    for row, p in enumerate(plan.lines, start=2):
        values = [
            p.framework,
            p.key,
            p.label,
            p.line.need.weight,
            p.line.need.level_code or "",
            p.line.evidence.level_code or "" if p.line.evidence else "",
            status_label.get(p.line.status, p.line.status),
            p.group or "",
            "; ".join(p.units),
        ]
        for column, value in enumerate(values, start=1):
            _text_cell(ws, row, column, str(value))
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
