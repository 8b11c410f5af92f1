"""Server-side login sessions: a cookie copied before logout is worth nothing after it."""

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import User, UserSession
from ..tokens import digest, new_token

# Writing last_seen on every request would make every page a write; a minute is precise enough.
TOUCH_INTERVAL = timedelta(seconds=60)
# Between a correct password and the code of two-step login: long enough to find the phone.
PENDING_SECONDS = 5 * 60


def _clear_keeping_locale() -> None:
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def start(user: User) -> None:
    """Log `user` in with a fresh session identity and a server-side session record."""
    token = new_token()
    db.session.add(UserSession(user_id=user.id, token_hash=digest(token)))
    db.session.commit()
    _clear_keeping_locale()
    session["sid"] = token
    session.permanent = True
    login_user(user)


@dataclass
class Pending:
    """A correct password, waiting for the second step; not logged in yet."""

    user: User
    target: str | None


def start_pending(user: User, target: str | None) -> None:
    """Remember for a few minutes that `user` gave the right password; no session yet."""
    _clear_keeping_locale()
    session["two_step"] = {
        "user_id": user.id,
        "until": int(time.time()) + PENDING_SECONDS,
        "next": target,
    }


def pending() -> Pending | None:
    """Return the login waiting for its second step, or None if there is none or it expired."""
    state = session.get("two_step")
    if not state:
        return None
    user = db.session.get(User, state["user_id"]) if state["until"] > time.time() else None
    if user is None or not user.has_two_step:
        session.pop("two_step")
        return None
    return Pending(user=user, target=state["next"])


# One query for the session, its user and the user's own plan (most pages need all three),
# built once: it runs on every request.
_LIVE_SESSION = (
    sa.select(UserSession)
    .join(UserSession.user)
    .outerjoin(User.plan)
    .options(contains_eager(UserSession.user).contains_eager(User.plan))
    .where(
        UserSession.token_hash == sa.bindparam("token_hash"),
        User.id == sa.bindparam("user_id"),
    )
)


def load(user_id: str) -> User | None:
    """Return the user of this request's session if it is still live, else None."""
    token = session.get("sid")
    if not token or not user_id.isdigit():
        return None
    record = db.session.scalar(
        _LIVE_SESSION, {"token_hash": digest(token), "user_id": int(user_id)}
    )
    if record is None:
        return None
    user = record.user
    now = datetime.now(UTC)
    cfg = current_app.config
    if now - record.last_seen_at > timedelta(
        minutes=cfg["SESSION_IDLE_MINUTES"]
    ) or now - record.created_at > timedelta(hours=cfg["SESSION_MAX_HOURS"]):
        db.session.delete(record)
        db.session.commit()
        return None
    if now - record.last_seen_at > TOUCH_INTERVAL:
        record.last_seen_at = now
        db.session.commit()
    return user


def end() -> None:
    """Log out: delete the server-side record so the old cookie no longer works."""
    token = session.get("sid")
    if token:
        db.session.execute(sa.delete(UserSession).where(UserSession.token_hash == digest(token)))
        db.session.commit()
    logout_user()
    _clear_keeping_locale()


def end_all(user: User) -> None:
    """End every session of `user`, in the caller's transaction: their next request is
    logged out (a member whose place ended)."""
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))


def end_others(user: User) -> None:
    """End every session of `user` except the current one (after a password change)."""
    token = session.get("sid") or ""
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.token_hash != digest(token)
        )
    )
