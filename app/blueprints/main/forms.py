from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired


class LanguageForm(FlaskForm):
    lang = StringField(validators=[DataRequired(), AnyOf(["en", "nl"])])
    next = HiddenField()
