"""The forms of the assessors' pages. The judging grid keeps its field names (``level``, ``rationale``,
``note``, ``version``, ``claims`` and one ``c:<criterion>`` per criterion): the template draws the grid, the
form parses and checks what came back, and the service checks it against the standard."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, StringField, TextAreaField, ValidationError
from wtforms.validators import Optional

from app.assessment.creation import NewAssessment
from app.assessment.judging import JudgementInput
from app.assessment.models import AssessmentKind

CRITERION_PREFIX = "c:"
MAX_TEXT = 10000


def _int(raw: Any) -> int | None:
    text = str(raw).strip() if raw is not None else ""
    return int(text) if text.lstrip("-").isdigit() else None


def _clip(text: str | None) -> str:
    return (text or "")[:MAX_TEXT]


class IdsField(Field):
    """Every value of a repeated field that is a whole number (checkboxes of ids); anything else is left out."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [i for i in (_int(v) for v in valuelist) if i]

    def _value(self) -> str:
        return ""


class TextsField(Field):
    """Every value of a repeated field, as text (the scope checkboxes: element keys)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [str(v) for v in valuelist]

    def _value(self) -> str:
        return ""


class CriteriaField(Field):
    """The ratings of the criteria: every ``c:<criterion>`` field with a value, criterion key → level value."""

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors: list[Any] = []
        self.raw_data: list[Any] = []
        self.data: dict[str, int] = {}
        self.invalid: list[str] = []
        if formdata is None:
            return
        for name in formdata:
            if not name.startswith(CRITERION_PREFIX):
                continue
            value = formdata.get(name, "")
            if value == "":
                continue
            parsed = _int(value)
            if parsed is None:
                self.invalid.append(value)
            else:
                self.data[name.removeprefix(CRITERION_PREFIX)] = parsed

    def pre_validate(self, form: Any) -> None:
        if self.invalid:
            raise ValidationError(_("'%(value)s' is not a level", value=self.invalid[0]))  # a ValueError is a 500


class JudgementForm(FlaskForm):
    """One element's judgement: an assessor's own while judging is open, the agreed one while settling."""

    level = IntegerField(_l("Overall judgement"), validators=[Optional()])
    rationale = TextAreaField(_l("Rationale"), filters=[_clip])
    note = TextAreaField(_l("Note on the agreement"), filters=[_clip])
    version = IntegerField(validators=[Optional()])
    claims = IdsField()
    carried = TextsField()  # carried evidence cited: "judgement:12", "claim:7"
    criteria = CriteriaField()

    def judgement(self, key: str) -> JudgementInput:
        return JudgementInput(
            element_key=key,
            level_value=self.level.data,
            criteria=dict(self.criteria.data),
            rationale=self.rationale.data or "",
            claim_ids=list(self.claims.data or []),
            carried_keys=[k[:40] for k in self.carried.data or []],
            expected_version=self.version.data,
        )

    def first_error(self) -> str:
        return next(str(message) for errors in self.errors.values() for message in errors)


class StartForm(FlaskForm):
    """The same assessment for several students of a cohort; the service checks kind, scope and assessors."""

    students = IdsField()
    assessors = IdsField()
    scope = TextsField()
    kind = StringField(default=AssessmentKind.SUMMATIVE)
    held_on = DateField(validators=[Optional()])
    context = TextAreaField(filters=[lambda text: (text or "")[:2000]])

    def first_problem(self) -> str | None:
        """What keeps the assessments from being started at all, before the service is asked."""
        if self.held_on.errors:
            return _("The date is not valid; use the date picker.")
        if not self.students.data:
            return _("Select at least one student.")
        return None

    def new_assessment(self) -> NewAssessment:
        return NewAssessment(
            kind=self.kind.data or AssessmentKind.SUMMATIVE,
            scope_keys=list(self.scope.data or []),
            assessor_ids=list(self.assessors.data or []),
            held_on=self.held_on.data,
            context=self.context.data or "",
        )
