"""Forms of my account: a new password, two-step login, deleting everything."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from ..forms import check_new_password, required
from ..passwords import MAX_LENGTH


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Your password now"), validators=[required(), Length(max=MAX_LENGTH)]
    )
    password = PasswordField(_l("New password"), validators=[required(), check_new_password])


class SpareKeyForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[required(), Length(max=MAX_LENGTH)])


class AddEmailForm(FlaskForm):
    email = StringField(
        _l("Your e-mail address"),
        validators=[
            required(),
            Length(max=254),
            Email(message=_l("This e-mail address is not complete.")),
        ],
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[required(), Length(max=MAX_LENGTH)])
    sure = BooleanField(
        _l("Yes, delete my account and my whole plan. I know this cannot be undone."),
        validators=[DataRequired(message=_l("Tick this box if you are sure."))],
    )

    @classmethod
    def for_user(cls, user) -> DeleteAccountForm:
        """The form as `user` reads it: only a young person has a plan to lose."""
        form = cls()
        if not user.is_youth:
            form.sure.label.text = _l("Yes, delete my account. I know this cannot be undone.")
        return form


class TwoStepSetupForm(FlaskForm):
    code = StringField(_l("The 6-digit code from the app"), validators=[required(), Length(max=20)])


class TwoStepOffForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[required(), Length(max=MAX_LENGTH)])
    code = StringField(
        _l("A code from the app, or a recovery code"), validators=[required(), Length(max=40)]
    )
