"""My account: a new password, how news reaches me, and deleting everything."""

from __future__ import annotations

from .. import pagecache
from ..auth import sessions
from ..extensions import db
from ..media import services as media_services
from ..models import User
from ..passwords import hash_password


def change_password(user: User, password: str) -> None:
    """Set a new password and end every other session of this account."""
    user.password_hash = hash_password(password)
    sessions.end_others(user)
    db.session.commit()


def set_notifications(user: User, *, by_mail: bool, daily: bool) -> None:
    """Choose whether new reactions come by mail, one by one or once a day."""
    user.notify_by_mail = by_mail
    user.notify_daily = by_mail and daily
    db.session.commit()


def delete_account(user: User) -> None:
    """Delete an account with its plan and everything in it."""
    plan_id = user.plan.id if user.plan else None
    db.session.delete(user)
    db.session.commit()
    if plan_id is not None:
        pagecache.forget_plan(plan_id)
        media_services.delete_plan_files(plan_id)
