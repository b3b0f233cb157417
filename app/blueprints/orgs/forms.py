from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.models import OrgKind, Role
from app.forms_common import SingleLine


def role_choices() -> dict[str, str]:
    return {
        Role.STUDENT.value: str(_l("Student")),
        Role.ASSESSOR.value: str(_l("Assessor")),
        Role.CURRICULUM_LEAD.value: str(_l("Curriculum lead")),
        Role.HR.value: str(_l("HR")),
        Role.EXAM_COMMITTEE.value: str(_l("Exam committee")),
        Role.ORG_ADMIN.value: str(_l("Organisation administrator")),
    }


def kind_choices() -> dict[str, str]:
    return {
        OrgKind.SCHOOL.value: str(_l("School")),
        OrgKind.EMPLOYER.value: str(_l("Employer")),
        OrgKind.EXAM_BODY.value: str(_l("Exam body")),
    }


class RolesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    kind = SelectField(_l("Kind"), choices=kind_choices)


class InviteForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254), SingleLine()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    language = SelectField(_l("Language"), choices={"nl": "Nederlands", "en": "English"})
    roles = RolesField(_l("Roles"), choices=role_choices, validators=[DataRequired()])


class RolesForm(FlaskForm):
    roles = RolesField(_l("Roles"), choices=role_choices)


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    year = StringField(
        _l("School year"), validators=[DataRequired(), Length(max=20), SingleLine()], default="2026-2027"
    )
    programme = SelectField(
        _l("Programme"),
        validators=[DataRequired()],
        description=_l("The standard, or the profile of a standard, that the cohort follows."),
    )


class AddAssessorForm(FlaskForm):
    email = EmailField(_l("Email address of the assessor"), validators=[DataRequired(), Length(max=254), SingleLine()])
    name = StringField(
        _l("Name"),
        validators=[Optional(), Length(max=200), SingleLine()],
        description=_l("For a new account; someone who already has one keeps their own name."),
    )


class ImportUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    role = SelectField(
        _l("Import as"),
        choices=lambda: {Role.STUDENT.value: str(_l("Students")), Role.ASSESSOR.value: str(_l("Assessors"))},
    )


class ImportConfirmForm(FlaskForm):
    csv_text = TextAreaField(validators=[DataRequired()])
    role = HiddenField(validators=[DataRequired()])
    digest = HiddenField(validators=[DataRequired()])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    action = StringField(_l("Action"), validators=[Optional(), Length(max=60), SingleLine()])
    actor = StringField(_l("Person (email)"), validators=[Optional(), Length(max=254), SingleLine()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
