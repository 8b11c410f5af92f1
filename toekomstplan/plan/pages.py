"""What the plan home shows to one person, built here so the template only shows it."""

from __future__ import annotations

from dataclasses import dataclass

from .. import access
from ..access import Action, Section
from ..goals import services as goal_services
from ..media import services as media_services
from ..models import AboutItem, Media, Plan, Share, User
from . import services


@dataclass(frozen=True)
class HomePage:
    plan: Plan
    sees: dict[str, bool]  # which sections this person sees
    can_edit: bool
    preview: Share | None  # the young person looking as someone they share with
    cover: Media | None
    intro_media: list[Media]
    about: dict[str, list[AboutItem]]  # qualities, talents, hobbies
    about_media: dict[int, list[Media]]
    recent_media: list[Media]
    goals: goal_services.Overview


def home_page(plan: Plan, viewer: User, preview: Share | None) -> HomePage:
    """Return the plan home as `viewer` may see it (queries the same however big the plan)."""
    shown = media_services.attached(plan)
    goals = access.visible_goals(viewer, plan, goal_services.load_goals(plan))
    return HomePage(
        plan=plan,
        sees=access.sections_for(viewer, plan),
        can_edit=access.can(viewer, plan, Section.COVER, Action.EDIT),
        preview=preview,
        cover=shown.cover,
        intro_media=shown.intro,
        about=services.group_about_items(plan.about_items),
        about_media=shown.about,
        # A photo that is only evidence on a goal hidden from this person stays out.
        recent_media=[m for m in shown.recent if access.can_see_media(viewer, m)],
        goals=goal_services.overview(goals),
    )
