"""Goals, their steps and the dated history behind progress."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import GoalRef, IntPk, PlanRef, UTCDateTime, owned, utcnow

if TYPE_CHECKING:
    from .plan import Plan

GOAL_TITLE_MAX = 120
GOAL_WHY_MAX = 1000
GOAL_HELPERS_MAX = 200
STEP_TEXT_MAX = 200


class GoalStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ACHIEVED = "achieved"


class Rating(enum.StrEnum):
    """The young person's own "how is it going?"."""

    GOOD = "good"
    BIT = "bit"
    NOT_YET = "not_yet"


class EventKind(enum.StrEnum):
    CREATED = "created"
    STEP_DONE = "step_done"
    STEP_UNDONE = "step_undone"
    ESTIMATE = "estimate"
    RATING = "rating"
    STATUS = "status"
    EVIDENCE = "evidence"
    STEP_ADDED = "step_added"
    STEP_REMOVED = "step_removed"


class Goal(Model):
    """What I want, why it matters to me, who helps me, when; with steps and a history."""

    __tablename__ = "goals"

    id: Mapped[IntPk]
    plan_id: Mapped[PlanRef]
    title: Mapped[str] = mapped_column(sa.String(GOAL_TITLE_MAX))
    why: Mapped[str] = mapped_column(sa.Text, default="")
    helpers: Mapped[str] = mapped_column(sa.String(GOAL_HELPERS_MAX), default="")
    due: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(10), default=GoalStatus.ACTIVE)
    rating: Mapped[str | None] = mapped_column(sa.String(10))
    # The young person's own estimate (0-100), used when a goal has no steps.
    estimate: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    # Raised by every edit of the goal's text; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    card: Mapped[str | None] = mapped_column(sa.String(60))  # the inspiration card it came from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    achieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship(back_populates="goals")
    steps: Mapped[list[Step]] = owned("goal", order_by="Step.position, Step.id")
    events: Mapped[list[ProgressEvent]] = owned(
        "goal", order_by="ProgressEvent.at, ProgressEvent.id"
    )


class Step(Model):
    """A part of a goal that can be ticked off."""

    __tablename__ = "steps"

    id: Mapped[IntPk]
    goal_id: Mapped[GoalRef]
    text: Mapped[str] = mapped_column(sa.String(STEP_TEXT_MAX))
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="steps")


class ProgressEvent(Model):
    """One dated change of a goal: the history behind its timeline and chart."""

    __tablename__ = "progress_events"

    id: Mapped[IntPk]
    goal_id: Mapped[GoalRef]
    kind: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    progress: Mapped[int]  # the goal's progress (0-100) right after this change
    value: Mapped[str | None] = mapped_column(sa.String(200))  # step text, rating, status
    step_id: Mapped[int | None] = mapped_column(sa.ForeignKey("steps.id", ondelete="SET NULL"))
    media_id: Mapped[str | None] = mapped_column(sa.ForeignKey("media.id", ondelete="SET NULL"))

    goal: Mapped[Goal] = relationship(back_populates="events")
