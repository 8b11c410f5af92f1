"""A stand-in during leave: a worker asks once for a colleague to stand in until a date.

The colleague must be an active member of the same organisation. Each young person who
shares with the worker through that organisation gets their own question, in plain words,
and decides: a yes is an ordinary share for the colleague that ends after the date
(sharing/ending.py), with at most the sections the worker has. A question expires with the
date, and dies when either worker's place ends. Answering is a conditional update: a
double tap, or two tabs, answer once.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from .. import access, access_log, clock, conditional, pagecache
from ..extensions import db
from ..models import (
    AskStatus,
    HiddenGoal,
    Membership,
    Plan,
    Share,
    ShareRole,
    StandIn,
    StandInAsk,
    User,
)

LEAVE_MAX_DAYS = 366


class NotPossible(Exception):
    """A stand-in that cannot be: `reason` is "colleague", "date" or "nobody"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def colleagues(place: Membership) -> list[Membership]:
    """The active members of the worker's organisation who could stand in, by name."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.organisation_id == place.organisation_id,
                Membership.active.is_(True),
                Membership.id != place.id,
            )
            .order_by(User.name)
        )
    )


def shared_through(place: Membership) -> list[int]:
    """The plans shared with the worker through this place, as a worker, now."""
    return list(
        db.session.scalars(
            sa.select(Share.plan_id).where(
                Share.membership_id == place.id,
                Share.current(clock.today()),
                Share.role == ShareRole.WORKER,
            )
        )
    )


def ask(place: Membership, colleague_place_id: int | None, until) -> int:
    """Ask every young person who shares through `place` whether the colleague may stand in
    until `until`; return how many were asked."""
    colleague = next((c for c in colleagues(place) if c.id == colleague_place_id), None)
    if colleague is None:
        raise NotPossible("colleague")
    today = clock.today()
    if until is None or until < today or until > today + timedelta(days=LEAVE_MAX_DAYS):
        raise NotPossible("date")
    plans = shared_through(place)
    if not plans:
        raise NotPossible("nobody")
    stand_in = StandIn(worker_place_id=place.id, colleague_place_id=colleague.id, until=until)
    stand_in.asks = [StandInAsk(plan_id=plan_id) for plan_id in plans]
    db.session.add(stand_in)
    db.session.commit()
    return len(plans)


def _open():
    """SQL: a question still open: not answered, its date not passed, both places active,
    and the worker still shares the plan (the stand-in gets at most what they see)."""
    worker = sa.orm.aliased(Membership)
    colleague = sa.orm.aliased(Membership)
    still_sharing = (
        sa.select(Membership.id)
        .join(Share, Share.user_id == Membership.user_id)
        .where(
            Share.plan_id == StandInAsk.plan_id,
            Share.current(clock.today()),
            Share.role == ShareRole.WORKER,
        )
    )
    return (
        sa.select(StandInAsk)
        .join(StandIn, StandIn.id == StandInAsk.stand_in_id)
        .join(worker, worker.id == StandIn.worker_place_id)
        .join(colleague, colleague.id == StandIn.colleague_place_id)
        .where(
            StandInAsk.status == AskStatus.PENDING,
            StandIn.until >= clock.today(),
            worker.active.is_(True),
            colleague.active.is_(True),
            StandIn.worker_place_id.in_(still_sharing),
        )
    )


def open_asks(plan: Plan) -> list[StandInAsk]:
    """The young person's open questions, oldest first."""
    return list(
        db.session.scalars(_open().where(StandInAsk.plan_id == plan.id).order_by(StandInAsk.id))
    )


def is_open(ask: StandInAsk) -> bool:
    return db.session.scalar(_open().where(StandInAsk.id == ask.id)) is not None


def answer(ask: StandInAsk, yes: bool) -> bool:
    """Record the young person's answer, once; a yes makes the colleague's share. Return
    False when the question was not open any more (answered, expired, a place ended)."""
    if not is_open(ask):
        return False
    status = AskStatus.ACCEPTED if yes else AskStatus.DECLINED
    if not conditional.update_one(
        sa.update(StandInAsk)
        .where(StandInAsk.id == ask.id, StandInAsk.status == AskStatus.PENDING)
        .values(status=status, decided_at=clock.now())
        .execution_options(synchronize_session=False)
    ):
        db.session.rollback()
        return False
    if yes:
        _share_with_colleague(ask)
    db.session.commit()
    return True


def _share_with_colleague(ask: StandInAsk) -> None:
    stand_in = ask.stand_in
    worker = access.share_of(stand_in.worker, ask.plan)
    colleague_id = stand_in.colleague_place.user_id
    if worker is None or worker.role != ShareRole.WORKER:
        return  # the worker went or looks along only now: the colleague gets nothing
    existing = db.session.scalar(
        sa.select(Share).where(Share.plan_id == ask.plan_id, Share.user_id == colleague_id)
    )
    if existing is not None:
        if existing.last_day is None or existing.last_day >= clock.today():
            return  # they share already: that share stays as the young person set it
        db.session.delete(existing)  # ended, not yet cleared by the sharing job
        db.session.flush()
    share = Share(
        plan_id=ask.plan_id,
        user_id=colleague_id,
        role=ShareRole.WORKER,
        label="",
        membership_id=stand_in.colleague_place_id,
        last_day=stand_in.until,
        # At most what the worker sees.
        sees_intro=worker.sees_intro,
        sees_about=worker.sees_about,
        sees_media=worker.sees_media,
        sees_reactions=worker.sees_reactions,
        hidden_goals=[HiddenGoal(goal_id=g) for g in sorted(worker.hidden_goal_ids)],
    )
    db.session.add(share)
    access_log.record(ask.plan_id, colleague_id, "joined", "stand_in")
    pagecache.plan_changed(ask.plan_id)
