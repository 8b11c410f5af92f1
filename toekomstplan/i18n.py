"""Which language a page is shown in."""

from flask import current_app, request, session
from flask_login import current_user


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
