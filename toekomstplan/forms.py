"""Form pieces every area uses: required fields, lengths, a new password."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, Length, ValidationError

from .passwords import MAX_LENGTH, MIN_LENGTH, is_common


def required() -> InputRequired:
    return InputRequired(message=_l("Please fill this in."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters."))


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
