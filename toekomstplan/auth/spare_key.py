"""The spare key: how a young person without e-mail makes a new password.

Someone who registers with a username gets no mail, so a reset link cannot reach them. They
get a spare key instead, shown once to write down or photograph: with their username and that
key they set a new password on the "forgot" page. The key works once: using it makes the next
one, shown in its place. Only its digest is stored; 16 readable symbols are about 79 random
bits, beyond guessing even from a stolen database, so a plain SHA-256 is enough.
"""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from flask import render_template

from .. import conditional
from ..extensions import db
from ..models import User, UserSession
from ..passwords import hash_password
from ..tokens import clean_code, digest, readable_code
from . import services

KEY_LENGTH = 16


def give_new(user: User) -> str:
    """Make a new spare key for `user` (an earlier one stops working) and return it."""
    key = readable_code(KEY_LENGTH)
    user.spare_key_hash = digest(clean_code(key))
    db.session.commit()
    return key


def reset_password(login: str, key: str, password: str) -> tuple[User, str] | None:
    """Set a new password with a username (or address) and spare key; return the account and
    its next key, or None when they do not belong together.

    The key is used in a conditional update, so two requests with one key change it once.
    Every session of the account ends, as with a reset link.
    """
    user = services.find_by_login(login)
    typed = digest(clean_code(key))
    password_hash = hash_password(password)  # always, so a wrong login takes as long
    stored = user.spare_key_hash if user is not None else None
    if user is None or stored is None or not hmac.compare_digest(stored, typed):
        return None
    next_key = readable_code(KEY_LENGTH)
    won = conditional.update_one(
        sa.update(User)
        .where(User.id == user.id, User.spare_key_hash == stored)
        .values(password_hash=password_hash, spare_key_hash=digest(clean_code(next_key)))
    )
    if not won:
        db.session.rollback()
        return None
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    db.session.commit()
    db.session.refresh(user)
    return user, next_key


def page(key: str, next_url: str, *, welcome: bool = False):
    """Show a spare key, once: the response is never stored by the browser or a proxy."""
    html = render_template("auth/spare_key.html", key=key, next_url=next_url, welcome=welcome)
    return html, 200, {"Cache-Control": "no-store"}
