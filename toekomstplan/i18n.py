"""The interface language: which one a page is shown in, and the switch in every footer."""

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import refresh
from flask_login import current_user

from .extensions import db
from .urls import safe_next

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Use the account's choice, then the visitor's choice, then the browser, then Dutch."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def remember_locale(user, lang: str) -> None:
    """Keep an account's language, so every device of theirs shows it."""
    user.locale = lang
    db.session.commit()


@bp.post("/language")
def switch_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated:
            remember_locale(current_user, lang)
        refresh()
    return redirect(safe_next(request.form.get("next")) or url_for("plan.start"))
