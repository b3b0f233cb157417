"""The forms of the curriculum pages. The services check the rules; the forms parse and bound the input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.curriculum.models import InstrumentKind, UnitKind
from app.forms_common import SingleLine


def unit_kind_choices() -> dict[str, str]:
    return {
        UnitKind.YEAR.value: str(_l("Year")),
        UnitKind.PERIOD.value: str(_l("Period")),
        UnitKind.MODULE.value: str(_l("Module")),
        UnitKind.ACTIVITY.value: str(_l("Learning activity")),
    }


def instrument_kind_choices() -> dict[str, str]:
    return {
        InstrumentKind.PROEVE.value: str(_l("Proeve van bekwaamheid")),
        InstrumentKind.PRACTICAL.value: str(_l("Practical exam")),
        InstrumentKind.INTERVIEW.value: str(_l("Criterion-based interview")),
        InstrumentKind.PORTFOLIO.value: str(_l("Portfolio assessment")),
        InstrumentKind.KNOWLEDGE_TEST.value: str(_l("Knowledge test")),
        InstrumentKind.OTHER.value: str(_l("Other exam")),
    }


class CurriculumForm(FlaskForm):
    organisation = SelectField(_l("School"), coerce=int, validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), SingleLine()])
    cohort_year = StringField(
        _l("Cohort year"), validators=[DataRequired(), Length(max=20), SingleLine()], default="2026"
    )
    programme = SelectField(
        _l("Standard"),
        validators=[DataRequired()],
        description=_l("The standard, or the profile of a standard, that the programme leads to."),
    )
    further = SelectMultipleField(
        _l("Also map onto"), description=_l("Further standards the programme is mapped onto (optional).")
    )
    over_assessed_threshold = IntegerField(
        _l("Over-assessed above"),
        default=2,
        validators=[InputRequired(), NumberRange(1, 20)],
        description=_l("An element examined summatively more often than this is flagged as over-assessed."),
    )


class ThresholdForm(FlaskForm):
    over_assessed_threshold = IntegerField(_l("Over-assessed above"), validators=[InputRequired(), NumberRange(1, 20)])


class UnitForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=unit_kind_choices)
    parent_id = SelectField(_l("Part of"), coerce=int, default=0)
    code = StringField(_l("Code"), validators=[Optional(), Length(max=40), SingleLine()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), SingleLine()])
    hours = IntegerField(_l("Hours"), validators=[Optional(), NumberRange(0, 10000)])
    credits = IntegerField(_l("Credits"), validators=[Optional(), NumberRange(0, 10000)])


class InstrumentForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=instrument_kind_choices)
    code = StringField(_l("Code"), validators=[Optional(), Length(max=40), SingleLine()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), SingleLine()])
    period_id = SelectField(_l("When"), coerce=int, default=0)
    scale = StringField(
        _l("Judging scale"),
        validators=[Optional(), Length(max=200), SingleLine()],
        default="onvoldoende/voldoende/goed",
    )
    pass_rule = TextAreaField(_l("Pass rule (cesuur)"), validators=[Optional(), Length(max=2000)])
    assessors_required = IntegerField(
        _l("Number of assessors"), default=2, validators=[InputRequired(), NumberRange(1, 5)]
    )
    summative = BooleanField(_l("Summative (counts for the diploma)"), default=True)


class AdoptForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=1000)])


class CopyForm(FlaskForm):
    cohort_year = StringField(_l("Cohort year"), validators=[DataRequired(), Length(max=20), SingleLine()])


class FollowForm(FlaskForm):
    cohort_id = SelectField(_l("Cohort"), coerce=int, validators=[InputRequired()])


class MapUploadForm(FlaskForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired(_l("Choose a file to upload."))])


class MapConfirmForm(FlaskForm):
    """Names the previewed upload by its digest; the file itself waits on the server until confirmed."""

    digest = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{64}$")])
