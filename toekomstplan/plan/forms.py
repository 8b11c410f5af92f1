"""Forms for the cover, the introduction and "about me"."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..models import AboutKind
from . import themes

INTRO_MAX = 5000
ABOUT_TEXT_MAX = 200


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Use at most %(max)d characters."))


def _required() -> InputRequired:
    return InputRequired(message=_l("Please fill this in."))


# WTForms 3.3 deprecates choices given as tuples.
ABOUT_KINDS = [
    SelectChoice(AboutKind.QUALITY.value, _l("Good quality")),
    SelectChoice(AboutKind.TALENT.value, _l("Talent")),
    SelectChoice(AboutKind.HOBBY.value, _l("Hobby")),
]


class CoverForm(FlaskForm):
    title = StringField(_l("Title"), validators=[_required(), _max(80)])
    subtitle = StringField(_l("Subtitle"), validators=[Optional(), _max(140)])
    theme = RadioField(
        _l("Colours"),
        choices=[SelectChoice(k, t.label) for k, t in themes.THEMES.items()]
        + [SelectChoice(themes.CUSTOM, _l("My own colour"))],
        validators=[_required()],
    )
    color = StringField(
        _l("My own colour"),
        validators=[
            Optional(),
            Regexp(themes.HEX.pattern, message=_l("Choose a colour with the colour picker.")),
        ],
    )
    layout = RadioField(
        _l("Layout"),
        choices=[SelectChoice(k, label) for k, label in themes.LAYOUTS.items()],
        validators=[_required()],
    )

    photo = RadioField(_l("Photo or drawing"), validators=[Optional()])
    focus = RadioField(
        _l("Which part of the photo?"),
        choices=[
            SelectChoice("top", _l("Top")),
            SelectChoice("center", _l("Middle")),
            SelectChoice("bottom", _l("Bottom")),
        ],
        default="center",
        validators=[Optional()],
    )


class IntroForm(FlaskForm):
    text = TextAreaField(_l("My introduction"), validators=[Optional(), _max(INTRO_MAX)])


class AboutItemForm(FlaskForm):
    kind = RadioField(_l("What is it?"), choices=ABOUT_KINDS, validators=[_required()])
    text = StringField(_l("In a few words"), validators=[_required(), _max(ABOUT_TEXT_MAX)])
