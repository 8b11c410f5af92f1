"""Forms for the cover, the introduction and "about me"."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Optional, Regexp

from ..forms import max_length, required
from ..models import AboutKind, Media, Plan
from ..models.plan import ABOUT_TEXT_MAX, COVER_SUBTITLE_MAX, COVER_TITLE_MAX, INTRO_MAX
from . import themes

DEFAULT_OWN_COLOUR = "#5b8def"


# WTForms 3.3 deprecates choices given as tuples.
ABOUT_KINDS = [
    SelectChoice(AboutKind.QUALITY.value, _l("Good quality")),
    SelectChoice(AboutKind.TALENT.value, _l("Talent")),
    SelectChoice(AboutKind.HOBBY.value, _l("Hobby")),
]


class CoverForm(FlaskForm):
    title = StringField(_l("Title"), validators=[required(), max_length(COVER_TITLE_MAX)])
    subtitle = StringField(_l("Subtitle"), validators=[Optional(), max_length(COVER_SUBTITLE_MAX)])
    theme = RadioField(
        _l("Colours"),
        choices=[SelectChoice(k, t.label) for k, t in themes.THEMES.items()]
        + [SelectChoice(themes.CUSTOM, _l("My own colour"))],
        validators=[required()],
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
        validators=[required()],
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

    @classmethod
    def for_plan(cls, plan: Plan, photos: list[Media], cover: Media | None) -> "CoverForm":
        """Return the form with the plan's cover filled in, and its photos to choose from."""
        form = cls(
            data={
                "title": plan.cover_title,
                "subtitle": plan.cover_subtitle,
                "theme": plan.cover_theme,
                "color": plan.cover_color or DEFAULT_OWN_COLOUR,
                "layout": plan.cover_layout,
                "photo": cover.id if cover else "",
                "focus": plan.cover_photo_focus,
            }
        )
        return form.with_photos(photos)

    def with_photos(self, photos: list[Media]) -> "CoverForm":
        """Offer these photos (and no photo) for the cover."""
        self.photo.choices = [SelectChoice("", _l("No photo"))] + [
            SelectChoice(m.id, m.caption or m.label or _l("Photo")) for m in photos
        ]
        return self


class IntroForm(FlaskForm):
    text = TextAreaField(_l("My introduction"), validators=[Optional(), max_length(INTRO_MAX)])


class AboutItemForm(FlaskForm):
    kind = RadioField(_l("What is it?"), choices=ABOUT_KINDS, validators=[required()])
    text = StringField(_l("In a few words"), validators=[required(), max_length(ABOUT_TEXT_MAX)])
