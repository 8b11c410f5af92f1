"""Forms for reactions and suggestions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

from ..forms import max_length, required
from ..models.comments import COMMENT_MAX, SUGGESTION_TEXT_MAX, SUGGESTION_WHY_MAX


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your reaction"), validators=[required(), max_length(COMMENT_MAX)])
    parent = HiddenField()


class SuggestionForm(FlaskForm):
    text = StringField(
        _l("Your suggestion"), validators=[required(), max_length(SUGGESTION_TEXT_MAX)]
    )
    why = TextAreaField(
        _l("Why do you suggest it? (you may leave this empty)"),
        validators=[Optional(), max_length(SUGGESTION_WHY_MAX)],
    )
