from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from app.accounts.passwords import MAX_LENGTH, MIN_LENGTH, PasswordProblem
from app.forms_common import SingleLine


class SignInForm(FlaskForm):
    # No SingleLine here: a forged address fails like any wrong one, and is audited (cleaned) as such.
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device for 14 days"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=_l(
            "At least %(n)s characters. A few unrelated words make a strong, memorable password.", n=MIN_LENGTH
        ),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254), SingleLine()])


def password_problem_messages(problems: list[PasswordProblem]) -> list[str]:
    messages = {
        PasswordProblem.TOO_SHORT: _l("Use at least %(n)s characters.", n=MIN_LENGTH),
        PasswordProblem.TOO_LONG: _l("Use at most %(n)s characters.", n=MAX_LENGTH),
        PasswordProblem.TOO_COMMON: _l("This password is too common or too easy to guess. Try a few unrelated words."),
        PasswordProblem.CONTAINS_PERSONAL: _l("Do not use your name or email address in your password."),
    }
    return [str(messages[p]) for p in problems]
