"""Organisations: the youth-care organisation, its teams, its people and its own log.

An organisation manages its people, never plans: nothing here points at a plan except the
share a young person gave a member (`Share.membership_id`) and the ids in the audit log.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import IntPk, UTCDateTime, owned, utcnow

if TYPE_CHECKING:
    from .accounts import User
    from .sharing import Share

ORG_NAME_MAX = 80
TEAM_NAME_MAX = 60


class MemberRole(enum.StrEnum):
    WORKER = "worker"  # medewerker: is invited by young people, like any supporter
    TEAM_LEAD = "team_lead"  # teamleider: a worker who sees their teams' members
    ADMIN = "admin"  # beheerder: manages teams and members, never plans


def _org_ref(index: bool = True):
    return mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=index)


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[IntPk]
    name: Mapped[str] = mapped_column(sa.String(ORG_NAME_MAX), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Its members must log in with two steps (a code from an app) before anything else.
    requires_two_step: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Its own OpenID provider: members log in "via Jeugdformaat". The client secret is kept
    # encrypted (orgs/sso.py) and never shown again.
    oidc_issuer: Mapped[str | None] = mapped_column(sa.String(255))
    oidc_client_id: Mapped[str | None] = mapped_column(sa.String(255))
    oidc_secret: Mapped[str | None] = mapped_column(sa.Text)
    # Then its members may not log in with a password (young people always may).
    requires_sso: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def has_sso(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_secret)

    teams: Mapped[list[Team]] = owned("organisation", order_by="Team.name")
    memberships: Mapped[list[Membership]] = owned("organisation")


membership_teams = sa.Table(
    "membership_teams",
    Model.metadata,
    sa.Column(
        "membership_id",
        sa.ForeignKey("memberships.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("team_id", sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class Team(Model):
    __tablename__ = "teams"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    id: Mapped[IntPk]
    organisation_id: Mapped[int] = _org_ref()
    name: Mapped[str] = mapped_column(sa.String(TEAM_NAME_MAX))

    organisation: Mapped[Organisation] = relationship(back_populates="teams")


class Membership(Model):
    """A person's place in an organisation; deactivated, it gives nothing any more."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[IntPk]
    organisation_id: Mapped[int] = _org_ref()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(12), default=MemberRole.WORKER)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
    teams: Mapped[list[Team]] = relationship(secondary=membership_teams, order_by="Team.name")


class MembershipInvite(Model):
    """A one-time, expiring link that makes someone a member; only the token's hash is kept."""

    __tablename__ = "membership_invites"

    id: Mapped[IntPk]
    organisation_id: Mapped[int] = _org_ref()
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(12), default=MemberRole.WORKER)
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    team: Mapped[Team | None] = relationship()


class ExternalLogin(Model):
    """An account's link to a person at an organisation's OpenID provider, keyed on the
    provider's (issuer, subject), never on an e-mail address. Made once by the member
    themself, logged in; a young person's account is never linked."""

    __tablename__ = "external_logins"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)

    id: Mapped[IntPk]
    organisation_id: Mapped[int] = _org_ref()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(sa.String(255))
    subject: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StartLink(Model):
    """A one-time, expiring link a worker gives a young person: they make their account (or
    log in) and, after seeing and confirming what the worker will see, share their plan with
    that worker through this membership. Only the token's hash is kept."""

    __tablename__ = "start_links"

    id: Mapped[IntPk]
    membership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    membership: Mapped[Membership] = relationship()


class AuditRecord(Model):
    """One line of an organisation's own log (NEN 7513): what happened, when, to which plan,
    by which person, on whose behalf. Ids only, never content, and no foreign keys: the law
    wants it to outlast the plan and the person, so no deletion cascades into it (the one
    documented exception to "deleting an account leaves nothing": it holds no name, address
    or text of theirs)."""

    __tablename__ = "audit_records"

    id: Mapped[IntPk]
    organisation_id: Mapped[int] = mapped_column(index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    event: Mapped[str] = mapped_column(sa.String(32))
    actor_id: Mapped[int | None]  # the person who acted (a user id)
    on_behalf_of: Mapped[str] = mapped_column(sa.String(16))  # "organisation", "operator"
    subject_id: Mapped[int | None]  # the person it was about (a user id)
    plan_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(sa.String(40), default="")  # "role:admin", "team:3"


class Notice(Model):
    """Something a young person is told once on their plan home: a person who worked with
    them left their organisation and can no longer see the plan, a share ends soon or ended.
    Names are read when shown (a person or organisation deleted since is told of without a
    name)."""

    __tablename__ = "notices"

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(24))  # "left_organisation"
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    # The share a notice is about ("ends soon": extend it here); goes with the share.
    share_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("shares.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    organisation: Mapped[Organisation | None] = relationship()
    share: Mapped[Share | None] = relationship()
