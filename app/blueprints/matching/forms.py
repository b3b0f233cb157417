from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_common import SingleLine


def weight_choices() -> list[tuple[str, str]]:
    return [("essential", str(_l("Essential"))), ("optional", str(_l("Optional")))]


class JobProfileForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), SingleLine()])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    published = BooleanField(
        _l("Published: learners see it and can apply"),
        description=_l("Learners see a published profile and can apply to it, also through its public link."),
    )


class FromStandardForm(FlaskForm):
    source = SelectField(_l("Start from a standard"), validate_choice=False)


class RequirementForm(FlaskForm):
    element = StringField(_l("Element"), validators=[DataRequired(), Length(max=300)])
    level = SelectField(_l("Required level"), validators=[Optional()], validate_choice=False)
    weight = SelectField(_l("Weight"), choices=weight_choices, default="essential")


class RequirementEditForm(FlaskForm):
    level = SelectField(_l("Required level"), validators=[Optional()], validate_choice=False)
    weight = SelectField(_l("Weight"), choices=weight_choices)


class ItemsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ConsentForm(FlaskForm):
    organisation = SelectField(_l("Employer"), coerce=int, validate_choice=False)
    results = BooleanField(_l("My final results (judged by assessors)"), default=True)
    certificates = BooleanField(_l("My certificates"), default=True)
    items = ItemsField(_l("And these portfolio items"), coerce=int, validate_choice=False)
    days = IntegerField(_l("For how many days"), default=180, validators=[DataRequired(), NumberRange(1, 730)])


class CredentialApplicationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    email = StringField(_l("Email address"), validators=[DataRequired(), Email(), Length(max=254), SingleLine()])
    files = MultipleFileField(
        _l("Credential files (Open Badges 3.0, JSON)"),
        description=_l("Up to 10 files of at most 512 kB each, as your school or another issuer gave them."),
    )


class VacancyForm(FlaskForm):
    text = TextAreaField(
        _l("Vacancy text"),
        validators=[DataRequired(), Length(max=20000)],
        render_kw={"rows": 8},
        description=_l("Paste the vacancy in Dutch or English (at most 20,000 characters); nothing is sent elsewhere."),
    )


class AcceptProposalsForm(FlaskForm):
    element = SelectMultipleField(_l("Proposed requirements"), validate_choice=False)
