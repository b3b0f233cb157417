"""The certificate register of an organisation: every certificate it issued, revoked ones included (they
stay on record with date and reason), filtered by status, cohort, date and a search on number or name; and
the same list as CSV and XLSX for the exam committee's files. Reads only; one query for the list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.accounts.models import Cohort
from app.assessment.exports import _text_cell, defuse
from app.certificates.models import Certificate

STATUSES = ("all", "issued", "revoked")
LIMIT = 500  # on the page; the exports hold every match


@dataclass(frozen=True)
class RegisterFilter:
    status: str = "all"
    cohort_id: int | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    q: str = ""


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def register_query(org_id: int, f: RegisterFilter) -> Select[Certificate]:
    query = select(Certificate).where(Certificate.organisation_id == org_id)
    if f.status == "issued":
        query = query.where(Certificate.revoked_at.is_(None))
    elif f.status == "revoked":
        query = query.where(Certificate.revoked_at.is_not(None))
    if f.cohort_id is not None:
        query = query.where(Certificate.cohort_id == f.cohort_id)
    if f.issued_from is not None:
        query = query.where(Certificate.issued_at >= dt.datetime.combine(f.issued_from, dt.time.min))
    if f.issued_to is not None:
        day_after = dt.datetime.combine(f.issued_to + dt.timedelta(days=1), dt.time.min)
        query = query.where(Certificate.issued_at < day_after)
    needle = f.q.strip()[:100]
    if needle:
        pattern = f"%{_escaped(needle.lower())}%"
        query = query.where(
            or_(
                func.lower(Certificate.number).like(pattern, escape="\\"),
                func.lower(Certificate.holder_name).like(pattern, escape="\\"),
            )
        )
    return query.options(selectinload(Certificate.cohort)).order_by(Certificate.issued_at.desc(), Certificate.id.desc())


def register(session: Session, org_id: int, f: RegisterFilter, limit: int | None = LIMIT) -> list[Certificate]:
    query = register_query(org_id, f)
    return list(session.scalars(query.limit(limit) if limit else query))


def cohorts_of(session: Session, org_id: int) -> list[Cohort]:
    """The organisation's cohorts that have certificates (the register's cohort filter)."""
    with_certificates = select(Certificate.cohort_id).where(Certificate.organisation_id == org_id).distinct()
    return list(session.scalars(select(Cohort).where(Cohort.id.in_(with_certificates)).order_by(Cohort.name)))


HEADER = ("number", "holder", "certificate", "cohort", "year", "issued", "status", "revoked", "reason")


def register_rows(certs: list[Certificate]) -> list[list[str]]:
    """The register as text: one row per certificate, in the header's order (stable column names, so a
    spreadsheet built on the export keeps working)."""
    return [
        [
            c.number,
            c.holder_name,
            c.title,
            c.cohort.name,
            c.cohort.year,
            c.issued_at.date().isoformat(),
            "revoked" if c.revoked_at else "issued",
            c.revoked_at.date().isoformat() if c.revoked_at else "",
            c.revoked_reason or "",
        ]
        for c in certs
    ]


def register_csv(certs: list[Certificate]) -> bytes:
    """Semicolon-separated UTF-8 with a byte order mark (what Excel with a Dutch locale opens as columns);
    no cell a spreadsheet would evaluate."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in [list(HEADER), *register_rows(certs)]:
        writer.writerow([defuse(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def register_xlsx(certs: list[Certificate]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "Register"
    for r, row in enumerate([list(HEADER), *register_rows(certs)], start=1):
        for c, value in enumerate(row, start=1):
            _text_cell(ws, r, c, value, bold=r == 1)
    ws.freeze_panes = "B2"
    for letter, width in zip("ABCDEFGHI", (24, 28, 40, 16, 8, 12, 10, 12, 40), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
