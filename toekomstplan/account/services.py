"""My account: a new password, how news reaches me, and deleting everything."""

from __future__ import annotations

import sqlalchemy as sa

from .. import database, jobs, mail, pagecache
from ..auth import sessions
from ..extensions import db
from ..media import services as media_services
from ..models import Invite, MembershipInvite, User
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
    """Delete an account with its plan and everything in it, and erase what else named them:
    invitations sent to their address (to plans and to organisations; their memberships go
    with the account, an organisation's audit log keeps only ids), jobs of their photos and
    videos, the dev outbox's mails, and the database's own leftovers of the deleted rows."""
    plan = user.plan
    plan_id = plan.id if plan else None
    media_ids = [m.id for m in plan.media] if plan else []
    needles = [n for n in (user.email, user.username, user.name) if n]
    if user.email:
        db.session.execute(sa.delete(Invite).where(Invite.email == user.email))
        db.session.execute(sa.delete(MembershipInvite).where(MembershipInvite.email == user.email))
    db.session.delete(user)
    db.session.commit()
    jobs.forget(media_ids)
    mail.forget(needles + media_ids)
    database.flush_deleted()
    if plan_id is not None:
        pagecache.forget_plan(plan_id)
        media_services.delete_plan_files(plan_id)
