"""Care meetings: the young person records them with talking points and the choices for the
meeting version of the PDF; the previous one marks what changed since then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from .. import limits
from ..extensions import db
from ..models import Comment, EventKind, Goal, GoalStatus, Meeting, Plan

SECTIONS = ("intro", "about", "goals", "media")
COMMENT_CHOICES = ("none", "recent", "since")
TALKING_POINTS_MAX = 3
TALKING_POINT_LENGTH = 200
MEETINGS_MAX = 200


@dataclass(frozen=True)
class Choices:
    """What someone asked to put in a PDF (before access narrows it)."""

    sections: frozenset[str] = frozenset(SECTIONS)
    goal_ids: frozenset[int] | None = None  # None: every goal
    comments: str = "none"  # "none", "recent" (last 30 days) or "since" a date
    since: date | None = None

    def narrowed_by(self, other: Choices | None) -> Choices:
        """Keep only what both choices include (the young person's choice narrows others')."""
        if other is None:
            return self
        goal_ids = self.goal_ids
        if other.goal_ids is not None:
            goal_ids = other.goal_ids if goal_ids is None else goal_ids & other.goal_ids
        return Choices(self.sections & other.sections, goal_ids, self.comments, self.since)

    def as_json(self) -> dict:
        return {
            "sections": sorted(self.sections),
            "goal_ids": None if self.goal_ids is None else sorted(self.goal_ids),
            "comments": self.comments,
            "since": self.since.isoformat() if self.since else None,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Choices | None:
        if not data:
            return None
        goal_ids = data.get("goal_ids")
        since = data.get("since")
        comments = data.get("comments")
        return cls(
            sections=frozenset(s for s in data.get("sections", []) if s in SECTIONS),
            goal_ids=None if goal_ids is None else frozenset(int(i) for i in goal_ids),
            comments=comments
            if isinstance(comments, str) and comments in COMMENT_CHOICES
            else "none",
            since=date.fromisoformat(since) if since else None,
        )


WHOLE_PLAN = Choices()


def meetings(plan: Plan) -> list[Meeting]:
    """Return a plan's recorded meetings, newest first."""
    return list(
        db.session.scalars(
            sa.select(Meeting).where(Meeting.plan_id == plan.id).order_by(Meeting.held_on.desc())
        )
    )


def clean_points(points: list[str | None]) -> list[str]:
    """Keep up to three talking points, trimmed, empty ones left out."""
    cleaned = [" ".join((p or "").split())[:TALKING_POINT_LENGTH] for p in points]
    return [p for p in cleaned if p][:TALKING_POINTS_MAX]


def record_meeting(
    plan: Plan, held_on: date, talking_points: list[str | None], choices: Choices | None
) -> Meeting:
    """Record a meeting (or update the one on that date) with its talking points."""
    meeting = db.session.scalar(
        sa.select(Meeting).where(Meeting.plan_id == plan.id, Meeting.held_on == held_on)
    )
    if meeting is None:
        limits.ensure_room(Meeting.id, Meeting.plan_id == plan.id, most=MEETINGS_MAX)
        meeting = Meeting(plan_id=plan.id, held_on=held_on)
        db.session.add(meeting)
    meeting.talking_points = clean_points(talking_points)
    meeting.choices = choices.as_json() if choices else None
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # the same date saved by a second tap: update that one
        db.session.rollback()
        return record_meeting(plan, held_on, talking_points, choices)
    return meeting


@dataclass(frozen=True)
class MeetingFrame:
    """The meeting a PDF is for (today's or the next one) and the one before it."""

    current: Meeting | None
    previous: Meeting | None

    @property
    def since(self) -> datetime | None:
        """Changes count from the day after the previous meeting (that day was discussed)."""
        if self.previous is None:
            return None
        return datetime.combine(self.previous.held_on + timedelta(days=1), time.min, UTC)


def meeting_frame(plan: Plan, today: date) -> MeetingFrame:
    """Find the meeting a PDF made `today` is for, and the previous one."""
    all_meetings = meetings(plan)
    upcoming = [m for m in all_meetings if m.held_on >= today]
    current = upcoming[-1] if upcoming else None
    before = current.held_on if current else today
    previous = next((m for m in all_meetings if m.held_on < before), None)
    return MeetingFrame(current, previous)


# What changed since the previous meeting


@dataclass
class GoalChange:
    """What changed in one goal since the previous meeting."""

    added: bool = False
    achieved: bool = False
    steps_done: int = 0
    progress_before: int | None = None
    progress_now: int = 0
    rating_before: str | None = None
    rating_now: str | None = None
    new_evidence: int = 0
    new_comments: int = 0

    @property
    def progress_changed(self) -> bool:
        return not self.added and self.progress_before != self.progress_now

    @property
    def rating_changed(self) -> bool:
        return not self.added and self.rating_before != self.rating_now

    @property
    def any(self) -> bool:
        return bool(
            self.added
            or self.achieved
            or self.steps_done
            or self.progress_changed
            or self.rating_changed
            or self.new_evidence
            or self.new_comments
        )


@dataclass
class ChangeSummary:
    since: date
    added: int = 0
    achieved: int = 0
    steps_done: int = 0
    progress_up: int = 0
    new_evidence: int = 0
    new_comments: int = 0

    @property
    def any(self) -> bool:
        return any(
            (
                self.added,
                self.achieved,
                self.steps_done,
                self.progress_up,
                self.new_evidence,
                self.new_comments,
            )
        )


def steps_done_since(goal: Goal, since: datetime) -> set[int]:
    """Return the ids of the goal's steps that are done now and were ticked since `since`."""
    ticked = {e.step_id for e in goal.events if e.kind == EventKind.STEP_DONE and e.at >= since}
    return {step.id for step in goal.steps if step.done and step.id in ticked}


def evidence_since(goal: Goal, since: datetime) -> set[str]:
    """Return the ids of the photos and videos shown on the goal since `since`."""
    return {
        e.media_id
        for e in goal.events
        if e.kind == EventKind.EVIDENCE and e.media_id is not None and e.at >= since
    }


def goal_change(goal: Goal, since: datetime, progress_now: int) -> GoalChange:
    """Compare a goal now with how it was at `since` (from its history and comments)."""
    events = list(goal.events)
    before = [e for e in events if e.at < since]
    ratings_before = [e.value for e in before if e.kind == EventKind.RATING]
    change = GoalChange(
        added=not before,
        achieved=goal.status == GoalStatus.ACHIEVED
        and goal.achieved_at is not None
        and goal.achieved_at >= since,
        steps_done=len(steps_done_since(goal, since)),
        progress_before=before[-1].progress if before else None,
        progress_now=progress_now,
        rating_before=ratings_before[-1] if ratings_before else None,
        rating_now=goal.rating,
        new_evidence=len(evidence_since(goal, since)),
    )
    change.new_comments = limits.count(
        Comment.id, Comment.goal_id == goal.id, Comment.created_at >= since
    )
    return change


def change_summary(changes: list[GoalChange], since: datetime) -> ChangeSummary:
    """Add up what changed in the goals since the previous meeting."""
    summary = ChangeSummary(since=(since - timedelta(days=1)).date())
    for change in changes:
        summary.added += change.added
        summary.achieved += change.achieved
        summary.steps_done += change.steps_done
        summary.progress_up += bool(
            change.progress_before is not None and change.progress_now > change.progress_before
        )
        summary.new_evidence += change.new_evidence
        summary.new_comments += change.new_comments
    return summary
