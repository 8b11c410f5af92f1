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
from .models import AboutItem, Goal, Media, Plan, Step, User


class Section(enum.StrEnum):
    COVER = "cover"
    INTRO = "intro"
    ABOUT = "about"
    MEDIA = "media"
    GOALS = "goals"


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


def get_goal(goal_id: int, action: Action = Action.VIEW) -> Goal:
    """Load a goal the current user may see (or change), or abort with 404."""
    goal = db.session.get(Goal, goal_id)
    if goal is None or not can(current_user, goal.plan, Section.GOALS, action):
        abort(404)
    return goal


def get_step(step_id: int, action: Action = Action.VIEW) -> Step:
    """Load a step the current user may see (or change), or abort with 404."""
    step = db.session.get(Step, step_id)
    if step is None or not can(current_user, step.goal.plan, Section.GOALS, action):
        abort(404)
    return step


def can_see_media(user: User | None, media: Media) -> bool:
    """Say whether `user` may load a photo or video.

    It is visible when it is attached to a section the user may see, or sits in the gallery
    and the user may see photos and videos. (The owner sees all of them.)
    """
    plan = media.plan
    if can(user, plan, Section.MEDIA):
        return True
    sections = {
        "cover": Section.COVER,
        "intro": Section.INTRO,
        "about": Section.ABOUT,
        "goal": Section.GOALS,
        "step": Section.GOALS,
    }
    return any(can(user, plan, sections[a.target]) for a in media.attachments)


def get_media(media_id: str, action: Action = Action.VIEW) -> Media:
    """Load a photo or video the current user may see (or, for EDIT, change), or abort 404."""
    media = db.session.get(Media, media_id) if len(media_id) <= 32 else None
    if media is None:
        abort(404)
    if action == Action.EDIT:
        allowed = can(current_user, media.plan, Section.MEDIA, Action.EDIT)
    else:
        allowed = can_see_media(current_user, media)
    if not allowed:
        abort(404)
    return media


def own_plan_id(user: User) -> int | None:
    """Return the id of the plan `user` owns, if any."""
    return db.session.scalar(sa.select(Plan.id).where(Plan.owner_id == user.id))
