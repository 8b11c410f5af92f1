"""Form pieces every area uses: required fields, lengths, a new password, the first error."""

from flask import flash
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .passwords import MAX_LENGTH, MIN_LENGTH, is_common


def required() -> InputRequired:
    return InputRequired(message=_l("Please fill this in."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters."))


def checkboxes(label, **kwargs) -> SelectMultipleField:
    """A list of check boxes; any choice is taken, so the service must keep only its own rows."""
    return SelectMultipleField(
        label,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
        validate_choice=False,
        **kwargs,
    )


def check_new_password(form, field) -> None:
    """Refuse short, overlong and common passwords with a message that helps."""
    value = field.data or ""
    if len(value) < MIN_LENGTH:
        raise ValidationError(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(value) > MAX_LENGTH:
        raise ValidationError(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    if is_common(value):
        raise ValidationError(
            _l("Many people use this password, so it is easy to guess. Choose another one.")
        )


def posted(form) -> bool:
    """Validate a small form posted from another page; when it is wrong, flash why.

    The view then redirects back to that page, where the flash says what to change.
    """
    if form.validate_on_submit():
        return True
    flash(next(iter(form.errors.values()))[0], "error")
    return False
