"""Jobs that could not reach the job queue (jobs.py): kept here until it answers again."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import IntPk, UTCDateTime, utcnow


class WaitingJob(Model):
    """A job whose work was saved (a reaction, an upload) while the queue (Redis) was
    unreachable: the housekeeping job hands it to the queue once it is back."""

    __tablename__ = "waiting_jobs"

    id: Mapped[IntPk]
    task: Mapped[str] = mapped_column(sa.String(120))  # the task's name in the queue
    arguments: Mapped[str] = mapped_column(sa.String(300))  # JSON: ids only, never content
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
