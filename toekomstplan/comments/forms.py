"""Forms for reactions and suggestions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from .services import COMMENT_MAX


def _required():
    return InputRequired(message=_l("Please fill this in."))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your reaction"),
        validators=[
            _required(),
            Length(max=COMMENT_MAX, message=_l("Use at most %(max)d characters.")),
        ],
    )
    parent = HiddenField()


class SuggestionForm(FlaskForm):
    text = StringField(
        _l("Your suggestion"),
        validators=[_required(), Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    why = TextAreaField(
        _l("Why do you suggest it? (you may leave this empty)"),
        validators=[Optional(), Length(max=1000, message=_l("Use at most %(max)d characters."))],
    )
