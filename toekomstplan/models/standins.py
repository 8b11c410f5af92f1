"""A worker's leave: a colleague of the same organisation stands in until a date, for each
young person who agrees (orgs/standins.py)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import IntPk, PlanRef, UTCDateTime, owned, utcnow

if TYPE_CHECKING:
    from .accounts import User
    from .organisations import Membership
    from .plan import Plan


class AskStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class StandIn(Model):
    """Mo is on leave until `until`; Eva (`colleague`, a member of the same organisation)
    may stand in for the young people who say yes, each asked on their own (`asks`)."""

    __tablename__ = "stand_ins"

    id: Mapped[IntPk]
    worker_place_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    colleague_place_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    until: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    worker_place: Mapped[Membership] = relationship(foreign_keys=[worker_place_id])
    colleague_place: Mapped[Membership] = relationship(foreign_keys=[colleague_place_id])
    asks: Mapped[list[StandInAsk]] = owned("stand_in")

    @property
    def worker(self) -> User:
        return self.worker_place.user

    @property
    def colleague(self) -> User:
        return self.colleague_place.user


class StandInAsk(Model):
    """One young person's question: may the colleague look along while the worker is away?"""

    __tablename__ = "stand_in_asks"
    __table_args__ = (sa.UniqueConstraint("stand_in_id", "plan_id"),)

    id: Mapped[IntPk]
    stand_in_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stand_ins.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[PlanRef]
    status: Mapped[str] = mapped_column(sa.String(10), default=AskStatus.PENDING)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    stand_in: Mapped[StandIn] = relationship(back_populates="asks")
    plan: Mapped[Plan] = relationship()
