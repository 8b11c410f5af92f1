"""Conversations on goals: reactions, a worker's suggestions and view, and read marks."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import GoalKey, GoalRef, IntPk, PlanRef, UserKey, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .accounts import User
    from .goals import Goal
    from .plan import Plan

COMMENT_MAX = 2000
SUGGESTION_TEXT_MAX = 200
SUGGESTION_WHY_MAX = 1000


class Comment(Model):
    """A reaction on a goal; replies point at the comment they answer."""

    __tablename__ = "comments"

    id: Mapped[IntPk]
    goal_id: Mapped[GoalRef]
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    # A deleted supporter's comments stay, shown as from "verwijderd account".
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)  # at most COMMENT_MAX, checked on the way in
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()
    goal: Mapped[Goal] = relationship()


class SuggestionStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Suggestion(Model):
    """A worker's proposed goal (goal_id empty) or step (for goal_id); the youth decides."""

    __tablename__ = "suggestions"

    id: Mapped[IntPk]
    plan_id: Mapped[PlanRef]
    goal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("goals.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.String(SUGGESTION_TEXT_MAX))
    why: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=SuggestionStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()
    plan: Mapped[Plan] = relationship()
    goal: Mapped[Goal | None] = relationship()


class WorkerRating(Model):
    """A support worker's own view of how a goal is going, shown beside the youth's."""

    __tablename__ = "worker_ratings"

    goal_id: Mapped[GoalKey]
    user_id: Mapped[UserKey]
    rating: Mapped[str] = mapped_column(sa.String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class ReadMark(Model):
    """Until when a person has read the comments on a goal (for unread markers)."""

    __tablename__ = "read_marks"

    goal_id: Mapped[GoalKey]
    user_id: Mapped[UserKey]
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
