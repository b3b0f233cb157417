"""Bulk onboarding from CSV: parse, plan (what will be created, changed or refused, per row, with
reasons) without writing anything, then apply the whole plan or nothing."""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import json
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.invitations import InviteResult, invite
from app.accounts.models import Cohort, CohortAssessor, CohortStudent, Membership, Role, User
from app.accounts.services import LANGUAGES, add_to_cohort
from app.audit import Actor, record
from app.domain import DomainError
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
    """The file as a whole cannot be read (the message says why)."""


@dataclass
class PlannedRow:
    line: int
    email: str
    name: str
    language: str
    action: RowAction
    reasons: list[str] = field(default_factory=list)
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
        raise CsvError(f"the file is larger than {MAX_BYTES // 1024} KB")
    if b"\x00" in raw[:4096]:
        raise CsvError("this is not a text file: save the sheet as CSV (UTF-8) and try again")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError("the file is not UTF-8 text")


def parse(text: str) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, {email, name, language}). Accepts ',' ';' or tab, Dutch or English headers."""
    if not text.strip():
        raise CsvError("the file is empty")
    first_line = text.lstrip().splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)  # the header line tells which separator the sheet used
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise CsvError("the file has no header line") from exc
    columns = [HEADER_ALIASES.get(h.strip().lower()) for h in header]
    missing = [c for c in ("email", "name") if c not in columns]
    if missing:
        raise CsvError(
            f"the header line must name the columns email and name (found: {', '.join(h.strip() for h in header)})"
        )
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvError(f"the file has more than {MAX_ROWS} rows; split it")
            row = {col: "" for col in ("email", "name", "language")}
            for col, value in zip(columns, values, strict=False):
                if col:
                    row[col] = value.strip()
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise CsvError(f"line {reader.line_num}: {exc}") from exc
    if not rows:
        raise CsvError("the file has a header but no rows")
    return rows


def plan_import(session: Session, cohort: Cohort, role: Role, rows: list[tuple[int, dict[str, str]]]) -> ImportPlan:
    """Decide per row what would happen. Reads only."""
    emails = []
    for _, row in rows:
        try:
            emails.append(validate_email(row["email"], check_deliverability=False).normalized.lower())
        except EmailNotValidError:
            emails.append(None)
    known = {u.email: u for u in session.scalars(select(User).where(User.email.in_([e for e in emails if e])))}
    # Accounts of other people are not ours to inspect: only members' accounts are looked at any further.
    member_ids = set(
        session.scalars(
            select(Membership.user_id).where(
                Membership.organisation_id == cohort.organisation_id,
                Membership.user_id.in_([u.id for u in known.values()]),
            )
        )
    )
    in_cohort_table = CohortStudent if role == Role.STUDENT else CohortAssessor
    members = set(session.scalars(select(in_cohort_table.user_id).where(in_cohort_table.cohort_id == cohort.id)))
    other_table = CohortAssessor if role == Role.STUDENT else CohortStudent
    others = set(session.scalars(select(other_table.user_id).where(other_table.cohort_id == cohort.id)))
    seen: dict[str, int] = {}
    planned: list[PlannedRow] = []
    for (line, row), email in zip(rows, emails, strict=True):
        reasons: list[str] = []
        language = (row["language"] or "nl").lower()
        if not row["email"]:
            reasons.append("email is missing")
        elif email is None:
            reasons.append(f"'{row['email']}' is not a valid email address")
        elif email in seen:
            reasons.append(f"{email} appears twice (also on line {seen[email]})")
        if not row["name"]:
            reasons.append("name is missing")
        elif len(row["name"]) > 200:
            reasons.append("name is longer than 200 characters")
        elif has_control_characters(row["name"]):
            reasons.append(gettext("the name contains a line break, tab or other control character"))
        if language not in LANGUAGES:
            reasons.append(f"language must be one of {', '.join(LANGUAGES)} (found '{row['language']}')")
        user = known.get(email) if email else None
        if email:
            seen.setdefault(email, line)
        stranger = user is not None and user.id not in member_ids
        if stranger:
            user = None  # planned exactly as an unknown address; applied as an invitation its owner accepts
        if user is not None and user.id in others:
            reasons.append(
                f"{email} is already {'an assessor' if role == Role.STUDENT else 'a student'} of this cohort"
            )
        if user is not None and not user.active:
            reasons.append(f"the account {email} is deactivated")
        if reasons:
            action = RowAction.REFUSE
        elif stranger:
            action = RowAction.INVITE
        elif user is None:
            action = RowAction.CREATE
        elif user.id in members:
            action = RowAction.UNCHANGED
        else:
            action = RowAction.ADD
        planned.append(
            PlannedRow(line, email or row["email"], row["name"], language, action, reasons, user.id if user else None)
        )
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
        raise ValueError("the import has refused rows; nothing was written")
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
