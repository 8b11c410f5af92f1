"""Sharing: who may see a plan, invitations, and the access log of what they did."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import GoalKey, IntPk, PlanRef, UTCDateTime, owned, utcnow

if TYPE_CHECKING:
    from .accounts import User
    from .organisations import Membership
    from .plan import Plan


SHARE_LABEL_MAX = 80


class ShareRole(enum.StrEnum):
    WORKER = "worker"  # begeleider: reads, comments, suggests
    VIEWER = "viewer"  # meekijker: reads only


class Share(Model):
    """One person's access to one plan: a role and the sections they may see."""

    __tablename__ = "shares"
    __table_args__ = (sa.UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[IntPk]
    plan_id: Mapped[PlanRef]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10))
    # What the young person calls them: "mijn begeleider Mo".
    label: Mapped[str] = mapped_column(sa.String(SHARE_LABEL_MAX), default="")
    sees_intro: Mapped[bool] = mapped_column(default=True)
    sees_about: Mapped[bool] = mapped_column(default=True)
    sees_media: Mapped[bool] = mapped_column(default=True)
    # Whether a viewer (a parent, say) reads the conversation on the goals: reactions, the
    # worker's suggestions and views. Off unless the young person switches it on; a worker
    # takes part in that conversation and always sees it.
    sees_reactions: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The organisation place the person had when they took the invitation: the young person
    # sees "Mo, begeleider bij Jeugdformaat". Ending that place ends the share with it.
    membership_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    # The last day the person may look (Dutch time), or None: until the young person stops
    # it. From the next day on the share is refused like a revoked one (`current`), and the
    # sharing job ends it and tells both sides (sharing/ending.py); `warned_at` is when the
    # young person was told it ends soon.
    last_day: Mapped[date | None] = mapped_column(index=True)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship()
    user: Mapped[User] = relationship()
    membership: Mapped[Membership | None] = relationship()
    hidden_goals: Mapped[list[HiddenGoal]] = owned()

    @property
    def hidden_goal_ids(self) -> set[int]:
        return {h.goal_id for h in self.hidden_goals}

    @classmethod
    def current(cls, today: date) -> sa.ColumnElement[bool]:
        """SQL: the share has not passed its last day (`today` in Dutch time)."""
        return sa.or_(cls.last_day.is_(None), cls.last_day >= today)


class HiddenGoal(Model):
    """A goal the young person keeps from one person they share with."""

    __tablename__ = "hidden_goals"

    share_id: Mapped[int] = mapped_column(
        sa.ForeignKey("shares.id", ondelete="CASCADE"), primary_key=True
    )
    goal_id: Mapped[GoalKey]


class Invite(Model):
    """A one-time, expiring link that makes a share; only the token's hash is stored."""

    __tablename__ = "invites"

    id: Mapped[IntPk]
    plan_id: Mapped[PlanRef]
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(10))
    label: Mapped[str] = mapped_column(sa.String(SHARE_LABEL_MAX), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    last_day: Mapped[date | None]  # the share it makes ends after this day (Share.last_day)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship()


class AccessEvent(Model):
    """Who looked at, changed, exported or commented on what, and every refusal.

    Holds no content and no tokens: an action, a target like "goal:12", a time and a user.
    """

    __tablename__ = "access_events"

    id: Mapped[IntPk]
    plan_id: Mapped[PlanRef]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(16))
    target: Mapped[str] = mapped_column(sa.String(40), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User | None] = relationship()
