"""What the plan home shows to one person, built here so the template only shows it."""

from __future__ import annotations

from dataclasses import dataclass

from .. import access
from ..access import Action, Section, workers
from ..comments import services as comment_services
from ..extensions import db
from ..goals import services as goal_services
from ..media import services as media_services
from ..models import AboutItem, Goal, Media, Plan, Share, User
from . import services


@dataclass(frozen=True)
class HomePage:
    plan: Plan
    sees: dict[str, bool]  # which sections this person sees
    can_edit: bool
    helps_reset: bool  # a worker, who may make a password code for the young person
    ends_care: bool  # a worker through an organisation, who may mark the help finished
    preview: Share | None  # the young person looking as someone they share with
    cover: Media | None
    intro_media: list[Media]
    about: dict[str, list[AboutItem]]  # qualities, talents, hobbies
    about_media: dict[int, list[Media]]
    recent_media: list[Media]
    goals: goal_services.Overview


@dataclass(frozen=True)
class News:
    """What is new for this person since they last looked: reactions, suggestions."""

    unread: list[tuple[Goal, int]]  # goals with reactions this person has not read
    suggestions: int  # suggestions waiting for the young person to decide

    def __bool__(self) -> bool:
        return bool(self.unread or self.suggestions)


def news(plan: Plan, viewer: User) -> News:
    """Return what is new for `viewer` in `plan` (two queries; never cached into a page)."""
    if not access.can(viewer, plan, Section.REACTIONS):
        return News([], 0)
    # Only the young person decides on suggestions, so only they are told of them.
    decides = access.is_owner(viewer, plan)
    counts, waiting = comment_services.news_counts(viewer, plan, suggestions=decides)
    goals = [g for goal_id in counts if (g := db.session.get(Goal, goal_id))]
    visible = access.visible_goals(viewer, plan, sorted(goals, key=lambda g: g.position))
    return News([(g, counts[g.id]) for g in visible], waiting)


def home_page(plan: Plan, viewer: User, preview: Share | None) -> HomePage:
    """Return the plan home as `viewer` may see it (queries the same however big the plan)."""
    shown = media_services.attached(plan)
    goals = access.visible_goals(viewer, plan, goal_services.load_goals(plan))
    return HomePage(
        plan=plan,
        sees=access.sections_for(viewer, plan),
        can_edit=access.can(viewer, plan, Section.COVER, Action.EDIT),
        helps_reset=workers.may_help_reset(viewer, plan),
        ends_care=workers.care_place(viewer, plan) is not None,
        preview=preview,
        cover=shown.cover if shown.cover and access.can_see_media(viewer, shown.cover) else None,
        intro_media=[m for m in shown.intro if access.can_see_media(viewer, m)],
        about=services.group_about_items(plan.about_items),
        about_media={
            item_id: [m for m in items if access.can_see_media(viewer, m)]
            for item_id, items in shown.about.items()
        },
        # A photo that is only evidence on a goal hidden from this person stays out.
        recent_media=[m for m in shown.recent if access.can_see_media(viewer, m)],
        goals=goal_services.overview(goals),
    )
