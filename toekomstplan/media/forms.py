"""Forms for photos and videos."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

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
    about = SelectMultipleField(
        _l("With something about me"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # the service keeps only items of this plan
    )
