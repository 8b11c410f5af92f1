"""What an organisation admin does: teams, roles, and ending a member's place.

Each change is written to the organisation's audit log in its own transaction. Ending a
place (`deactivate`) ends, at once, the person's sessions and every share they hold through
it, and tells each young person concerned on their plan home.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from .. import access_log, pagecache
from ..auth import sessions
from ..extensions import db
from ..models import (
    MemberRole,
    Membership,
    Notice,
    Organisation,
    Share,
    Team,
    User,
)
from ..models.organisations import TEAM_NAME_MAX
from ..text import clean_line
from .services import OrgProblem, audit

TEAMS_MAX = 100


def create_team(org: Organisation, name: str, actor: User) -> Team:
    name = clean_line(name, TEAM_NAME_MAX)
    if not name:
        raise OrgProblem("no_name")
    if any(team.name.lower() == name.lower() for team in org.teams):
        raise OrgProblem("taken")
    if len(org.teams) >= TEAMS_MAX:
        raise OrgProblem("full")
    team = Team(organisation_id=org.id, name=name)
    db.session.add(team)
    db.session.flush()
    audit(org.id, "team_created", actor_id=actor.id, detail=f"team:{team.id}")
    db.session.commit()
    return team


def members(org: Organisation) -> list[Membership]:
    """Everyone with a place in `org`, active ones first, by name."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organisation_id == org.id)
            .order_by(Membership.active.desc(), User.name)
        )
    )


def _other_active_admins(membership: Membership) -> int:
    count = db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.organisation_id == membership.organisation_id,
            Membership.role == MemberRole.ADMIN,
            Membership.active.is_(True),
            Membership.id != membership.id,
        )
    )
    return count or 0


def lock(org_id: int) -> None:
    """Hold the organisation's row until commit (a write that changes nothing): two admins
    acting at once cannot both take away the other one's admin place."""
    db.session.execute(
        sa.update(Organisation).where(Organisation.id == org_id).values(name=Organisation.name)
    )


def change(membership: Membership, role: str, team_ids: set[int], actor: User) -> None:
    """Give a member another role and other teams; the last admin stays admin."""
    if role not in set(MemberRole):
        raise OrgProblem("no_role")
    lock(membership.organisation_id)
    if membership.role == MemberRole.ADMIN and role != MemberRole.ADMIN:
        if not _other_active_admins(membership):
            db.session.rollback()
            raise OrgProblem("last_admin")
    org_teams = {team.id: team for team in membership.organisation.teams}
    if role != membership.role:
        audit(
            membership.organisation_id,
            "role_changed",
            actor_id=actor.id,
            subject_id=membership.user_id,
            detail=f"role:{role}",
        )
    membership.role = role
    chosen = [org_teams[i] for i in sorted(team_ids & set(org_teams))]
    if {t.id for t in chosen} != {t.id for t in membership.teams}:
        audit(
            membership.organisation_id,
            "teams_changed",
            actor_id=actor.id,
            subject_id=membership.user_id,
            detail="teams:" + ",".join(str(t.id) for t in chosen),
        )
    membership.teams = chosen
    db.session.commit()


def deactivate(membership: Membership, actor: User, event: str = "member_deactivated") -> int:
    """End a member's place: their sessions and every share they hold through it end at once,
    and each young person concerned is told. Return how many plans were concerned."""
    lock(membership.organisation_id)
    if membership.role == MemberRole.ADMIN and not _other_active_admins(membership):
        db.session.rollback()
        raise OrgProblem("last_admin")
    plans = _end_place(membership, actor.id, "left_organisation")
    audit(membership.organisation_id, event, actor_id=actor.id, subject_id=membership.user_id)
    db.session.commit()
    return plans


def _end_place(membership: Membership, actor_id: int | None, notice: str) -> int:
    """End a place in the caller's transaction (see `deactivate`); return the plans told."""
    shares = list(db.session.scalars(sa.select(Share).where(Share.membership_id == membership.id)))
    on_behalf_of = "organisation" if actor_id else "operator"
    for share in shares:
        access_log.record(share.plan_id, share.user_id, "revoked", "organisation")
        audit(
            membership.organisation_id,
            "share_ended",
            actor_id=actor_id,
            on_behalf_of=on_behalf_of,
            subject_id=membership.user_id,
            plan_id=share.plan_id,
        )
        db.session.add(
            Notice(
                user_id=share.plan.owner_id,
                kind=notice,
                person_id=membership.user_id,
                organisation_id=membership.organisation_id,
            )
        )
        pagecache.plan_changed(share.plan_id)
        db.session.delete(share)
    if membership.active:
        membership.active = False
        membership.deactivated_at = datetime.now(UTC)
        sessions.end_all(membership.user)
    return len(shares)


def delete_organisation(org: Organisation, actor: User | None) -> int:
    """Delete an organisation: every member's place ends as in `deactivate` (sessions, shares
    through it, each young person told), then its teams, places and links go with it. No
    plan is touched; the audit log stays. Return how many plans were concerned."""
    lock(org.id)
    plans = sum(
        _end_place(m, actor.id if actor else None, "organisation_ended") for m in org.memberships
    )
    audit(
        org.id,
        "organisation_deleted",
        actor_id=actor.id if actor else None,
        on_behalf_of="organisation" if actor else "operator",
    )
    db.session.delete(org)
    db.session.commit()
    return plans


def change_settings(org: Organisation, requires_two_step: bool, actor: User) -> None:
    if org.requires_two_step != requires_two_step:
        org.requires_two_step = requires_two_step
        audit(org.id, "settings_changed", actor_id=actor.id, detail=f"two_step:{requires_two_step}")
    db.session.commit()


def counts(org: Organisation) -> tuple[int, int]:
    """How many active members, and how many plans shared through them (for the warning)."""
    active = [m.id for m in org.memberships if m.active]
    plans = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Share.plan_id))).where(Share.membership_id.in_(active))
    )
    return len(active), plans or 0


def notices_for(user: User) -> list[Notice]:
    """What the young person has not dismissed yet, newest first."""
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(Notice.user_id == user.id, Notice.seen_at.is_(None))
            .order_by(Notice.id.desc())
            .limit(10)
        )
    )


def dismiss(notice: Notice) -> None:
    notice.seen_at = datetime.now(UTC)
    db.session.commit()
