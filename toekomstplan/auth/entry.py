"""How a log-in ends, whichever way it came (password, spare key, reset link, organisation):
straight in, or first the two-step code when the account uses it."""

from flask import redirect, url_for

from ..models import User
from . import sessions


def home_url() -> str:
    return url_for("plan.start")


def finish_login(user: User, target: str | None = None):
    """Log `user` in, or first ask for the code when the account uses two-step login."""
    if user.has_two_step:
        sessions.start_pending(user, target)
        return redirect(url_for("auth.second_step"))
    sessions.start(user)
    return redirect(target or home_url())
