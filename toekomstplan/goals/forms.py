"""Forms for goals and steps."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

TITLE_MAX = 120
WHY_MAX = 1000
HELPERS_MAX = 200
STEP_MAX = 200


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Use at most %(max)d characters."))


def _required() -> InputRequired:
    return InputRequired(message=_l("Please fill this in."))


def _steps_short_enough(form, field):
    for line in (field.data or "").splitlines():
        if len(line.strip()) > STEP_MAX:
            raise ValidationError(_l("A step has at most %(max)d characters.", max=STEP_MAX))


class GoalForm(FlaskForm):
    title = StringField(_l("What do I want?"), validators=[_required(), _max(TITLE_MAX)])
    why = TextAreaField(_l("Why does it matter to me?"), validators=[Optional(), _max(WHY_MAX)])
    helpers = StringField(_l("Who helps me?"), validators=[Optional(), _max(HELPERS_MAX)])
    due = DateField(
        _l("When do I want it done? (you may leave this empty)"),
        validators=[Optional()],
        render_kw={"type": "date"},
    )


class NewGoalForm(GoalForm):
    steps = TextAreaField(
        _l("Steps: what do I do first, and then?"),
        validators=[Optional(), _max(STEP_MAX * 20), _steps_short_enough],
    )
    card = HiddenField()


class EditGoalForm(GoalForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class StepForm(FlaskForm):
    text = StringField(_l("New step"), validators=[_required(), _max(STEP_MAX)])
