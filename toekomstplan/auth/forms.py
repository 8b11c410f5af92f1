"""Forms for registering, logging in and a forgotten password."""

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import Length, ValidationError

from ..forms import check_new_password, required
from ..passwords import MAX_LENGTH

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$")


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


class RegisterForm(FlaskForm):
    name = StringField(_l("Your first name"), validators=[required(), Length(max=80)])
    login = StringField(
        _l("E-mail address or username"),
        validators=[required(), Length(max=254), check_login_name],
    )
    password = PasswordField(_l("Password"), validators=[required(), check_new_password])


class LoginForm(FlaskForm):
    login = StringField(_l("E-mail address or username"), validators=[required(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[required(), Length(max=MAX_LENGTH)])


class ForgotForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[required(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[required(), check_new_password])


class TwoStepCodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[required(), Length(max=40)])


class SpareKeyForm(FlaskForm):
    login = StringField(_l("Your username"), validators=[required(), Length(max=254)])
    key = StringField(_l("Your spare key"), validators=[required(), Length(max=40)])
    password = PasswordField(_l("New password"), validators=[required(), check_new_password])


class HelpedResetForm(FlaskForm):
    login = StringField(_l("Your username"), validators=[required(), Length(max=254)])
    code = StringField(
        _l("The code from your support worker"), validators=[required(), Length(max=40)]
    )
    password = PasswordField(_l("New password"), validators=[required(), check_new_password])
