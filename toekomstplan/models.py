"""Database models: accounts, login sessions and the plan with its parts."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Store naive UTC, hand out aware UTC: SQLite keeps no time zone."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


class UserKind(enum.StrEnum):
    YOUTH = "youth"
    SUPPORTER = "supporter"


class AboutKind(enum.StrEnum):
    QUALITY = "quality"
    TALENT = "talent"
    HOBBY = "hobby"


class TokenPurpose(enum.StrEnum):
    RESET = "reset"
    CONFIRM = "confirm"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), default=UserKind.YOUTH)
    name: Mapped[str] = mapped_column(sa.String(80))
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    username: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    email_confirmed: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan | None] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )

    @property
    def login_name(self) -> str:
        return self.email or self.username or ""

    @property
    def is_youth(self) -> bool:
        return self.kind == UserKind.YOUTH


class UserSession(db.Model):
    """One logged-in browser; deleting the row ends that session everywhere."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class LoginToken(db.Model):
    """A one-time link for a password reset or an e-mail confirmation, stored hashed."""

    __tablename__ = "login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class Plan(db.Model):
    """A young person's future plan; the cover lives in its `cover_*` columns."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    cover_title: Mapped[str] = mapped_column(sa.String(80))
    cover_subtitle: Mapped[str] = mapped_column(sa.String(140), default="")
    cover_theme: Mapped[str] = mapped_column(sa.String(20), default="sunrise")
    cover_color: Mapped[str | None] = mapped_column(sa.String(7))
    cover_layout: Mapped[str] = mapped_column(sa.String(20), default="classic")
    intro_text: Mapped[str] = mapped_column(sa.Text, default="")
    # Raised by every change to what the plan shows; rendered pages are cached per revision.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship(back_populates="plan")
    about_items: Mapped[list[AboutItem]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AboutItem.position, AboutItem.id",
    )


class AboutItem(db.Model):
    """A good quality, talent or hobby in "about me"."""

    __tablename__ = "about_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="about_items")
