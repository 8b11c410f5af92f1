"""The form for a meeting version of the PDF, and for recording a meeting."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, StringField
from wtforms.validators import Length, Optional

from ..forms import checkboxes
from . import meetings

SECTION_LABELS = {
    "intro": _l("Introduction"),
    "about": _l("About me"),
    "goals": _l("Goals"),
    "media": _l("Other photos and videos"),
}


def _point(number: int) -> StringField:
    return StringField(
        _l("Talking point %(num)d", num=number),
        validators=[
            Optional(),
            Length(
                max=meetings.TALKING_POINT_LENGTH,
                message=_l("Use at most %(max)d characters."),
            ),
        ],
    )


class MeetingForm(FlaskForm):
    """Choices for the meeting version; the young person also records the meeting with it."""

    held_on = DateField(_l("Date of the meeting"), validators=[Optional()])
    point_1 = _point(1)
    point_2 = _point(2)
    point_3 = _point(3)
    sections = checkboxes(_l("What goes in?"))
    goals = checkboxes(_l("Which goals?"), coerce=int)
    comments = RadioField(
        _l("Reactions"),
        choices=[
            SelectChoice("none", _l("No reactions")),
            SelectChoice("recent", _l("Reactions of the last 30 days")),
            SelectChoice("since", _l("Reactions since a date")),
        ],
        default="recent",
    )
    since = DateField(_l("Since which date?"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not an inline validator: Optional() ends the date's chain when it is empty.
        if self.comments.data == "since" and self.since.data is None and not self.since.errors:
            self.since.errors = [_l("Choose a date.")]
            return False
        return valid

    def points(self) -> list[str | None]:
        return [self.point_1.data, self.point_2.data, self.point_3.data]

    def sent_choices(self) -> bool:
        """Say whether the choices were sent (the page's form always sends "comments")."""
        return bool(self.comments.raw_data)

    def choices(self) -> meetings.Choices:
        return meetings.Choices(
            sections=frozenset(self.sections.data or []),
            goal_ids=frozenset(self.goals.data or []),
            comments=self.comments.data,
            since=self.since.data,
        )
