from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_common import SingleLine
from app.portfolio.models import EvidenceContext


def context_choices() -> dict[str, str]:
    return {
        EvidenceContext.INTERNSHIP.value: str(_l("Internship (BPV)")),
        EvidenceContext.SCHOOL_PROJECT.value: str(_l("School project")),
        EvidenceContext.JOB.value: str(_l("Job")),
        EvidenceContext.VOLUNTEERING.value: str(_l("Volunteering")),
        EvidenceContext.OTHER.value: str(_l("Other")),
    }


class ItemForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), SingleLine()])
    description = TextAreaField(_l("What did you do?"), validators=[Length(max=10000)])
    context = SelectField(_l("Context"), choices=context_choices)
    context_detail = StringField(
        _l("Where"), validators=[Length(max=200), SingleLine()], description=_l("E.g. the company of your internship.")
    )
    started_on = DateField(_l("From"), validators=[Optional()])
    ended_on = DateField(_l("Until"), validators=[Optional()])
    situation = TextAreaField(_l("Situation"), validators=[Length(max=5000)])
    task = TextAreaField(_l("Task"), validators=[Length(max=5000)])
    action = TextAreaField(_l("Action"), validators=[Length(max=5000)])
    result = TextAreaField(_l("Result"), validators=[Length(max=5000)])
    reflection = TextAreaField(_l("Reflection"), validators=[Length(max=5000)])


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])


class LinkForm(FlaskForm):
    url = StringField(_l("Web address"), validators=[DataRequired(), Length(max=2000), SingleLine()])
    link_title = StringField(_l("Link text"), validators=[Length(max=200), SingleLine()])


class ClaimForm(FlaskForm):
    """``target`` is "<cohort id>:<element key>"; ``level`` is "<scale id>:<level value>" or empty (the page
    offers the levels of the chosen element's scale). The choices are set by the page that shows the form;
    the service checks that the target is claimable and the level belongs to its scale."""

    target = SelectField(_l("Proves"), validators=[DataRequired(), Regexp(r"^[0-9]{1,9}:\S")], validate_choice=False)
    level = SelectField(_l("Your self-assessment"), validators=[Optional()], validate_choice=False)
    explanation = TextAreaField(
        _l("Why does this item prove it?"),
        validators=[Length(max=5000)],
        description=_l("Point to the part of your work that shows it."),
    )

    @property
    def cohort_id(self) -> int:
        return int(self.target.data.partition(":")[0])

    @property
    def element_key(self) -> str:
        return self.target.data.partition(":")[2]

    @property
    def scale_id(self) -> int | None:
        return _small_number((self.level.data or "").partition(":")[0])

    @property
    def level_value(self) -> int | None:
        return _small_number((self.level.data or "").partition(":")[2])


def _small_number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])
    claim_id = HiddenField()


class ItemsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ShareForm(FlaskForm):
    label = StringField(
        _l("For whom"),
        validators=[DataRequired(), Length(max=200), SingleLine()],
        description=_l("E.g. Webwinkel Noord, HR"),
    )
    cohort = SelectField(_l("Programme"), validators=[Optional()], validate_choice=False)
    items = ItemsField(_l("Or only these items"), coerce=int, validate_choice=False)
    days = IntegerField(_l("Valid for (days)"), default=30, validators=[DataRequired(), NumberRange(1, 365)])
