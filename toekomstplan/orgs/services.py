"""Organisations: creating one, membership invitations, and what a share says of its member.

Every change is written to the organisation's own audit log (`audit`), in the transaction
of the change itself.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import conditional, mail
from ..access import workers
from ..extensions import db
from ..models import (
    AuditRecord,
    MemberRole,
    Membership,
    MembershipInvite,
    Organisation,
    Share,
    Team,
    User,
)
from ..models.organisations import ORG_NAME_MAX
from ..text import clean_line
from ..tokens import digest, new_token
from ..urls import external_url

INVITE_DAYS = 7


class OrgProblem(Exception):
    """Something the caller should tell in plain words: `reason` names it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def audit(
    org_id: int,
    event: str,
    *,
    actor_id: int | None = None,
    on_behalf_of: str = "organisation",
    subject_id: int | None = None,
    plan_id: int | None = None,
    detail: str = "",
) -> None:
    """Add a line to the organisation's audit log, in the caller's transaction."""
    db.session.add(
        AuditRecord(
            organisation_id=org_id,
            event=event,
            actor_id=actor_id,
            on_behalf_of=on_behalf_of,
            subject_id=subject_id,
            plan_id=plan_id,
            detail=detail[:40],
        )
    )


def create_organisation(name: str, admin_email: str) -> tuple[Organisation, str]:
    """Make an organisation and mail its first admin an invitation (the operator's command);
    return it with the invitation link. Nothing is kept when the mail cannot go."""
    name = clean_line(name, ORG_NAME_MAX)
    if not name:
        raise OrgProblem("no_name")
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name)):
        raise OrgProblem("taken")
    org = Organisation(name=name)
    db.session.add(org)
    db.session.flush()
    audit(org.id, "organisation_created", on_behalf_of="operator")
    link = invite_member(org, admin_email, MemberRole.ADMIN, on_behalf_of="operator")
    return org, link


def invite_member(
    org: Organisation,
    email: str,
    role: str,
    *,
    team: Team | None = None,
    actor_id: int | None = None,
    on_behalf_of: str = "organisation",
) -> str:
    """Mail a one-time link, valid for seven days, that makes the owner of `email` a member
    with `role`; return the link (only its hash is stored). Committed once the mail went."""
    email = clean_line(email, 254).lower()
    if "@" not in email:
        raise OrgProblem("no_email")
    role = role if role in set(MemberRole) else MemberRole.WORKER
    token = new_token()
    invite = MembershipInvite(
        organisation_id=org.id,
        token_hash=digest(token),
        email=email,
        role=role,
        team_id=team.id if team else None,
        expires_at=datetime.now(UTC) + timedelta(days=INVITE_DAYS),
    )
    db.session.add(invite)
    audit(org.id, "member_invited", actor_id=actor_id, on_behalf_of=on_behalf_of, detail=role)
    db.session.flush()
    link = external_url("orgs.join", member_token=token)
    try:
        mail.send(
            email,
            _("Join %(org)s in Toekomstplan", org=org.name),
            "member_invite",
            org=org.name,
            url=link,
            days=INVITE_DAYS,
        )
    except mail.NotSent:
        db.session.rollback()
        raise
    db.session.commit()
    return link


def find_invite(token: str) -> MembershipInvite:
    """Return the membership invitation of a link, or raise OrgProblem "unknown", "used"
    or "expired"."""
    invite, problem = conditional.find_link(MembershipInvite, token)
    if invite is None:
        raise OrgProblem(problem or "unknown")
    return invite


def accept_invite(invite: MembershipInvite, user: User) -> Membership:
    """Make `user` a member as the invitation says; the link is used up (a conditional
    update: of two taps at once, one makes the membership). A deactivated member invited
    again is active again. Anything the caller added (a new account) is committed with it."""
    if not conditional.claim_link(MembershipInvite, invite.id):
        db.session.rollback()
        raise OrgProblem("used")
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == invite.organisation_id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(organisation_id=invite.organisation_id, user_id=user.id)
        db.session.add(membership)
    membership.role, membership.active, membership.deactivated_at = invite.role, True, None
    if invite.team is not None and invite.team not in membership.teams:
        membership.teams.append(invite.team)
    audit(invite.organisation_id, "member_joined", actor_id=user.id, subject_id=user.id)
    db.session.commit()
    return membership


def current_membership(user: User) -> Membership | None:
    """The active place `user` has in an organisation (the oldest, if several), or None."""
    return workers.start_link_place(user)


def verified_place(share: Share) -> Membership | None:
    """The active membership a share was given through: what the young person sees as
    "begeleider bij Jeugdformaat"; None for a person without an organisation."""
    membership = share.membership
    return membership if membership is not None and membership.active else None
