"""Bulk onboarding from CSV: parse, plan (what will be created, changed or refused, per row, with
reasons) without writing anything, then apply the whole plan or nothing."""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import has_request_context
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.cohorts import add_to_cohort
from app.accounts.invitations import InviteResult, invite
from app.accounts.models import Cohort, CohortAssessor, CohortStudent, Membership, Role, User
from app.accounts.users import LANGUAGES
from app.audit import Actor, record
from app.domain import N_, DomainError
from app.text import has_control_characters

MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024
HEADER_ALIASES = {
    "email": "email",
    "e-mail": "email",
    "e-mailadres": "email",
    "emailadres": "email",
    "mail": "email",
    "name": "name",
    "naam": "name",
    "language": "language",
    "taal": "language",
}


class RowAction(enum.StrEnum):
    CREATE = "create"  # no account yet: the organisation creates it, invites the person, adds them
    INVITE = "invite"  # someone else's account: its owner is asked and joins the cohort on accepting
    ADD = "add"  # a member of the organisation added to the cohort
    UNCHANGED = "unchanged"  # already in the cohort
    REFUSE = "refuse"

    @property
    def shown(self) -> RowAction:
        """What the administrator is shown: creating and asking look the same (no enumeration)."""
        return RowAction.INVITE if self == RowAction.CREATE else self


class CsvError(DomainError):
    """The file as a whole cannot be read (the message says why); it is about the uploaded ``file``."""

    def __init__(self, message: str, field: str | None = "file", **params: Any):
        super().__init__(message, field, **params)


class Reason(str):
    """Why a row is refused: the English text (what the plan compares and fingerprints), with the message id
    and parameters to show it in the reader's language (``message``), as a DomainError does."""

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, **params: object) -> Reason:
        reason = super().__new__(cls, msgid % params if params else msgid)
        reason.msgid = msgid
        reason.params = params
        return reason

    @property
    def message(self) -> str:
        """The reason in the language of the current request (English outside one)."""
        if not has_request_context():
            return str(self)
        return gettext(self.msgid, **self.params) if self.params else gettext(self.msgid)


@dataclass
class PlannedRow:
    line: int
    email: str
    name: str
    language: str
    action: RowAction
    reasons: list[Reason] = field(default_factory=list)
    user_id: int | None = None

    @property
    def shown_user_id(self) -> int | None:
        """Only members' accounts are named to the administrator (in the digest too)."""
        return self.user_id if self.action in (RowAction.ADD, RowAction.UNCHANGED) else None


