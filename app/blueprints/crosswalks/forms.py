"""Crosswalk forms: they parse and bind only what a person may set; the services hold the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DecimalField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.crosswalks.links import LinkInput
from app.crosswalks.models import LinkRelation
from app.forms_common import SingleLine


def relation_choices() -> list[tuple[str, str]]:
    labels = {
        LinkRelation.EXACT: _l("exact match"),
        LinkRelation.CLOSE: _l("close match"),
        LinkRelation.BROADER: _l("broader than"),
        LinkRelation.NARROWER: _l("narrower than"),
        LinkRelation.RELATED: _l("related to"),
    }
    return [(r.value, str(label)) for r, label in labels.items()]


class NewCrosswalkForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    source = SelectField(_l("Source standard"), validators=[DataRequired()])
    target = SelectField(_l("Target standard"), validators=[DataRequired()])
    owner = SelectField(_l("Owner"), validators=[Optional()])
    source_ref = StringField(_l("Source reference"), validators=[Optional(), Length(max=500), SingleLine()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])


class EditCrosswalkForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    source_ref = StringField(_l("Source reference"), validators=[Optional(), Length(max=500), SingleLine()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])


class LinkForm(FlaskForm):
    subject_key = StringField(_l("Element of the source standard"), validators=[DataRequired(), Length(max=160)])
    object_key = StringField(_l("Element of the target standard"), validators=[DataRequired(), Length(max=160)])
    relation = SelectField(_l("Relation"), validators=[DataRequired()])
    confidence = DecimalField(_l("Confidence (0 to 1)"), places=2, default=0.8, validators=[NumberRange(0, 1)])
    min_level = SelectField(_l("Only at this level or higher"), validators=[Optional()])
    condition_text = StringField(_l("Other condition"), validators=[Optional(), Length(max=1000)])
    note = TextAreaField(_l("Note: why these two correspond"), validators=[DataRequired(), Length(max=4000)])

    def __init__(self, *args: object, levels: list[tuple[str, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.relation.choices = relation_choices()
        self.min_level.choices = [("", str(_l("no minimum level"))), *(levels or [])]

    def to_input(self) -> LinkInput:
        return LinkInput(
            subject_key=(self.subject_key.data or "").strip(),
            object_key=(self.object_key.data or "").strip(),
            relation=self.relation.data,
            note=self.note.data or "",
            confidence=float(self.confidence.data if self.confidence.data is not None else 0.8),
            min_level_id=int(self.min_level.data) if (self.min_level.data or "").isdigit() else None,
            condition_text=self.condition_text.data or "",
        )


class SuggestionsForm(FlaskForm):
    """Bulk accept or reject: each pick is "subject key|object key"."""

    picks = SelectMultipleField(_l("Suggestions"), validate_choice=False, validators=[DataRequired()])
    relation = SelectField(_l("Relation for the accepted suggestions"), validators=[Optional()])
    confidence = DecimalField(_l("Confidence (0 to 1)"), places=2, default=0.5, validators=[NumberRange(0, 1)])
    note = TextAreaField(_l("Note for the accepted suggestions"), validators=[Optional(), Length(max=4000)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.relation.choices = relation_choices()

    def pairs(self) -> list[tuple[str, str]]:
        out = []
        for pick in self.picks.data or []:
            subject, sep, obj = str(pick).partition("|")
            if sep and subject and obj:
                out.append((subject, obj))
        return out


class ImportForm(FlaskForm):
    file = FileField(_l("SSSOM TSV file"), validators=[FileRequired()])
    name = StringField(
        _l("Name"),
        validators=[Optional(), Length(max=200), SingleLine()],
        description=_l("Empty: the file's mapping_set_title."),
    )
    owner = SelectField(_l("Owner"), validators=[Optional()])


class ImportConfirmForm(FlaskForm):
    """Names the previewed upload by its digest; the bytes wait on the server until confirmed."""

    digest = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{64}$")])
    name = HiddenField(validators=[Length(max=200)])
    owner = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{0,12}$")])
