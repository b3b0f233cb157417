"""Forms of the version pages: propose a mapping, decide one row, confirm the mapping."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.versioning.proposal import Relation

RELATION_CHOICES = {
    Relation.EXACT.value: _l("exact match of (the same element)"),
    Relation.REPLACED.value: _l("replaced by (a successor that differs)"),
    Relation.NONE.value: _l("no successor"),
}


class ProposeMappingForm(FlaskForm):
    from_version = HiddenField(validators=[DataRequired(), Length(max=80)])
    to_version = HiddenField(validators=[DataRequired(), Length(max=80)])


class MappingRowForm(FlaskForm):
    relation = SelectField(_l("Relation"), choices=lambda: {k: str(v) for k, v in RELATION_CHOICES.items()})
    successor = StringField(_l("Successor (its key in the new version)"), validators=[Optional(), Length(max=160)])


class ConfirmMappingForm(FlaskForm):
    """Only the CSRF token: confirming takes the rows as they stand."""
