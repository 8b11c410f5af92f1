"""Friendly error pages: what went wrong and what to do now."""

import errno
import math
import time

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from .extensions import db, limiter
from .http import wants_json
from .storage import Unavailable


def _page(title: str, message: str, code: int):
    return render_template("errors/error.html", title=title, message=message, code=code), code


def csrf_error(error: CSRFError):
    return _page(
        _("This page was open too long"),
        _("For your safety we did not save this. Go back, reload the page and try again."),
        400,
    )


def too_many(error):
    limit = limiter.current_limit
    # `reset_at` is rounded up by a second, which made a 15-minute wait read as 16 minutes.
    reset_at = limit.window.reset_time if limit else time.time() + 60
    minutes = max(1, math.ceil((reset_at - time.time()) / 60))
    response = _page(
        _("Please wait a moment"),
        ngettext(
            "You tried many times. Try again in %(num)d minute. "
            "Forgot your password? Ask for a new one.",
            "You tried many times. Try again in %(num)d minutes. "
            "Forgot your password? Ask for a new one.",
            minutes,
        ),
        429,
    )
    return response


def too_large(error):
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    setting = getattr(view, "upload_limit", None)
    if setting:
        mb = current_app.config[setting] // (1024 * 1024)
        message = _("This file is too big: at most %(mb)d MB.", mb=mb)
    else:
        message = _("What you sent is too big. Make it shorter.")
    if wants_json():
        return jsonify(error=message), 413
    return _page(_("This is too big"), message, 413)


def http_error(error: HTTPException):
    if isinstance(error, SecurityError):
        # An untrusted Host header: no URL can be built, so the page template would fail.
        return _("Something is not right"), 400, {"Content-Type": "text/plain; charset=utf-8"}
    messages = {
        400: (_("Something is not right"), _("We could not understand this. Please try again.")),
        404: (
            _("We cannot find this page"),
            _("Maybe the link is old, or this page is not for you."),
        ),
        405: (_("This does not work"), _("Go back and use the buttons on the page.")),
        413: (_("This is too big"), _("What you sent is too big. Make it shorter.")),
    }
    code = error.code or 500
    title, message = messages.get(code, (_("Something went wrong"), _("Please try again later.")))
    # The error's own headers stay: Allow on a 405, Content-Range: bytes */size on a 416.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return *_page(title, message, code), headers


# The page when even the friendly page cannot be made (the database is gone, say): nothing
# in it needs the database, a template or the session.
FALLBACK_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Er ging iets mis</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem">
<h1>Er ging bij ons iets mis</h1>
<p>Sorry! Er is niets van jou kwijt. Probeer het zo nog eens.</p>
<p lang="en">Something went wrong on our side. Nothing of yours is lost. Please try again
in a moment.</p>
<p><a href="/">Naar de start</a></p>
</body></html>
"""


def disk_full(error: OSError):
    """A full disk while a request is received or saved: say so, and tell the operator.
    The object store not answering: nothing was saved, and it may work in a moment."""
    if isinstance(error, Unavailable):
        return store_down(error)
    if error.errno != errno.ENOSPC:
        raise error
    db.session.rollback()
    current_app.logger.error("The disk is full: %s %s was refused", request.method, request.path)
    message = _("There is no room to save this right now. Try again later.")
    if wants_json():
        return jsonify(error=message), 507
    return _page(_("There is no room right now"), message, 507)


def store_down(error: Unavailable):
    db.session.rollback()
    current_app.logger.error("storage unavailable: %s %s: %s", request.method, request.path, error)
    message = _("Saving does not work for a moment. Nothing is lost: try again soon.")
    headers = {"Retry-After": "10"}
    if wants_json():
        return jsonify(error=message), 503, headers
    return *_page(_("Please try again soon"), message, 503), headers


def server_error(error):
    """The friendly 500 page, which itself never fails.

    The request's transaction may be broken (a failed flush): it is rolled back first, so
    the page (the menu reads the account) can use the database again.
    """
    try:
        db.session.rollback()
        return _page(
            _("Something went wrong on our side"),
            _("Sorry! Nothing of yours is lost. Please try again in a moment."),
            500,
        )
    except Exception:
        current_app.logger.exception("The error page could not be made; sent the plain one")
        return FALLBACK_PAGE, 500, {"Content-Type": "text/html; charset=utf-8"}


def register(app: Flask) -> None:
    """Attach the handlers to the app."""
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(429, too_many)
    app.register_error_handler(413, too_large)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(OSError, disk_full)
    app.register_error_handler(500, server_error)
