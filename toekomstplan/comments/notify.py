"""Mail about new reactions: one per reaction, or one a day for those who chose that.

Mails say that something new is waiting and link to it; they carry no plan content.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from huey import crontab

from .. import access, jobs, mail
from ..access import Section
from ..extensions import db
from ..jobs import app_context, huey
from ..models import Comment, Goal, Share, ShareRole, User
from ..urls import external_url


def readers(goal: Goal) -> list[User]:
    """Return who takes part in a goal's reactions: the young person and their workers."""
    plan = goal.plan
    workers = db.session.scalars(
        sa.select(User)
        .join(Share, Share.user_id == User.id)
        .where(Share.plan_id == plan.id, Share.role == ShareRole.WORKER)
    ).all()
    people = [plan.owner, *workers]
    return [p for p in people if access.can(p, plan, access.Section.GOALS, goal=goal)]


def mail_now(comment_id: int) -> int:
    """Mail everyone who wants a mail per reaction about this one; return how many."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        return 0
    goal = comment.goal
    plan = goal.plan
    sent = 0
    for person in readers(goal):
        if access.belongs_to(person, comment) or not person.notify_by_mail or person.notify_daily:
            continue
        if not person.email or not person.email_confirmed:
            continue
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            mail.send(
                person.email,
                _("New reaction in the future plan of %(name)s", name=plan.owner.name),
                "new_reaction",
                locale=person.locale,
                person=person.name,
                name=plan.owner.name,
                url=external_url("goals.goal", goal_id=goal.id) + f"#comment-{comment.id}",
            )
        sent += 1
    return sent


@jobs.task()
def mail_now_task(comment_id: int) -> None:
    """Send the per-reaction mails in the background (the reaction is saved already)."""
    with app_context():
        mail_now(comment_id)


def send_digests(now: datetime | None = None) -> int:
    """Send one mail to each supporter who chose a daily mail and has something new."""
    now = now or datetime.now(UTC)
    sent = 0
    people = db.session.scalars(
        sa.select(User).where(User.notify_by_mail.is_(True), User.notify_daily.is_(True))
    ).all()
    for person in people:
        since = person.last_digest_at or person.created_at
        counts = []
        for share in db.session.scalars(sa.select(Share).where(Share.user_id == person.id)):
            plan = share.plan
            if not access.can(person, plan, Section.REACTIONS):
                continue  # a viewer the young person keeps out of the conversation
            goals = access.visible_goals(person, plan, plan.goals)
            new = db.session.scalar(
                sa.select(sa.func.count(Comment.id)).where(
                    Comment.goal_id.in_([g.id for g in goals] or [0]),
                    Comment.created_at > since,
                    sa.or_(Comment.author_id.is_(None), Comment.author_id != person.id),
                )
            )
            if new:
                counts.append((plan.owner.name, new))
        person.last_digest_at = now
        if counts and person.email and person.email_confirmed:
            with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
                mail.send(
                    person.email,
                    _("New reactions today"),
                    "digest",
                    locale=person.locale,
                    person=person.name,
                    counts=counts,
                    url=external_url("plan.start"),
                )
            sent += 1
    db.session.commit()
    return sent


@huey.periodic_task(crontab(hour="7", minute="0"))
def daily_digest() -> None:
    """Every morning at seven: the day's reactions in one mail."""
    with app_context():
        send_digests()
