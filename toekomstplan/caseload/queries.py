"""The caseload's SQL: a fixed number of queries however many plans are shared.

Each query joins the asking person's own shares, so it reads only plans shared with them,
and sums up in the database what would otherwise be thousands of rows (a year of history
per goal). Which of these rows a person may see is decided in services.py, through
`access`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from .. import clock
from ..extensions import db
from ..models import (
    AccessEvent,
    Comment,
    Goal,
    Meeting,
    Membership,
    Plan,
    ProgressEvent,
    Share,
    Step,
    Suggestion,
    SuggestionStatus,
    User,
)

# A share's "new since": the worker's last visit, or when the plan was shared.
SINCE = sa.func.coalesce(Share.last_visit_at, Share.created_at)
PROGRESS_KINDS = ("step_done", "estimate", "rating")  # a step forward


def _of_user(user: User, plan_column) -> sa.ColumnElement[bool]:
    """Join condition: the current share of `user` of the plan in `plan_column` (an ended
    one counts nowhere, as in `shares`)."""
    return sa.and_(
        Share.plan_id == plan_column, Share.user_id == user.id, Share.current(clock.today())
    )


def shares(user: User) -> list[Share]:
    """Every share of `user`, with its plan, the plan's owner, hidden goals and place."""
    return list(
        db.session.scalars(
            sa.select(Share)
            .where(Share.user_id == user.id, Share.current(clock.today()))
            .options(
                joinedload(Share.plan).joinedload(Plan.owner),
                selectinload(Share.hidden_goals),
                selectinload(Share.membership).selectinload(Membership.teams),
            )
        )
    )


def goals(user: User) -> list[sa.Row]:
    """Every goal of the plans shared with `user`, one row each with its steps, its history
    and the reactions by others since the visit summed up by the database: one query for 40
    plans however long their history (plain rows, no ORM objects: some 150 goals)."""
    new = ProgressEvent.at > SINCE
    achieved = sa.and_(ProgressEvent.kind == "status", ProgressEvent.value == "achieved")
    counted = sa.or_(ProgressEvent.kind.in_(PROGRESS_KINDS + ("evidence",)), achieved)

    def number(condition) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((sa.and_(new, condition), 1), else_=0))

    history = (
        sa.select(
            ProgressEvent.goal_id,
            sa.func.max(ProgressEvent.at).label("last_activity"),
            number(ProgressEvent.kind.in_(PROGRESS_KINDS)).label("progress"),
            number(achieved).label("achieved"),
            number(ProgressEvent.kind == "evidence").label("evidence"),
            sa.func.max(sa.case((sa.and_(new, counted), ProgressEvent.at))).label("changed"),
        )
        .join(Goal, Goal.id == ProgressEvent.goal_id)
        .join(Share, _of_user(user, Goal.plan_id))
        .group_by(ProgressEvent.goal_id)
        .subquery()
    )
    steps = (
        sa.select(
            Step.goal_id,
            sa.func.count(Step.id).label("steps"),
            sa.func.sum(sa.cast(Step.done, sa.Integer)).label("done"),
        )
        .join(Goal, Goal.id == Step.goal_id)
        .join(Share, _of_user(user, Goal.plan_id))
        .group_by(Step.goal_id)
        .subquery()
    )
    reactions = (  # by others than this person, since their visit
        sa.select(
            Comment.goal_id,
            sa.func.count().label("comments"),
            sa.func.max(Comment.created_at).label("commented"),
        )
        .join(Goal, Goal.id == Comment.goal_id)
        .join(Share, _of_user(user, Goal.plan_id))
        .where(
            Comment.created_at > SINCE,
            sa.or_(Comment.author_id.is_(None), Comment.author_id != user.id),
        )
        .group_by(Comment.goal_id)
        .subquery()
    )
    return list(
        db.session.execute(
            sa.select(
                Goal.id,
                Goal.plan_id,
                Goal.status,
                Goal.rating,
                Goal.due,
                Goal.estimate,
                steps.c.steps,
                steps.c.done,
                history.c.last_activity,
                history.c.progress,
                history.c.achieved,
                history.c.evidence,
                history.c.changed,
                reactions.c.comments,
                reactions.c.commented,
            )
            .join(Share, _of_user(user, Goal.plan_id))
            .outerjoin(steps, steps.c.goal_id == Goal.id)
            .outerjoin(history, history.c.goal_id == Goal.id)
            .outerjoin(reactions, reactions.c.goal_id == Goal.id)
        )
    )


def decided(user: User) -> list[sa.Row]:
    """(plan, goal or None, how many) of `user`'s suggestions accepted or declined since
    their visit."""
    return list(
        db.session.execute(
            sa.select(Suggestion.plan_id, Suggestion.goal_id, sa.func.count())
            .join(Share, _of_user(user, Suggestion.plan_id))
            .where(
                Suggestion.author_id == user.id,
                Suggestion.status.in_([SuggestionStatus.ACCEPTED, SuggestionStatus.DECLINED]),
                Suggestion.decided_at > SINCE,
            )
            .group_by(Suggestion.plan_id, Suggestion.goal_id)
        )
    )


def meetings(plan_ids: list[int], today: date, days: int) -> list[sa.Row]:
    """(plan, date) of each plan's next care meeting within `days` (never its talking
    points: they stay the young person's)."""
    return list(
        db.session.execute(
            sa.select(Meeting.plan_id, sa.func.min(Meeting.held_on))
            .where(
                Meeting.plan_id.in_(plan_ids),
                Meeting.held_on >= today,
                Meeting.held_on <= today + timedelta(days=days),
            )
            .group_by(Meeting.plan_id)
        )
    )


def ended(user: User, current: list[int]) -> list[tuple[str, datetime]]:
    """(name, when) of plans whose share with `user` ended (the young person stopped, or
    the place did), newest first."""
    rows = db.session.execute(
        sa.select(User.name, sa.func.max(AccessEvent.at))
        .join(Plan, Plan.id == AccessEvent.plan_id)
        .join(User, User.id == Plan.owner_id)
        .where(
            AccessEvent.user_id == user.id,
            AccessEvent.action == "revoked",
            AccessEvent.plan_id.not_in(current or [0]),
        )
        .group_by(AccessEvent.plan_id, User.name)
        .order_by(sa.func.max(AccessEvent.at).desc())
        .limit(20)
    )
    return [(name, at) for name, at in rows]
