"""One-time form tokens: a form that creates something makes it once.

A double tap, or a phone that sends a form again after a weak connection, would otherwise
make two goals, two reactions, two uploads. Every such form carries a fresh random token
(`once_field()` in the template); the view is wrapped in `@creates`, which claims the token
in the request's own transaction, before anything is made:

- the first request inserts (user, token) and goes on; what it makes is committed with it;
- a second request with that token meets the unique key (on PostgreSQL it waits for the
  first to finish, on SQLite for its write lock) and is sent where the first one went, with
  "this is saved already", and makes nothing;
- a request that made nothing (a form error, a refusal) leaves no claim, so its form,
  corrected, can be sent again.

Forms posted from an old page without a token still work, without this guard. Claims are
kept a day (the housekeeping job deletes older ones).
"""

from __future__ import annotations

import re
import secrets
from functools import wraps

import sqlalchemy as sa
from flask import current_app, flash, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .extensions import db
from .models import FormUse

FIELD = "once"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,32}")
HOLE = Markup("<!--once-hole-->")  # in a cached page: a fresh token per form, per response


def new_token() -> str:
    return secrets.token_urlsafe(16)  # 22 characters


def field() -> Markup:
    """The hidden input of a form that creates something (a hole while rendering for cache)."""
    value = HOLE if g.get("_punch_holes") else new_token()
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, value)


def fill(html: str) -> str:
    """Give every form of a cached page its own fresh token."""
    first, *rest = html.split(HOLE)
    return first + "".join(new_token() + part for part in rest)


class _AlreadyDone(Exception):
    def __init__(self, url: str | None):
        self.url = url


def _claim(user) -> str | None:
    token = request.form.get(FIELD, "")
    if not user.is_authenticated or not _TOKEN.fullmatch(token):
        return None
    db.session.add(FormUse(token=token, user_id=user.id))
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        first = db.session.get(FormUse, (user.id, token))
        raise _AlreadyDone(first.done_url if first else None) from None
    return token


def made(url: str) -> None:
    """Say that this request made something, to be seen at `url`: for a view that answers
    with a page (200) instead of a redirect, such as the one new invitation link."""
    g.once_made = url


def _where_it_went(response) -> str | None:
    if "once_made" in g:
        return g.once_made
    if response.status_code in (301, 302, 303):
        return response.location
    if response.status_code == 201 and response.is_json:
        data = response.get_json(silent=True) or {}
        return data.get("location") or data.get("url")
    return None


def _record(user, token: str, response) -> None:
    went = _where_it_went(response)
    db.session.rollback()  # whatever the view left open; what it made is committed
    claim = sa.and_(FormUse.user_id == user.id, FormUse.token == token)
    if went is None:  # nothing was made: the form may be sent again
        db.session.execute(sa.delete(FormUse).where(claim))
    else:
        db.session.execute(sa.update(FormUse).where(claim).values(done_url=went[:300]))
    db.session.commit()


def creates(view):
    """Make a POST view that creates something run once per form token."""

    @wraps(view)
    def once_only(*args, **kwargs):
        if request.method != "POST":
            return view(*args, **kwargs)
        user = current_user._get_current_object()
        try:
            token = _claim(user)
        except _AlreadyDone as done:
            message = _("This was saved already.")
            if request.accept_mimetypes.best == "application/json":
                return jsonify(error=message, location=done.url), 409
            flash(message, "success")
            return redirect(done.url or request.referrer or url_for("plan.start"))
        response = view(*args, **kwargs)
        if token is not None:
            response = current_app.make_response(response)
            _record(user, token, response)
        return response

    return once_only
