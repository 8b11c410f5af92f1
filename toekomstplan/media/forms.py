"""Forms for photos and videos."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from ..forms import checkboxes

CAPTION_MAX = 300


class CaptionForm(FlaskForm):
    caption = StringField(
        _l("Caption"),
        validators=[
            Optional(),
            Length(max=CAPTION_MAX, message=_l("Use at most %(max)d characters.")),
        ],
    )


class AttachForm(FlaskForm):
    intro = BooleanField(_l("With my introduction"))
    about = checkboxes(_l("With something about me"), coerce=int)  # items of this plan only
