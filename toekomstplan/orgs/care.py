"""End of care: a worker marks the help through their organisation as finished.

The young person is told and chooses: keep the plan as their own, download it, or delete
it. The organisation's shares of the plan end 30 days later (their last day, see
sharing/ending.py) unless the young person renews them. Nothing of the plan is deleted by
the organisation. Marking twice (a double tap, a colleague at the same time) tells the
young person once.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from .. import clock, pagecache
from ..extensions import db
from ..media import inflight
from ..models import Membership, Notice, Plan, Share, User
from .services import audit

GRACE_DAYS = 30


def _shares_through(plan_id: int, organisation_id: int):
    return sa.select(Share.id).where(
        Share.plan_id == plan_id,
        Share.membership_id.in_(
            sa.select(Membership.id).where(Membership.organisation_id == organisation_id)
        ),
    )


def end_care(plan: Plan, place: Membership, actor: User) -> bool:
    """Mark the help finished; return False when it was marked already (not renewed since)."""
    org_id = place.organisation_id
    inflight.lock_plan(plan.id)  # two workers at once: the second sees the first's notice
    told = db.session.scalar(
        sa.select(Notice.id)
        .join(Plan, Plan.owner_id == Notice.user_id)
        .where(
            Plan.id == plan.id,
            Notice.kind == "care_ended",
            Notice.organisation_id == org_id,
            Notice.seen_at.is_(None),
        )
    )
    if told:
        db.session.rollback()
        return False
    last_day = clock.today() + timedelta(days=GRACE_DAYS)
    db.session.execute(
        sa.update(Share)
        .where(
            Share.id.in_(_shares_through(plan.id, org_id)),
            sa.or_(Share.last_day.is_(None), Share.last_day > last_day),
        )
        .values(last_day=last_day, warned_at=clock.now())  # this notice is the warning
        .execution_options(synchronize_session=False)
    )
    db.session.add(
        Notice(user_id=plan.owner_id, kind="care_ended", person_id=actor.id, organisation_id=org_id)
    )
    audit(org_id, "care_ended", actor_id=actor.id, plan_id=plan.id)
    pagecache.plan_changed(plan.id)
    db.session.commit()
    return True


def renew(notice: Notice) -> int:
    """The young person keeps sharing with the organisation: its shares of their plan end
    no more. Return how many shares were renewed."""
    plan = db.session.scalar(
        sa.select(Plan).join(Notice, Notice.user_id == Plan.owner_id).where(Notice.id == notice.id)
    )
    renewed = 0
    if plan is not None and notice.organisation_id is not None:
        # Only the last day end_care set: a stand-in's own end, or an earlier day the
        # young person chose, stays.
        ended_on = clock.local(notice.created_at).date() + timedelta(days=GRACE_DAYS)
        result = db.session.execute(
            sa.update(Share)
            .where(
                Share.id.in_(_shares_through(plan.id, notice.organisation_id)),
                Share.last_day == ended_on,
            )
            .values(last_day=None, warned_at=None)
            .execution_options(synchronize_session=False)
        )
        renewed = getattr(result, "rowcount", 0)
        pagecache.plan_changed(plan.id)
    notice.seen_at = clock.now()
    db.session.commit()
    return renewed
