"""Forms for goals and steps."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import HiddenInput

from ..forms import max_length, required
from ..models.goals import GOAL_HELPERS_MAX, GOAL_TITLE_MAX, GOAL_WHY_MAX, STEP_TEXT_MAX
from . import inspiration
from .services import STEPS_MAX


def _steps_short_enough(form, field):
    for line in (field.data or "").splitlines():
        if len(line.strip()) > STEP_TEXT_MAX:
            raise ValidationError(_l("A step has at most %(max)d characters.", max=STEP_TEXT_MAX))


class GoalForm(FlaskForm):
    title = StringField(_l("What do I want?"), validators=[required(), max_length(GOAL_TITLE_MAX)])
    why = TextAreaField(
        _l("Why does it matter to me?"), validators=[Optional(), max_length(GOAL_WHY_MAX)]
    )
    helpers = StringField(
        _l("Who helps me?"), validators=[Optional(), max_length(GOAL_HELPERS_MAX)]
    )
    due = DateField(
        _l("When do I want it done? (you may leave this empty)"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )


class NewGoalForm(GoalForm):
    steps = TextAreaField(
        _l("Steps: what do I do first, and then?"),
        validators=[Optional(), max_length(STEP_TEXT_MAX * STEPS_MAX), _steps_short_enough],
    )
    card = HiddenField()

    @classmethod
    def from_card(cls, card: dict | None) -> "NewGoalForm":
        """Return the form, filled in from an inspiration card on first view."""
        if card is None:
            return cls()
        return cls(
            data={
                "title": card["title"],
                "why": card["why"],
                "helpers": card["helpers"],
                "steps": "\n".join(card["steps"]),
                "card": card["key"],
            }
        )

    def step_texts(self) -> list[str]:
        return (self.steps.data or "").splitlines()

    def card_key(self) -> str | None:
        """Return the inspiration card the goal came from, if it is one of ours."""
        key = self.card.data or ""
        return key if inspiration.card(key, "nl") else None


class EditGoalForm(GoalForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class StepForm(FlaskForm):
    text = StringField(_l("New step"), validators=[required(), max_length(STEP_TEXT_MAX)])
