"""Care meetings the young person records; the logic lives in export/meetings.py."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import IntPk, PlanRef, UTCDateTime, utcnow


class Meeting(Model):
    """A care meeting the young person records: its date marks "since the last meeting".

    `talking_points` holds up to three short texts ("waar wil ik het over hebben?");
    `choices` what the young person put in the meeting version of their PDF (sections,
    goal ids, comments), which also narrows the meeting PDF someone else downloads.
    """

    __tablename__ = "meetings"
    __table_args__ = (sa.UniqueConstraint("plan_id", "held_on"),)

    id: Mapped[IntPk]
    plan_id: Mapped[PlanRef]
    held_on: Mapped[date]
    talking_points: Mapped[list] = mapped_column(sa.JSON, default=list)
    choices: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
