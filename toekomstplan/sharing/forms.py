"""Forms for inviting people and choosing what they see."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import Email, Length, Optional, ValidationError

from .. import clock
from ..forms import check_new_password, checkboxes, max_length, required
from ..models import Share
from ..models.sharing import SHARE_LABEL_MAX
from .ending import LAST_DAY_MAX_DAYS

ROLES = [
    SelectChoice("worker", _l("Support worker: reads, comments and suggests")),
    SelectChoice("viewer", _l("Look along: only reads (a parent, a mentor)")),
]


def _ahead(form, field) -> None:
    if field.data is None or field.data == getattr(form, "last_day_now", None):
        return  # empty, or the day it has now (left as it is)
    today = clock.today()
    if field.data < today:
        raise ValidationError(_l("Choose today or a day after today."))
    if field.data > today + timedelta(days=LAST_DAY_MAX_DAYS):
        raise ValidationError(_l("Choose a day within two years."))


def last_day_field() -> DateField:
    return DateField(
        _l("Until when may they look? (you may leave this empty)"),
        validators=[Optional(), _ahead],
        render_kw={"type": "date"},
    )


class InviteForm(FlaskForm):
    label = StringField(
        _l("Who is it?"),
        validators=[required(), max_length(SHARE_LABEL_MAX)],
    )
    role = RadioField(_l("What may they do?"), choices=ROLES, default="worker")
    email = StringField(
        _l("Their e-mail address (you may leave this empty)"),
        validators=[Optional(), Email(message=_l("This e-mail address is not complete."))],
    )
    last_day = last_day_field()


class ShareForm(FlaskForm):
    role = RadioField(_l("What may they do?"), choices=ROLES)
    sees_intro = BooleanField(_l("Introduction"))
    sees_about = BooleanField(_l("About me"))
    sees_media = BooleanField(_l("Photos and videos"))
    sees_reactions = BooleanField(_l("Reactions"))
    goals = checkboxes(_l("Goals they see"), coerce=int)  # the service keeps this plan's only
    last_day = last_day_field()

    last_day_now: date | None = None  # the share's last day: kept as it is, it is not checked again

    @classmethod
    def for_share(cls, share: Share) -> ShareForm:
        """Return the form filled in with what the person sees now."""
        hidden = share.hidden_goal_ids
        return cls(
            data={
                "role": share.role,
                "sees_intro": share.sees_intro,
                "sees_about": share.sees_about,
                "sees_media": share.sees_media,
                "sees_reactions": share.sees_reactions,
                "last_day": share.last_day,
                "goals": [g.id for g in share.plan.goals if g.id not in hidden],
            }
        )


class SupporterRegisterForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[required(), Length(max=80)])
    email = StringField(
        _l("E-mail address"),
        validators=[required(), Email(message=_l("This e-mail address is not complete."))],
    )
    password = PasswordField(_l("Password"), validators=[required(), check_new_password])