@dataclass
class ImportPlan:
    cohort_id: int
    role: Role
    rows: list[PlannedRow]

    def count(self, action: RowAction) -> int:
        """Rows per action as the administrator sees them (new and existing outsiders both as invited)."""
        return sum(1 for r in self.rows if r.action.shown == action)

    @property
    def refused(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == RowAction.REFUSE]

    @property
    def can_apply(self) -> bool:
        return bool(self.rows) and not self.refused

    def digest(self) -> str:
        """Fingerprint of what the admin saw; apply refuses when the plan changed since."""
        data = [(r.line, r.email, r.name, r.language, r.action.shown, r.shown_user_id) for r in self.rows]
        blob = json.dumps([self.cohort_id, str(self.role), data], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise CsvError(N_("the file is larger than %(kb)s KB"), kb=MAX_BYTES // 1024)
    if b"\x00" in raw[:4096]:
        raise CsvError(N_("this is not a text file: save the sheet as CSV (UTF-8) and try again"))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError(N_("the file is not UTF-8 text"))


def _columns(reader: Iterator[list[str]]) -> list[str | None]:
    """What each column of the header line holds (None: a column we do not read)."""
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise CsvError(N_("the file has no header line")) from exc
    columns = [HEADER_ALIASES.get(h.strip().lower()) for h in header]
    if "email" not in columns or "name" not in columns:
        raise CsvError(
            N_("the header line must name the columns email and name (found: %(found)s)"),
            found=", ".join(h.strip() for h in header),
        )
    return columns


def _row(columns: list[str | None], values: list[str]) -> dict[str, str]:
    row = {col: "" for col in ("email", "name", "language")}
    for col, value in zip(columns, values, strict=False):
        if col:
            row[col] = value.strip()
    return row


def parse(text: str) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, {email, name, language}). Accepts ',' ';' or tab, Dutch or English headers."""
    if not text.strip():
        raise CsvError(N_("the file is empty"))
    first_line = text.lstrip().splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)  # the header line tells which separator the sheet used
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = _columns(reader)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvError(N_("the file has more than %(n)s rows; split it"), n=MAX_ROWS)
            rows.append((reader.line_num, _row(columns, values)))
    except csv.Error as exc:
        raise CsvError(N_("line %(line)s: %(problem)s"), line=reader.line_num, problem=str(exc)) from exc
    if not rows:
        raise CsvError(N_("the file has a header but no rows"))
    return rows


@dataclass(frozen=True)
class _Context:
    """What the plan knows about the cohort and the addresses in the file."""

    role: Role
    known: dict[str, User]  # existing accounts by address
    member_ids: set[int]  # of those, the organisation's members (only their accounts are looked at further)
    in_cohort: set[int]  # already in the cohort with ``role``
    other_role: set[int]  # in the cohort with the other role


def _context(session: Session, cohort: Cohort, role: Role, emails: list[str | None]) -> _Context:
    known = {u.email: u for u in session.scalars(select(User).where(User.email.in_([e for e in emails if e])))}
    member_ids = set(
        session.scalars(
            select(Membership.user_id).where(
                Membership.organisation_id == cohort.organisation_id,
                Membership.user_id.in_([u.id for u in known.values()]),
            )
        )
    )
    same, other = (CohortStudent, CohortAssessor) if role == Role.STUDENT else (CohortAssessor, CohortStudent)
    in_cohort = set(session.scalars(select(same.user_id).where(same.cohort_id == cohort.id)))
    other_role = set(session.scalars(select(other.user_id).where(other.cohort_id == cohort.id)))
    return _Context(role, known, member_ids, in_cohort, other_role)


def _valid_email(raw: str) -> str | None:
    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _input_reasons(row: dict[str, str], email: str | None, language: str, seen: dict[str, int]) -> list[Reason]:
    """What is wrong with the row as typed, whoever it names."""
    reasons: list[Reason] = []
    if not row["email"]:
        reasons.append(Reason(N_("email is missing")))
    elif email is None:
        reasons.append(Reason(N_("'%(address)s' is not a valid email address"), address=row["email"]))
    elif email in seen:
        reasons.append(Reason(N_("%(email)s appears twice (also on line %(line)s)"), email=email, line=seen[email]))
    if not row["name"]:
        reasons.append(Reason(N_("name is missing")))
    elif len(row["name"]) > 200:
        reasons.append(Reason(N_("name is longer than 200 characters")))
    elif has_control_characters(row["name"]):
        reasons.append(Reason(N_("the name contains a line break, tab or other control character")))
    if language not in LANGUAGES:
        reasons.append(
            Reason(
                N_("language must be one of %(languages)s (found '%(found)s')"),
                languages=", ".join(LANGUAGES),
                found=row["language"],
            )
        )
    return reasons


def _member_reasons(user: User, email: str, role: Role, other_role: set[int]) -> list[Reason]:
    """What stands in the way of adding a member of the organisation."""
    reasons: list[Reason] = []
    if user.id in other_role:
        message = (
            N_("%(email)s is already an assessor of this cohort")
            if role == Role.STUDENT
            else N_("%(email)s is already a student of this cohort")
        )
        reasons.append(Reason(message, email=email))
    if not user.active:
        reasons.append(Reason(N_("the account %(email)s is deactivated"), email=email))
    return reasons


def _plan_row(line: int, row: dict[str, str], email: str | None, seen: dict[str, int], context: _Context) -> PlannedRow:
    language = (row["language"] or "nl").lower()
    reasons = _input_reasons(row, email, language, seen)
    user = context.known.get(email) if email else None
    if email:
        seen.setdefault(email, line)
    stranger = user is not None and user.id not in context.member_ids
    if stranger:
        user = None  # planned exactly as an unknown address; applied as an invitation its owner accepts
    if user is not None and email:
        reasons.extend(_member_reasons(user, email, context.role, context.other_role))
    if reasons:
        action = RowAction.REFUSE
    elif stranger:
        action = RowAction.INVITE
    elif user is None:
        action = RowAction.CREATE
    elif user.id in context.in_cohort:
        action = RowAction.UNCHANGED
    else:
        action = RowAction.ADD
    return PlannedRow(line, email or row["email"], row["name"], language, action, reasons, user.id if user else None)


def plan_import(session: Session, cohort: Cohort, role: Role, rows: list[tuple[int, dict[str, str]]]) -> ImportPlan:
    """Decide per row what would happen. Reads only."""
    emails = [_valid_email(row["email"]) for _, row in rows]
    context = _context(session, cohort, role, emails)
    seen: dict[str, int] = {}
    planned = [_plan_row(line, row, email, seen, context) for (line, row), email in zip(rows, emails, strict=True)]
    return ImportPlan(cohort.id, role, planned)


@dataclass
class ImportResult:
    invited: list[InviteResult]  # new accounts and asked owners alike, each with a link to pass on
    names: dict[str, str]  # the names as typed in the file, per address
    added: int
    unchanged: int


def apply_import(session: Session, actor: Actor, cohort: Cohort, plan: ImportPlan) -> ImportResult:
    """All rows or none: refuses a plan with refused rows; the caller commits once (or rolls back)."""
    if not plan.can_apply:
        raise CsvError(N_("the import has refused rows; nothing was written"))
    invited: list[InviteResult] = []
    added = 0
    for row in plan.rows:
        if row.action == RowAction.UNCHANGED:
            continue
        if row.action in (RowAction.CREATE, RowAction.INVITE):
            invited.append(
                invite(
                    session,
                    actor,
                    cohort.organisation,
                    email=row.email,
                    name=row.name,
                    language=row.language,
                    cohort=cohort,
                    cohort_role=plan.role,
                )
            )
            continue
        user = session.get(User, row.user_id)
        assert user is not None
        add_to_cohort(session, actor, cohort, user, plan.role)
        added += 1
    record(
        session,
        actor,
        "import.applied",
        organisation_id=cohort.organisation_id,
        target_type="cohort",
        target_id=cohort.id,
        summary=f"{len(plan.rows)} rows: {len(invited)} invited, {added} added, "
        f"{plan.count(RowAction.UNCHANGED)} unchanged ({plan.role}s)",
    )
    session.flush()
    return ImportResult(invited, {r.email: r.name for r in plan.rows}, added, plan.count(RowAction.UNCHANGED))
