"""Organisation questions: who may take a place in an organisation, who manages whom.

An organisation manages its people, never plans: nothing here opens a plan. Whether a member
sees a plan is decided by the plan rules (`access.can`): only when the young person shared it
with that person. Anything refused is a 404, as with plans: an organisation's existence is
not revealed to outsiders.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user

from ..extensions import db
from ..models import (
    ExternalLogin,
    MemberRole,
    Membership,
    MembershipInvite,
    Notice,
    Organisation,
    StandInAsk,
    Team,
    User,
)
from ..models.organisations import membership_teams
from . import _refuse, workers


def may_join(user: User, invite: MembershipInvite) -> bool:
    """Say whether `user` may take a membership invitation: it is for the address it was sent
    to, and never for a young person (a young person's account is never an organisation's)."""
    return not user.is_youth and (user.email or "").lower() == invite.email.lower()


def _admin_place(user: User, org_id: int) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == org_id,
            Membership.user_id == user.id,
            Membership.active.is_(True),
            Membership.role == MemberRole.ADMIN,
        )
    )


def admin_organisations(user: User) -> list[Organisation]:
    """The organisations `user` is an active admin of (for the menu)."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(
                Membership.user_id == user.id,
                Membership.active.is_(True),
                Membership.role == MemberRole.ADMIN,
            )
            .order_by(Organisation.name)
        )
    )


def get_admin_org(org_id: int) -> Organisation:
    """Load an organisation the current user is an active admin of, or abort with 404."""
    org = db.session.get(Organisation, org_id)
    if org is None or _admin_place(current_user, org.id) is None:
        _refuse(None)
    return org


def get_member(membership_id: int) -> Membership:
    """Load a membership of an organisation the current user administers, or abort 404."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or _admin_place(current_user, membership.organisation_id) is None:
        _refuse(None)
    return membership


def get_notice(notice_id: int) -> Notice:
    """Load a notice meant for the current user, or abort with 404."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or not current_user.is_authenticated or notice.user_id != current_user.id:
        _refuse(None)
    return notice


def get_stand_in_ask(ask_id: int) -> StandInAsk:
    """Load a stand-in question about the current user's own plan, or abort with 404."""
    ask = db.session.get(StandInAsk, ask_id)
    if ask is None or not current_user.is_authenticated or ask.plan.owner_id != current_user.id:
        _refuse(None)
    return ask


def get_leave_place(org_id: int | None = None) -> Membership:
    """The current user's active place (in organisation `org_id`, or their first), from
    which they can ask for a stand-in, or 404."""
    if org_id is not None:
        return get_own_place(org_id)
    place = workers.start_link_place(current_user) if current_user.is_authenticated else None
    if place is None:
        _refuse(None)
    return place


def own_places(user: User) -> list[Membership]:
    """Every active place of `user`, oldest first (to choose which one a page is about)."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.user_id == user.id, Membership.active.is_(True))
            .order_by(Membership.id)
        )
    )


def get_own_place(org_id: int) -> Membership:
    """The current user's active place in an organisation (to link their log-in), or 404.
    A young person never has one."""
    place = db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == org_id,
            Membership.user_id == current_user.id,
            Membership.active.is_(True),
        )
    )
    if place is None or current_user.is_youth:
        _refuse(None)
    return place


def sso_required_by(user: User) -> tuple[Organisation, bool] | None:
    """The organisation whose members must log in through it, if `user` is one, and whether
    they linked their work account there: a linked member's password log-in is refused; one
    who has not linked yet logs in once more with the password, to link (never a young
    person: they always log in with their own account)."""
    if user.is_youth:
        return None
    org = db.session.scalar(
        sa.select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(
            Membership.user_id == user.id,
            Membership.active.is_(True),
            Organisation.requires_sso.is_(True),
            Organisation.oidc_issuer.is_not(None),
        )
        .limit(1)
    )
    if org is None:
        return None
    linked = db.session.scalar(
        sa.select(ExternalLogin.id).where(
            ExternalLogin.user_id == user.id, ExternalLogin.issuer == org.oidc_issuer
        )
    )
    return org, linked is not None


def led_teams(user: User) -> list[Team]:
    """The teams `user` leads as an active team lead (for the menu)."""
    if not getattr(user, "is_authenticated", False) or user.is_youth:
        return []
    return list(
        db.session.scalars(
            sa.select(Team)
            .join(membership_teams, membership_teams.c.team_id == Team.id)
            .join(Membership, Membership.id == membership_teams.c.membership_id)
            .where(
                Membership.user_id == user.id,
                Membership.active.is_(True),
                Membership.role == MemberRole.TEAM_LEAD,
            )
            .order_by(Team.name)
        )
    )


def get_led_team(team_id: int) -> Team:
    """Load a team the current user leads (or, as admin, manages), or abort with 404. What a
    team lead sees of it are counts: never a young person's name or plan."""
    team = db.session.get(Team, team_id)
    if team is None or not (
        team in led_teams(current_user) or _admin_place(current_user, team.organisation_id)
    ):
        _refuse(None)
    return team
