"""Forms of the standards import page: upload, then confirm what was previewed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, Optional, Regexp

FORMAT_CHOICES = {
    "": _l("Recognise it from the file"),
    "case": _l("CASE 1.0 or 1.1 package (JSON)"),
    "moodle": _l("Moodle competency framework (CSV)"),
    "yaml": _l("Bekwaam standard (YAML)"),
}


PLATFORM_OWNER = "platform"

# The language of the texts when the file names none (Moodle files never do); ``und``: undetermined.
UNDETERMINED = "und"
LANGUAGE_CHOICES = {
    "nl": _l("Dutch"),
    "nl-BE": _l("Dutch (Flanders)"),
    "en": _l("English"),
    "de": _l("German"),
    "fr": _l("French"),
    "hu": _l("Hungarian"),
    UNDETERMINED: _l("Undetermined (und)"),
}
LANGUAGE_CODE = r"^[a-z]{2,3}(-[A-Z]{2})?$"


def language_code(value: str | None) -> str | None:
    """The language a form names; None when it is undetermined (the importer then marks it ``und``)."""
    return None if not value or value == UNDETERMINED else value


def owner_id(value: str | None) -> int | None:
    """The owner a form names: ``platform`` (None) or an organisation's id."""
    return None if not value or value == PLATFORM_OWNER else int(value)


class StandardUploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])
    format = SelectField(_l("Format"), choices=lambda: {k: str(v) for k, v in FORMAT_CHOICES.items()}, default="")
    # Whose standard it becomes; the view sets the choices to the owners the person may import for.
    owner = SelectField(
        _l("Who sees the standard"),
        description=_l("A standard private to an organisation is seen only by its members."),
    )
    language = SelectField(
        _l("Language of the texts"),
        description=_l("Used when the file does not name its language, as Moodle files never do."),
        choices=lambda: {k: str(v) for k, v in LANGUAGE_CHOICES.items()},
        default=UNDETERMINED,
    )


class StandardConfirmForm(FlaskForm):
    """Names the previewed upload by its digest; the file itself stays on the server until confirmed."""

    digest = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{64}$")])
    format = HiddenField()
    name = HiddenField()
    owner = HiddenField(validators=[Optional(), Regexp(rf"^({PLATFORM_OWNER}|[0-9]{{1,12}})$")])  # none: platform
    language = HiddenField(validators=[Optional(), Regexp(LANGUAGE_CODE)])  # none: undetermined
