"""Forms for inviting people and choosing what they see."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import Email, Length, Optional

from ..forms import check_new_password, checkboxes, max_length, required
from ..models import Share
from ..models.sharing import SHARE_LABEL_MAX

ROLES = [
    SelectChoice("worker", _l("Support worker: reads, comments and suggests")),
    SelectChoice("viewer", _l("Look along: only reads (a parent, a mentor)")),
]


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


class ShareForm(FlaskForm):
    role = RadioField(_l("What may they do?"), choices=ROLES)
    sees_intro = BooleanField(_l("Introduction"))
    sees_about = BooleanField(_l("About me"))
    sees_media = BooleanField(_l("Photos and videos"))
    sees_reactions = BooleanField(_l("Reactions"))
    goals = checkboxes(_l("Goals they see"), coerce=int)  # the service keeps this plan's only

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
