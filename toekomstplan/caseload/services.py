"""A supporter's caseload: every plan shared with them, and who needs attention today.

Built from a fixed number of queries however many plans are shared (a worker has 20 to 30
young people, some 40): the shares with their plans, hidden goals and places, then the
goals, steps, progress, reactions and suggestions of all those plans at once. Every figure
is counted over the goals `access` lets this person see: a goal hidden from them never
shows up in a count, a signal or a progress figure.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from .. import access
from ..access import Section
from ..access import caseload as caseload_access
from ..extensions import db
from ..models import (
    AccessEvent,
    Comment,
    Goal,
    GoalStatus,
    Meeting,
    Membership,
    Plan,
    ProgressEvent,
    Rating,
    Share,
    Step,
    Suggestion,
    SuggestionStatus,
    User,
)
from ..plan import themes

QUIET_DAYS = 30  # no activity for a month
SOON_DAYS = 14  # a goal's date coming up


class Signal(enum.StrEnum):
    NOT_YET = "not_yet"  # a goal rated "gaat nog niet"
    REACTION = "reaction"  # a reaction or reply by someone else since the last visit
    SUGGESTION = "suggestion"  # a suggestion of theirs was accepted or declined
    DUE = "due"  # a goal's date is coming up (or just passed)
    MEETING = "meeting"  # a care meeting the young person recorded is coming up
    QUIET = "quiet"  # no activity for a month


# How much each signal weighs in "needs attention".
WEIGHT = {
    Signal.NOT_YET: 8,
    Signal.REACTION: 4,
    Signal.DUE: 3,
    Signal.MEETING: 3,
    Signal.SUGGESTION: 2,
    Signal.QUIET: 1,
}


@dataclass
class Row:
    share: Share
    plan: Plan
    colour: str  # the cover's colour
    overall: int = 0  # progress over the goals this person sees, 0-100
    goals: int = 0
    progress: int = 0  # steps and ratings since the last visit
    achieved: int = 0
    evidence: int = 0
    comments: int = 0  # reactions by others since the last visit
    decided: int = 0  # their suggestions accepted or declined since the last visit
    last_change: datetime | None = None  # the newest change since the last visit
    last_activity: datetime | None = None
    signals: list[Signal] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    meeting: date | None = None  # the next care meeting, when it is soon

    @property
    def changes(self) -> int:
        return self.progress + self.achieved + self.evidence + self.comments

    @property
    def attention(self) -> int:
        return sum(WEIGHT[signal] for signal in self.signals)

    @property
    def name(self) -> str:
        return self.plan.owner.name


@dataclass(frozen=True)
class Ended:
    """A plan that was shared with this person and is not any more."""

    name: str
    at: datetime


@dataclass
class Caseload:
    rows: list[Row]
    ended: list[Ended]
    teams: list[str]  # the teams the plans came through, for the filter


def _shares(user: User) -> list[Share]:
    return list(
        db.session.scalars(
            sa.select(Share)
            .where(Share.user_id == user.id)
            .options(
                joinedload(Share.plan).joinedload(Plan.owner),
                selectinload(Share.hidden_goals),
                selectinload(Share.membership).selectinload(Membership.teams),
            )
        )
    )


def _since(share: Share) -> datetime:
    return share.last_visit_at or share.created_at


def caseload_for(user: User) -> Caseload:
    """Every plan shared with `user`, with its figures and signals."""
    shares = _shares(user)
    caseload_access.remember(user, shares)  # the access checks below need no query each
    rows = {
        share.plan_id: Row(
            share,
            share.plan,
            themes.colours(share.plan.cover_theme, share.plan.cover_color).background,
        )
        for share in shares
    }
    plan_ids = list(rows)
    visible = _visible_goals(user, rows, plan_ids)
    if plan_ids:
        _figures(rows, visible, plan_ids)
        _events(rows, visible, plan_ids)
        _talk(user, rows, visible, plan_ids)
    today = datetime.now(UTC)
    if plan_ids:
        _meetings(rows, plan_ids, today.date())
    goals_of: dict[int, list[Goal]] = defaultdict(list)
    for goal in visible.values():
        goals_of[goal.plan_id].append(goal)
    for row in rows.values():
        _signals(row, goals_of[row.plan.id], today)
        row.teams = [t.name for t in row.share.membership.teams] if row.share.membership else []
    teams = sorted({name for row in rows.values() for name in row.teams})
    return Caseload(list(rows.values()), _ended(user, plan_ids), teams)


def _visible_goals(user: User, rows: dict[int, Row], plan_ids: list[int]) -> dict[int, Goal]:
    goals: list[Goal] = (
        list(db.session.scalars(sa.select(Goal).where(Goal.plan_id.in_(plan_ids))))
        if plan_ids
        else []
    )
    by_plan: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        by_plan[goal.plan_id].append(goal)
    return {
        goal.id: goal
        for plan_id, row in rows.items()
        for goal in access.visible_goals(user, row.plan, by_plan[plan_id])
    }


def _figures(rows: dict[int, Row], visible: dict[int, Goal], plan_ids: list[int]) -> None:
    """Overall progress over the visible goals (steps counted in one query)."""
    steps = {
        goal_id: (total, done or 0)
        for goal_id, total, done in db.session.execute(
            sa.select(
                Step.goal_id, sa.func.count(Step.id), sa.func.sum(sa.cast(Step.done, sa.Integer))
            )
            .join(Goal, Goal.id == Step.goal_id)
            .where(Goal.plan_id.in_(plan_ids))
            .group_by(Step.goal_id)
        )
    }
    per_plan: dict[int, list[int]] = defaultdict(list)
    for goal in visible.values():
        rows[goal.plan_id].goals += 1
        if goal.status == GoalStatus.PAUSED:
            continue
        total, done = steps.get(goal.id, (0, 0))
        if goal.status == GoalStatus.ACHIEVED:
            per_plan[goal.plan_id].append(100)
        else:
            per_plan[goal.plan_id].append(round(100 * done / total) if total else goal.estimate)
    for plan_id, figures in per_plan.items():
        rows[plan_id].overall = round(sum(figures) / len(figures))


def _events(rows: dict[int, Row], visible: dict[int, Goal], plan_ids: list[int]) -> None:
    """What happened on the visible goals: the last activity, and what is new since the visit."""
    last = db.session.execute(
        sa.select(ProgressEvent.goal_id, sa.func.max(ProgressEvent.at))
        .join(Goal, Goal.id == ProgressEvent.goal_id)
        .where(Goal.plan_id.in_(plan_ids))
        .group_by(ProgressEvent.goal_id)
    )
    for goal_id, at in last:
        if goal_id in visible:
            row = rows[visible[goal_id].plan_id]
            row.last_activity = max(filter(None, (row.last_activity, at)))
    oldest = min(_since(row.share) for row in rows.values())
    recent = db.session.execute(
        sa.select(ProgressEvent.goal_id, ProgressEvent.kind, ProgressEvent.value, ProgressEvent.at)
        .join(Goal, Goal.id == ProgressEvent.goal_id)
        .where(Goal.plan_id.in_(plan_ids), ProgressEvent.at > oldest)
    )
    for goal_id, kind, value, at in recent:
        goal = visible.get(goal_id)
        if goal is None or at <= _since(rows[goal.plan_id].share):
            continue
        row = rows[goal.plan_id]
        if kind in ("step_done", "estimate", "rating"):
            row.progress += 1
        elif kind == "status" and value == "achieved":
            row.achieved += 1
        elif kind == "evidence":
            row.evidence += 1
        else:
            continue
        row.last_change = max(filter(None, (row.last_change, at)))


def _talk(user: User, rows: dict[int, Row], visible: dict[int, Goal], plan_ids: list[int]) -> None:
    """Reactions by others since the visit, and their suggestions the young person decided."""
    oldest = min(_since(row.share) for row in rows.values())
    comments = db.session.execute(
        sa.select(Comment.goal_id, Comment.created_at)
        .join(Goal, Goal.id == Comment.goal_id)
        .where(
            Goal.plan_id.in_(plan_ids),
            Comment.created_at > oldest,
            sa.or_(Comment.author_id.is_(None), Comment.author_id != user.id),
        )
    )
    for goal_id, at in comments:
        goal = visible.get(goal_id)
        if goal is None:
            continue
        row = rows[goal.plan_id]
        if at > _since(row.share) and access.share_sees(row.share, Section.REACTIONS):
            row.comments += 1
            row.last_change = max(filter(None, (row.last_change, at)))
    decided = db.session.execute(
        sa.select(Suggestion.plan_id, Suggestion.goal_id, Suggestion.decided_at).where(
            Suggestion.plan_id.in_(plan_ids),
            Suggestion.author_id == user.id,
            Suggestion.status.in_([SuggestionStatus.ACCEPTED, SuggestionStatus.DECLINED]),
            Suggestion.decided_at > oldest,
        )
    )
    for plan_id, on_goal, decided_at in decided:
        row = rows[plan_id]
        if (
            decided_at
            and decided_at > _since(row.share)
            and (on_goal is None or on_goal in visible)
        ):
            row.decided += 1


def _meetings(rows: dict[int, Row], plan_ids: list[int], today: date) -> None:
    """The next care meeting of each plan within SOON_DAYS (only its date: the talking points
    stay the young person's). Whoever may open the plan sees that date in its meeting PDF."""
    upcoming = db.session.execute(
        sa.select(Meeting.plan_id, sa.func.min(Meeting.held_on))
        .where(
            Meeting.plan_id.in_(plan_ids),
            Meeting.held_on >= today,
            Meeting.held_on <= today + timedelta(days=SOON_DAYS),
        )
        .group_by(Meeting.plan_id)
    )
    for plan_id, held_on in upcoming:
        row = rows[plan_id]
        if access.share_sees(row.share, Section.COVER):
            row.meeting = held_on


def _signals(row: Row, goals: list[Goal], now: datetime) -> None:
    active = [g for g in goals if g.status == GoalStatus.ACTIVE]
    if any(g.rating == Rating.NOT_YET for g in active):
        row.signals.append(Signal.NOT_YET)
    if row.comments:
        row.signals.append(Signal.REACTION)
    if row.decided:
        row.signals.append(Signal.SUGGESTION)
    today: date = now.date()
    if any(g.due and g.due <= today + timedelta(days=SOON_DAYS) for g in active):
        row.signals.append(Signal.DUE)
    if row.meeting:
        row.signals.append(Signal.MEETING)
    last = row.last_activity or row.share.created_at
    if last < now - timedelta(days=QUIET_DAYS):
        row.signals.append(Signal.QUIET)


def _ended(user: User, current: list[int]) -> list[Ended]:
    """Plans whose share with `user` ended (the young person stopped, or the place did)."""
    ended = db.session.execute(
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
    return [Ended(name, at) for name, at in ended]
