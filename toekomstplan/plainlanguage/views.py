"""POST /plain-language/review: hints for a text being typed. It only advises."""

from flask import Blueprint, jsonify, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import limiter
from .review import LANGUAGES, Hint, review, word_count

bp = Blueprint("plainlanguage", __name__, url_prefix="/plain-language")

MAX_TEXT = 10_000


def _level_label(level: str) -> str:
    return {"easy": _("easy"), "ok": _("okay"), "hard": _("hard")}[level]


def _quote(text: str) -> str:
    """Shorten a passive spread over many words to its two ends: ‘wordt … besproken’."""
    words = text.split()
    return text if len(words) <= 3 else f"{words[0]} … {words[-1]}"


def _message(hint: Hint) -> str:
    """Explain one hint in plain words, in the interface language."""
    if hint.kind == "long_sentence":
        count = word_count(hint.text)
        return _("Long sentence (%(count)d words). Can you cut it in two?", count=count)
    if hint.kind == "jargon":
        return _(
            "Difficult word: ‘%(word)s’. Better say: ‘%(plain)s’.",
            word=hint.text,
            plain=hint.suggestion,
        )
    if hint.kind == "passive":
        return _("Passive form: ‘%(words)s’. Say who does it.", words=_quote(hint.text))
    return _("Long word: ‘%(word)s’. Can it be shorter?", word=hint.text)


def _per_person() -> str:
    # Per account, not per address: a whole school may share one address.
    user_id = current_user.get_id()
    return f"user:{user_id}" if user_id else get_remote_address()


@bp.post("/review", endpoint="review")
@limiter.limit("120 per minute", key_func=_per_person)
def review_text():
    if not current_user.is_authenticated:
        return jsonify(error=_("Log in first.")), 401
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        data = {}
    text = data.get("text")
    if not isinstance(text, str):
        return jsonify(error=_("We could not understand this. Please try again.")), 400
    if len(text) > MAX_TEXT:
        message = _(
            "This text is too long to check. Keep it under %(max)d characters.", max=MAX_TEXT
        )
        return jsonify(error=message), 413
    lang = data.get("lang")
    if lang not in LANGUAGES:
        interface = str(get_locale())
        lang = interface if interface in LANGUAGES else "nl"
    result = review(text, lang)
    return jsonify(
        level=result.level,
        label=_level_label(result.level),
        title=_("Language help"),
        more=_("More tips"),
        hints=[_hint_data(h) for h in result.hints],
    )


def _hint_data(hint: Hint) -> dict:
    data = {
        "kind": hint.kind,
        "text": hint.text,
        "start": hint.start,
        "end": hint.end,
        "message": _message(hint),
    }
    if hint.kind == "jargon" and hint.suggestion:
        # The page offers a tap that puts the plain words in the text's place.
        data["plain"] = hint.suggestion
        data["replace"] = _("Use ‘%(plain)s’", plain=hint.suggestion)
    return data
