"""Photos and videos, their stored files, and where they are shown."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import IntPk, PlanRef, UTCDateTime, owned, utcnow

if TYPE_CHECKING:
    from .plan import Plan

CAPTION_MAX = 300
LABEL_MAX = 120


class MediaKind(enum.StrEnum):
    PHOTO = "photo"
    VIDEO = "video"


class MediaStatus(enum.StrEnum):
    PROCESSING = "processing"  # a video waiting for, or in, the job queue
    READY = "ready"
    FAILED = "failed"


class AttachTarget(enum.StrEnum):
    COVER = "cover"
    INTRO = "intro"
    ABOUT = "about"
    GOAL = "goal"  # evidence: "what I learned"
    STEP = "step"


def new_media_id() -> str:
    """Return an unguessable id for a media item (it appears in URLs)."""
    return secrets.token_urlsafe(16)


class Media(Model):
    """One photo or video and its stored variants; its id is unguessable, it goes in URLs."""

    __tablename__ = "media"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_media_id)
    plan_id: Mapped[PlanRef]
    kind: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[str] = mapped_column(sa.String(12), default=MediaStatus.READY)
    failure: Mapped[str | None] = mapped_column(sa.String(32))
    caption: Mapped[str] = mapped_column(sa.String(CAPTION_MAX), default="")
    label: Mapped[str] = mapped_column(sa.String(LABEL_MAX), default="")  # the client's file name
    width: Mapped[int | None]
    height: Mapped[int | None]
    duration: Mapped[float | None]
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a video last went to the job queue: one processing for longer than a job can take
    # lost its job (a consumer killed) and is queued again (media/video_jobs.py).
    processing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The consumer preparing it ("host:pid"): a consumer starting again on that host queues
    # the videos of one of its predecessors that was killed mid-transcode straight away.
    processing_by: Mapped[str | None] = mapped_column(sa.String(120))

    plan: Mapped[Plan] = relationship(back_populates="media")
    files: Mapped[list[MediaFile]] = owned("media")
    attachments: Mapped[list[Attachment]] = owned("media")

    def file(self, variant: str) -> MediaFile | None:
        return next((f for f in self.files if f.variant == variant), None)

    @property
    def is_ready(self) -> bool:
        return self.status == MediaStatus.READY

    def lost_job(self, job_max: timedelta) -> bool:
        """Whether this video has been processing for longer than a job can take (`job_max`):
        then its job was lost (a consumer killed) and it may be queued again."""
        since = self.processing_since or self.created_at
        return self.status == MediaStatus.PROCESSING and since < utcnow() - job_max


class MediaFile(Model):
    """One stored file of a media item: the storage key, never a path."""

    __tablename__ = "media_files"
    __table_args__ = (sa.UniqueConstraint("media_id", "variant"),)

    id: Mapped[IntPk]
    media_id: Mapped[str] = mapped_column(sa.ForeignKey("media.id", ondelete="CASCADE"), index=True)
    variant: Mapped[str] = mapped_column(sa.String(16))
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    checksum: Mapped[str] = mapped_column(sa.String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]

    media: Mapped[Media] = relationship(back_populates="files")


class Attachment(Model):
    """A media item shown on the cover, the introduction or an "about me" item.

    Each target with rows of its own has a foreign key column, so deleting the target
    deletes its attachments in the database.
    """

    __tablename__ = "attachments"
    __table_args__ = (
        sa.UniqueConstraint("media_id", "target", "about_item_id", "goal_id", "step_id"),
    )

    id: Mapped[IntPk]
    media_id: Mapped[str] = mapped_column(sa.ForeignKey("media.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[PlanRef]
    target: Mapped[str] = mapped_column(sa.String(16))
    about_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("about_items.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("goals.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("steps.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    media: Mapped[Media] = relationship(back_populates="attachments")


class PendingDeletion(Model):
    """Stored files to delete once the storage answers again: their rows are gone (a photo
    or an account deleted, an upload refused) while the object store was down. The
    housekeeping job deletes them (media/cleanup.py)."""

    __tablename__ = "pending_deletions"

    id: Mapped[IntPk]
    prefix: Mapped[str] = mapped_column(sa.String(300))  # a plan, or one photo or video
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
