"""Accounts and what keeps them safe: sessions, one-time links, recovery codes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import Model
from ..text import clean_line
from .base import IntPk, UTCDateTime, owned, utcnow

if TYPE_CHECKING:
    from .plan import Plan


class UserKind(enum.StrEnum):
    YOUTH = "youth"
    SUPPORTER = "supporter"


class TokenPurpose(enum.StrEnum):
    RESET = "reset"
    CONFIRM = "confirm"


NAME_MAX = 80


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[IntPk]
    kind: Mapped[str] = mapped_column(sa.String(16), default=UserKind.YOUTH)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    username: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # A young person without e-mail resets their password with this (auth/spare_key.py).
    spare_key_hash: Mapped[str | None] = mapped_column(sa.String(64))
    email_confirmed: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Two-step login (auth/two_step.py): the authenticator app's key, set once it is confirmed,
    # and the last time step a code was used for, so a code works only once.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # Mail about new reactions: off by default for young people, on for supporters,
    # who may choose one mail a day instead (last_digest_at marks what it covered).
    notify_by_mail: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    notify_daily: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan | None] = owned("owner", uselist=False)

    @validates("name")
    def _clean_name(self, _key: str, value: str) -> str:
        # Every way in (registration, an invite, the demo, a command) passes here: a name
        # reaches mail headers, so a line break or other control character never gets in.
        return clean_line(value, NAME_MAX)

    @property
    def login_name(self) -> str:
        return self.username or self.email or ""  # an added address does not change it

    @property
    def is_youth(self) -> bool:
        return self.kind == UserKind.YOUTH

    @property
    def has_two_step(self) -> bool:
        return self.totp_enabled_at is not None


class UserSession(Model):
    """One logged-in browser; deleting the row ends that session everywhere."""

    __tablename__ = "user_sessions"

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class RecoveryCode(Model):
    """A one-time code for two-step login without the phone, stored hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginToken(Model):
    """A one-time link for a password reset or an e-mail confirmation, stored hashed."""

    __tablename__ = "login_tokens"

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class FormUse(Model):
    """A one-time form token that was used: a form that creates something (a goal, a
    reaction, an upload) is saved once, even when a double tap sends it twice at once.

    `done_url` is where the first request went, for the second to go there too.
    """

    __tablename__ = "form_uses"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    done_url: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class UploadSlot(Model):
    """An upload in flight: its bytes are reserved against the plan's quota before it is
    written, and a person has only a few at a time. Every process and host sees these rows;
    one left by a crash counts until it is older than an upload can take."""

    __tablename__ = "upload_slots"

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class HelpedReset(Model):
    """A one-time code a worker makes, with the young person beside them, for a new password
    without e-mail: valid 15 minutes, stored hashed, shown only to the worker. Once used, the
    young person is told on their plan home who helped and when (a Notice)."""

    __tablename__ = "helped_resets"

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    helper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    helper: Mapped[User | None] = relationship(foreign_keys=[helper_id])
