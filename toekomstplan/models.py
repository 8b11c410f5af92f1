"""Database models: accounts, login sessions and the plan with its parts."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime

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

    plan: Mapped[Plan | None] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )

    @property
    def login_name(self) -> str:
        return self.email or self.username or ""

    @property
    def is_youth(self) -> bool:
        return self.kind == UserKind.YOUTH

    @property
    def has_two_step(self) -> bool:
        return self.totp_enabled_at is not None


class UserSession(db.Model):
    """One logged-in browser; deleting the row ends that session everywhere."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A one-time code for two-step login without the phone, stored hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


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
    cover_photo_focus: Mapped[str] = mapped_column(
        sa.String(10), default="center", server_default="center"
    )
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
    media: Mapped[list[Media]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Media.created_at.desc()",
    )
    # Read-only: attachments are made and removed through their media item.
    attachments: Mapped[list[Attachment]] = relationship(viewonly=True, order_by="Attachment.id")
    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Goal.position, Goal.id",
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


def new_media_id() -> str:
    """Return an unguessable id for a media item (it appears in URLs)."""
    return secrets.token_urlsafe(16)


class Media(db.Model):
    """One photo or video and its stored variants; its id is unguessable, it goes in URLs."""

    __tablename__ = "media"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_media_id)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[str] = mapped_column(sa.String(12), default=MediaStatus.READY)
    failure: Mapped[str | None] = mapped_column(sa.String(32))
    caption: Mapped[str] = mapped_column(sa.String(300), default="")
    label: Mapped[str] = mapped_column(sa.String(120), default="")  # the client's file name
    width: Mapped[int | None]
    height: Mapped[int | None]
    duration: Mapped[float | None]
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="media")
    files: Mapped[list[MediaFile]] = relationship(
        back_populates="media", cascade="all, delete-orphan", passive_deletes=True
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="media", cascade="all, delete-orphan", passive_deletes=True
    )

    def file(self, variant: str) -> MediaFile | None:
        return next((f for f in self.files if f.variant == variant), None)

    @property
    def is_ready(self) -> bool:
        return self.status == MediaStatus.READY


class MediaFile(db.Model):
    """One stored file of a media item: the storage key, never a path."""

    __tablename__ = "media_files"
    __table_args__ = (sa.UniqueConstraint("media_id", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[str] = mapped_column(sa.ForeignKey("media.id", ondelete="CASCADE"), index=True)
    variant: Mapped[str] = mapped_column(sa.String(16))
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    checksum: Mapped[str] = mapped_column(sa.String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]

    media: Mapped[Media] = relationship(back_populates="files")


class Attachment(db.Model):
    """A media item shown on the cover, the introduction or an "about me" item.

    Each target with rows of its own has a foreign key column, so deleting the target
    deletes its attachments in the database.
    """

    __tablename__ = "attachments"
    __table_args__ = (
        sa.UniqueConstraint("media_id", "target", "about_item_id", "goal_id", "step_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[str] = mapped_column(sa.ForeignKey("media.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
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


class Goal(db.Model):
    """What I want, why it matters to me, who helps me, when; with steps and a history."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    why: Mapped[str] = mapped_column(sa.Text, default="")
    helpers: Mapped[str] = mapped_column(sa.String(200), default="")
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
    steps: Mapped[list[Step]] = relationship(
        back_populates="goal",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Step.position, Step.id",
    )
    events: Mapped[list[ProgressEvent]] = relationship(
        back_populates="goal",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ProgressEvent.at, ProgressEvent.id",
    )


class Step(db.Model):
    """A part of a goal that can be ticked off."""

    __tablename__ = "steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.String(200))
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="steps")


class ProgressEvent(db.Model):
    """One dated change of a goal: the history behind its timeline and chart."""

    __tablename__ = "progress_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    progress: Mapped[int]  # the goal's progress (0-100) right after this change
    value: Mapped[str | None] = mapped_column(sa.String(200))  # step text, rating, status
    step_id: Mapped[int | None] = mapped_column(sa.ForeignKey("steps.id", ondelete="SET NULL"))
    media_id: Mapped[str | None] = mapped_column(sa.ForeignKey("media.id", ondelete="SET NULL"))

    goal: Mapped[Goal] = relationship(back_populates="events")


class ShareRole(enum.StrEnum):
    WORKER = "worker"  # begeleider: reads, comments, suggests
    VIEWER = "viewer"  # meekijker: reads only


class Share(db.Model):
    """One person's access to one plan: a role and the sections they may see."""

    __tablename__ = "shares"
    __table_args__ = (sa.UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10))
    label: Mapped[str] = mapped_column(sa.String(80), default="")  # "mijn begeleider Mo"
    sees_intro: Mapped[bool] = mapped_column(default=True)
    sees_about: Mapped[bool] = mapped_column(default=True)
    sees_media: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship()
    user: Mapped[User] = relationship()
    hidden_goals: Mapped[list[HiddenGoal]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def hidden_goal_ids(self) -> set[int]:
        return {h.goal_id for h in self.hidden_goals}


class HiddenGoal(db.Model):
    """A goal the young person keeps from one person they share with."""

    __tablename__ = "hidden_goals"

    share_id: Mapped[int] = mapped_column(
        sa.ForeignKey("shares.id", ondelete="CASCADE"), primary_key=True
    )
    goal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True
    )


class Invite(db.Model):
    """A one-time, expiring link that makes a share; only the token's hash is stored."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(10))
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship()


class AccessEvent(db.Model):
    """Who looked at, changed, exported or commented on what, and every refusal.

    Holds no content and no tokens: an action, a target like "goal:12", a time and a user.
    """

    __tablename__ = "access_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(16))
    target: Mapped[str] = mapped_column(sa.String(40), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User | None] = relationship()


class Comment(db.Model):
    """A reaction on a goal; replies point at the comment they answer."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    # A deleted supporter's comments stay, shown as from "verwijderd account".
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()
    goal: Mapped[Goal] = relationship()


class SuggestionStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Suggestion(db.Model):
    """A worker's proposed goal (goal_id empty) or step (for goal_id); the youth decides."""

    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("goals.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.String(200))
    why: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=SuggestionStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()


class WorkerRating(db.Model):
    """A support worker's own view of how a goal is going, shown beside the youth's."""

    __tablename__ = "worker_ratings"

    goal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    rating: Mapped[str] = mapped_column(sa.String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()


class ReadMark(db.Model):
    """Until when a person has read the comments on a goal (for unread markers)."""

    __tablename__ = "read_marks"

    goal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Meeting(db.Model):
    """A care meeting the young person records: its date marks "since the last meeting".

    `talking_points` holds up to three short texts ("waar wil ik het over hebben?");
    `choices` what the young person put in the meeting version of their PDF (sections,
    goal ids, comments), which also narrows the meeting PDF someone else downloads.
    """

    __tablename__ = "meetings"
    __table_args__ = (sa.UniqueConstraint("plan_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    talking_points: Mapped[list] = mapped_column(sa.JSON, default=list)
    choices: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
