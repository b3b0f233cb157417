from flask_wtf import FlaskForm


class AnswerForm(FlaskForm):
    """Accept or decline: nothing to fill in but the CSRF token."""
