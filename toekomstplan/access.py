"""Who may see or change which section of which plan: the one place that decides.

Every view asks this module. Today only the owner has access; the sharing work adds
supporters with a role and visible sections here, and nowhere else.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from .extensions import db
from .models import AboutItem, Plan, User


class Section(enum.StrEnum):
    COVER = "cover"
    INTRO = "intro"
    ABOUT = "about"


class Action(enum.StrEnum):
    VIEW = "view"
    EDIT = "edit"


def can(user: User | None, plan: Plan, section: Section, action: Action = Action.VIEW) -> bool:
    """Say whether `user` may do `action` on `section` of `plan`."""
    if user is None or not user.is_authenticated:
        return False
    return plan.owner_id == user.id


def get_plan(plan_id: int, section: Section = Section.COVER, action: Action = Action.VIEW) -> Plan:
    """Load a plan the current user may access for `section`, or abort with 404."""
    # The session loader already put the user's own plan in the identity map: no query then.
    plan = db.session.get(Plan, plan_id)
    if plan is None or not can(current_user, plan, section, action):
        abort(404)
    return plan


def get_about_item(item_id: int, action: Action = Action.VIEW) -> AboutItem:
    """Load an "about me" item the current user may access, or abort with 404."""
    item = db.session.get(AboutItem, item_id)
    if item is None or not can(current_user, item.plan, Section.ABOUT, action):
        abort(404)
    return item


def own_plan_id(user: User) -> int | None:
    """Return the id of the plan `user` owns, if any."""
    return db.session.scalar(sa.select(Plan.id).where(Plan.owner_id == user.id))
