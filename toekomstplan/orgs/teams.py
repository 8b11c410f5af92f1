"""What a team lead sees of their team: counts, never a young person's name or plan.

How many plans each member of the team has (shares given through their place), and how many
young people the team worked with have no active worker of the team any more: their share
through the team ended (the audit log keeps that, as ids) and none has been given since.
Two queries, however big the team.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import AuditRecord, Membership, Plan, Share, Team, User
from ..models.organisations import membership_teams


@dataclass(frozen=True)
class MemberCount:
    name: str
    role: str
    plans: int


@dataclass(frozen=True)
class TeamCounts:
    team: Team
    members: list[MemberCount]
    without_worker: int  # young people whose share through the team ended, with none since


def counts(team: Team) -> TeamCounts:
    places = (
        sa.select(Membership.id)
        .join(membership_teams, membership_teams.c.membership_id == Membership.id)
        .where(membership_teams.c.team_id == team.id)
    )
    rows = db.session.execute(
        sa.select(
            User.name,
            Membership.role,
            Membership.user_id,
            sa.func.count(sa.distinct(Share.plan_id)),
        )
        .join(User, User.id == Membership.user_id)
        .outerjoin(Share, Share.membership_id == Membership.id)
        .where(Membership.id.in_(places), Membership.active.is_(True))
        .group_by(Membership.id, User.name, Membership.role, Membership.user_id)
        .order_by(User.name)
    ).all()
    members = [MemberCount(name, role, plans) for name, role, _, plans in rows]
    team_people = sa.select(Membership.user_id).where(Membership.id.in_(places))
    ended = (
        sa.select(AuditRecord.plan_id)
        .join(Plan, Plan.id == AuditRecord.plan_id)  # a plan deleted since is nobody's now
        .where(
            AuditRecord.organisation_id == team.organisation_id,
            AuditRecord.event == "share_ended",
            AuditRecord.subject_id.in_(team_people),
        )
    )
    served = sa.select(Share.plan_id).where(
        Share.membership_id.in_(places.where(Membership.active.is_(True)))
    )
    left = ended.where(AuditRecord.plan_id.not_in(served)).distinct().subquery()
    without = db.session.scalar(sa.select(sa.func.count()).select_from(left))
    return TeamCounts(team, members, without or 0)
