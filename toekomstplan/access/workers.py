"""What a worker may do for a young person beside the plan pages.

A worker (a share with the role worker, whatever organisation they are in) may make a
one-time password code for the young person who shares with them. No organisation role leads
to it: an admin or team lead without such a share gets a 404 like anyone else.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user

from .. import ids
from ..extensions import db
from ..models import Membership, Plan, ShareRole, User
from . import _refuse, is_owner, share_of


def may_help_reset(user: User | None, plan: Plan) -> bool:
    """Say whether `user` may make a password code for `plan`'s young person."""
    if user is None or is_owner(user, plan):
        return False
    share = share_of(user, plan)
    return share is not None and share.role == ShareRole.WORKER and plan.owner.is_youth


def get_plan_to_help(plan_id: int) -> Plan:
    """Load a plan whose young person the current user may help with a password, or 404."""
    plan = db.session.get(Plan, plan_id) if ids.fits(plan_id) else None
    if plan is None or not may_help_reset(current_user, plan):
        _refuse(plan)
    return plan


def start_link_place(user: User | None) -> Membership | None:
    """The active membership through which `user` may give a young person a start link
    (a worker or team lead, not only an admin), or None."""
    if user is None or not getattr(user, "is_authenticated", False) or user.is_youth:
        return None
    return db.session.scalar(
        sa.select(Membership)
        .where(Membership.user_id == user.id, Membership.active.is_(True))
        .order_by(Membership.id)
        .limit(1)
    )


def get_start_link_place() -> Membership:
    """The current user's active membership to make a start link with, or abort with 404."""
    membership = start_link_place(current_user)
    if membership is None:
        _refuse(None)
    return membership


def care_place(user: User | None, plan: Plan) -> Membership | None:
    """The active organisation place through which `user`, a worker, shares `plan`: the
    help they may mark as finished (orgs/care.py), or None."""
    if user is None or is_owner(user, plan):
        return None
    share = share_of(user, plan)
    if share is None or share.role != ShareRole.WORKER or share.membership is None:
        return None
    return share.membership if share.membership.active else None


def get_plan_to_end_care(plan_id: int) -> tuple[Plan, Membership]:
    """Load a plan whose help through their organisation the current user may mark as
    finished, with that place, or 404."""
    plan = db.session.get(Plan, plan_id) if ids.fits(plan_id) else None
    place = care_place(current_user, plan) if plan is not None else None
    if plan is None or place is None:
        _refuse(plan)
    return plan, place
