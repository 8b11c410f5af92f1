"""A supporter's caseload: every plan shared with them, and who needs attention today.

Built from a fixed number of queries however many plans are shared (a worker has 20 to 30
young people, some 40; the SQL is in queries.py): the shares with their plans, hidden goals
and places, then the goals of all those plans with their steps, history and reactions summed
up, the suggestions answered and the meetings coming up. Every figure is counted over the
goals `access` lets this person see: a goal hidden from them never shows up in a count, a
signal or a progress figure.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from .. import access, clock
from ..access import Section
from ..access import caseload as caseload_access
from ..models import (
    GoalStatus,
    Plan,
    Rating,
    Share,
    User,
)
from ..plan import themes
from ..sharing.ending import ENDS_SOON_DAYS
from . import queries

QUIET_DAYS = 30  # no activity for a month
SOON_DAYS = 14  # a goal's date coming up


class Signal(enum.StrEnum):
    NOT_YET = "not_yet"  # a goal rated "gaat nog niet"
    REACTION = "reaction"  # a reaction or reply by someone else since the last visit
    SUGGESTION = "suggestion"  # a suggestion of theirs was accepted or declined
    DUE = "due"  # a goal's date is coming up (or just passed)
    MEETING = "meeting"  # a care meeting the young person recorded is coming up
    QUIET = "quiet"  # no activity for a month
    ENDS_SOON = "ends_soon"  # the young person's share with this person ends within a week


# How much each signal weighs in "needs attention".
WEIGHT = {
    Signal.NOT_YET: 8,
    Signal.REACTION: 4,
    Signal.DUE: 3,
    Signal.MEETING: 3,
    Signal.SUGGESTION: 2,
    Signal.QUIET: 1,
    Signal.ENDS_SOON: 2,
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


def caseload_for(user: User) -> Caseload:
    """Every plan shared with `user`, with its figures and signals."""
    shares = queries.shares(user)
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
    today = clock.now()
    visible: dict[int, sa.Row] = {}
    if plan_ids:
        visible = {
            goal.id: goal
            for goal in queries.goals(user)
            if access.share_sees(rows[goal.plan_id].share, Section.GOALS, goal)
        }
        _figures(rows, visible)
        for plan_id, on_goal, count in queries.decided(user):
            if on_goal is None or on_goal in visible:
                rows[plan_id].decided += count
        # Only the date: whoever may open the plan sees it in the meeting PDF.
        for plan_id, held_on in queries.meetings(plan_ids, today.date(), SOON_DAYS):
            if access.share_sees(rows[plan_id].share, Section.COVER):
                rows[plan_id].meeting = held_on
    goals_of: dict[int, list[sa.Row]] = defaultdict(list)
    for goal in visible.values():
        goals_of[goal.plan_id].append(goal)
    for row in rows.values():
        _signals(row, goals_of[row.plan.id], today)
        row.teams = [t.name for t in row.share.membership.teams] if row.share.membership else []
    teams = sorted({name for row in rows.values() for name in row.teams})
    ended = [Ended(name, at) for name, at in queries.ended(user, plan_ids)]
    return Caseload(list(rows.values()), ended, teams)


def _figures(rows: dict[int, Row], visible: dict[int, sa.Row]) -> None:
    """Overall progress, last activity and what is new, over the visible goals."""
    per_plan: dict[int, list[int]] = defaultdict(list)
    for goal in visible.values():
        row = rows[goal.plan_id]
        row.goals += 1
        row.last_activity = _later(row.last_activity, goal.last_activity)
        row.progress += goal.progress or 0
        row.achieved += goal.achieved or 0
        row.evidence += goal.evidence or 0
        row.last_change = _later(row.last_change, goal.changed)
        if goal.comments and access.share_sees(row.share, Section.REACTIONS):
            row.comments += goal.comments
            row.last_change = _later(row.last_change, goal.commented)
        if goal.status == GoalStatus.PAUSED:
            continue
        if goal.status == GoalStatus.ACHIEVED:
            per_plan[goal.plan_id].append(100)
        elif goal.steps:
            per_plan[goal.plan_id].append(round(100 * (goal.done or 0) / goal.steps))
        else:
            per_plan[goal.plan_id].append(goal.estimate)
    for plan_id, figures in per_plan.items():
        rows[plan_id].overall = round(sum(figures) / len(figures))


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(a, b) if a and b else a or b


def _signals(row: Row, goals: list[sa.Row], now: datetime) -> None:
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
    if row.share.last_day and row.share.last_day <= today + timedelta(days=ENDS_SOON_DAYS):
        row.signals.append(Signal.ENDS_SOON)
