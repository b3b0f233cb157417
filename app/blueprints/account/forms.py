from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.models import ApiScope
from app.forms_common import SingleLine


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    language = SelectField(_l("Language"), choices={"en": "English", "nl": "Nederlands"})


def scope_choices() -> dict[str, str]:
    return {
        ApiScope.PROFILE_READ.value: str(_l("Read your profile and roles")),
        ApiScope.ORGANISATION_READ.value: str(_l("Read the organisations, cohorts and members you manage")),
        ApiScope.CROSSWALKS_READ.value: str(_l("Read crosswalks: the published ones and your organisations' drafts")),
        ApiScope.MATCHING_READ.value: str(_l("Read your employer's job profiles and the candidates who consented")),
        ApiScope.CURRICULUM_READ.value: str(_l("Read the curricula and exam plans you may see")),
    }


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100), SingleLine()],
        description=_l("So that you recognise the token later, e.g. “reporting script”."),
    )
    scopes = SelectMultipleField(
        _l("Scopes"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), validators=[DataRequired()]
    )
