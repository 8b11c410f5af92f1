"""The plan: its cover columns and "about me"."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import IntPk, PlanRef, UTCDateTime, owned, utcnow
from .goals import Goal
from .media import Attachment, Media

if TYPE_CHECKING:
    from .accounts import User

COVER_TITLE_MAX = 80
COVER_SUBTITLE_MAX = 140
INTRO_MAX = 5000
ABOUT_TEXT_MAX = 200


class AboutKind(enum.StrEnum):
    QUALITY = "quality"
    TALENT = "talent"
    HOBBY = "hobby"


class Plan(Model):
    """A young person's future plan; the cover lives in its `cover_*` columns."""

    __tablename__ = "plans"

    id: Mapped[IntPk]
    owner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    cover_title: Mapped[str] = mapped_column(sa.String(COVER_TITLE_MAX))
    cover_subtitle: Mapped[str] = mapped_column(sa.String(COVER_SUBTITLE_MAX), default="")
    cover_theme: Mapped[str] = mapped_column(sa.String(20), default="sunrise")
    cover_color: Mapped[str | None] = mapped_column(sa.String(7))
    cover_layout: Mapped[str] = mapped_column(sa.String(20), default="classic")
    intro_text: Mapped[str] = mapped_column(sa.Text, default="")
    cover_photo_focus: Mapped[str] = mapped_column(
        sa.String(10), default="center", server_default="center"
    )
    # Raised by every change to what the plan shows; rendered pages are cached per revision.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship(back_populates="plan")
    about_items: Mapped[list[AboutItem]] = owned(
        "plan", order_by="AboutItem.position, AboutItem.id"
    )
    media: Mapped[list[Media]] = owned("plan", order_by="Media.created_at.desc()")
    # Read-only: attachments are made and removed through their media item.
    attachments: Mapped[list[Attachment]] = relationship(viewonly=True, order_by="Attachment.id")
    goals: Mapped[list[Goal]] = owned("plan", order_by="Goal.position, Goal.id")


class AboutItem(Model):
    """A good quality, talent or hobby in "about me"."""

    __tablename__ = "about_items"

    id: Mapped[IntPk]
    plan_id: Mapped[PlanRef]
    kind: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.String(ABOUT_TEXT_MAX))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="about_items")
