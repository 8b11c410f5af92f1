"""Shares that end after a last day the young person chose.

From the day after the last day the share is refused like a revoked one (`Share.current`
in access.py's share_of). The sharing job (tasks.py, every five minutes) then ends it for
good and tells both sides once: the young person with a notice on their plan home, the
other person by mail (when they have a confirmed address) and in their caseload ("Sanne
deelt haar plan niet meer met je"). A week before, the young person is told it ends soon
and can extend it with one tap. Every step is a conditional update or delete, so two jobs
at once, or a double tap, do it once.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import access_log, clock, conditional, mail, pagecache
from ..extensions import db
from ..models import Notice, Share
from ..urls import external_url

ENDS_SOON_DAYS = 7
EXTEND_MONTHS = 3
LAST_DAY_MAX_DAYS = 2 * 366  # the furthest last day one can choose
BATCH = 200


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day if it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover: every month has 28 days


def extended_day(share: Share) -> date:
    """The last day after one tap on "extend": three months on from the later of its last
    day and today."""
    today = clock.today()
    longer = add_months(max(share.last_day or today, today), EXTEND_MONTHS)
    return min(longer, today + timedelta(days=LAST_DAY_MAX_DAYS))


def extend(share: Share, seen: date | None) -> bool:
    """Extend by three months, if its last day is still `seen` (what the young person saw
    when they tapped): a double tap extends once. Return whether this request did."""
    if share.last_day is None or seen != share.last_day:
        return False
    new = extended_day(share)
    done = conditional.update_one(
        sa.update(Share)
        .where(Share.id == share.id, Share.last_day == seen)
        .values(last_day=new, warned_at=None)
        .execution_options(synchronize_session=False)
    )
    if done:
        db.session.execute(sa.delete(Notice).where(Notice.share_id == share.id))
        pagecache.plan_changed(share.plan_id)
    db.session.commit()
    if db.session.get(Share, share.id) is not None:  # not ended by the job meanwhile
        db.session.refresh(share)
    return done


def end_passed() -> int:
    """End every share past its last day and tell both sides; return how many ended."""
    today = clock.today()
    ended = 0
    passed = db.session.scalars(
        sa.select(Share).where(Share.last_day < today).order_by(Share.id).limit(BATCH)
    ).all()
    for share in passed:
        plan_id, person, last_day = share.plan_id, share.user, share.last_day
        owner_id = share.plan.owner_id
        gone = db.session.execute(
            sa.delete(Share).where(Share.id == share.id, Share.last_day < today)
        )
        if getattr(gone, "rowcount", 0) != 1:
            db.session.rollback()
            continue  # another job ended it, or the young person extended it just now
        access_log.record(plan_id, person.id, "revoked", "ended")
        db.session.add(Notice(user_id=owner_id, kind="share_ended", person_id=person.id))
        pagecache.plan_changed(plan_id)
        db.session.commit()
        _mail_ended(person, share.plan.owner.name, last_day)
        ended += 1
    return ended


def _mail_ended(person, owner_name: str, last_day: date | None) -> None:
    if not (person.email and person.email_confirmed):
        return
    base = current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base), force_locale(person.locale or "nl"):
        try:
            mail.send(
                person.email,
                _("You can no longer see the future plan of %(name)s", name=owner_name),
                "share_ended",
                locale=person.locale,
                person=person.name,
                name=owner_name,
                last_day=last_day,
                url=external_url("plan.start"),
            )
        except mail.NotSent:  # the share has ended anyway; the caseload says so too
            current_app.logger.warning("could not mail that a share ended")


def warn_soon() -> int:
    """Tell each young person once, a week before, that a share ends soon; return how many."""
    today = clock.today()
    soon = db.session.scalars(
        sa.select(Share)
        .where(
            Share.last_day.between(today, today + timedelta(days=ENDS_SOON_DAYS)),
            Share.warned_at.is_(None),
        )
        .limit(BATCH)
    ).all()
    warned = 0
    for share in soon:
        if conditional.update_one(
            sa.update(Share)
            .where(Share.id == share.id, Share.warned_at.is_(None))
            .values(warned_at=clock.now())
            .execution_options(synchronize_session=False)
        ):
            db.session.add(
                Notice(
                    user_id=share.plan.owner_id,
                    kind="share_ends_soon",
                    person_id=share.user_id,
                    share_id=share.id,
                )
            )
            warned += 1
        db.session.commit()
    return warned
