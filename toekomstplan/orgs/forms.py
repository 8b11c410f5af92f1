"""Forms of an organisation's own pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import Email

from ..forms import checkboxes, max_length, required
from ..models.organisations import TEAM_NAME_MAX

ROLES = [
    SelectChoice("worker", _l("Worker: young people can share their plan with them")),
    SelectChoice("team_lead", _l("Team lead: a worker who also leads a team")),
    SelectChoice("admin", _l("Admin: manages teams and members, never plans")),
]


class TeamForm(FlaskForm):
    name = StringField(_l("Name of the team"), validators=[required(), max_length(TEAM_NAME_MAX)])


class MemberInviteForm(FlaskForm):
    email = StringField(
        _l("Their work e-mail address"),
        validators=[required(), Email(message=_l("This e-mail address is not complete."))],
    )
    role = RadioField(_l("Role"), choices=ROLES, default="worker")
    team = SelectField(_l("Team"), coerce=int, validate_choice=False)


class MemberForm(FlaskForm):
    role = RadioField(_l("Role"), choices=ROLES)
    teams = checkboxes(_l("Teams"), coerce=int)  # the service keeps this organisation's only


class StartConfirmForm(FlaskForm):
    """What the worker of a start link will see, chosen by the young person."""

    sees_intro = BooleanField(_l("Introduction"), default=True)
    sees_about = BooleanField(_l("About me"), default=True)
    sees_media = BooleanField(_l("Photos and videos"), default=True)


class SettingsForm(FlaskForm):
    """How the organisation's members log in."""

    requires_two_step = BooleanField(_l("Members must log in with two steps"))


class DeleteOrganisationForm(FlaskForm):
    name = StringField(_l("Type the name of the organisation"), validators=[required()])


class SsoForm(FlaskForm):
    """The organisation's OpenID provider; the secret is never shown again."""

    issuer = StringField(
        _l("Address of the provider (issuer)"), validators=[required(), max_length(255)]
    )
    client_id = StringField(_l("Client id"), validators=[required(), max_length(255)])
    client_secret = PasswordField(_l("Client secret"), validators=[max_length(500)])
    requires_sso = BooleanField(_l("Members must log in through the organisation"))
