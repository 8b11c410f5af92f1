"""Forms for registering, logging in and managing an account."""

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..passwords import MAX_LENGTH, MIN_LENGTH, is_common

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$")


def check_new_password(form, field):
    """Refuse short, overlong and common passwords with a message that helps."""
    value = field.data or ""
    if len(value) < MIN_LENGTH:
        raise ValidationError(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(value) > MAX_LENGTH:
        raise ValidationError(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    if is_common(value):
        raise ValidationError(
            _l("Many people use this password, so it is easy to guess. Choose another one.")
        )


def check_login_name(form, field):
    """Accept an e-mail address, or a username for someone without one."""
    value = (field.data or "").strip()
    if "@" in value:
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(_l("This e-mail address is not complete.")) from None
    elif not USERNAME.match(value):
        raise ValidationError(
            _l("A username has 3 to 40 letters or numbers (and . _ - in between), no spaces.")
        )


def _required():
    return InputRequired(message=_l("Please fill this in."))


class RegisterForm(FlaskForm):
    name = StringField(_l("Your first name"), validators=[_required(), Length(max=80)])
    login = StringField(
        _l("E-mail address or username"),
        validators=[_required(), Length(max=254), check_login_name],
    )
    password = PasswordField(_l("Password"), validators=[_required(), check_new_password])


class LoginForm(FlaskForm):
    login = StringField(_l("E-mail address or username"), validators=[_required(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[_required(), Length(max=MAX_LENGTH)])


class ForgotForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[_required(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[_required(), check_new_password])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Your password now"), validators=[_required(), Length(max=MAX_LENGTH)]
    )
    password = PasswordField(_l("New password"), validators=[_required(), check_new_password])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[_required(), Length(max=MAX_LENGTH)])
    sure = BooleanField(
        _l("Yes, delete my account and my whole plan. I know this cannot be undone."),
        validators=[DataRequired(message=_l("Tick this box if you are sure."))],
    )


class TwoStepCodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[_required(), Length(max=40)])


class TwoStepSetupForm(FlaskForm):
    code = StringField(
        _l("The 6-digit code from the app"), validators=[_required(), Length(max=20)]
    )


class TwoStepOffForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[_required(), Length(max=MAX_LENGTH)])
    code = StringField(
        _l("A code from the app, or a recovery code"), validators=[_required(), Length(max=40)]
    )
