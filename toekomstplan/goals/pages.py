"""What the goal pages show to one person, built here so templates only show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .. import access
from ..access import Action, Section
from ..comments import services as comment_services
from ..media import services as media_services
from ..models import Goal, Media, Plan, ProgressEvent, Suggestion, User, WorkerRating
from . import chart, services
from .evidence import Evidence, shown_on


@dataclass(frozen=True)
class Abilities:
    """What the person looking may do here."""

    is_owner: bool
    can_edit: bool
    can_comment: bool
    can_suggest: bool
    sees_reactions: bool  # the conversation: reactions, suggestions, workers' views


def _abilities(viewer: User, plan: Plan, goal: Goal | None = None) -> Abilities:
    return Abilities(
        is_owner=access.is_owner(viewer, plan),
        can_edit=access.can(viewer, plan, Section.GOALS, Action.EDIT, goal),
        can_comment=access.can(viewer, plan, Section.GOALS, Action.COMMENT, goal),
        can_suggest=access.can(viewer, plan, Section.GOALS, Action.SUGGEST, goal),
        sees_reactions=access.can(viewer, plan, Section.REACTIONS),
    )


@dataclass(frozen=True)
class GoalsPage:
    plan: Plan
    may: Abilities
    summary: services.Overview
    unread: dict[int, int]  # new reactions per goal, for this person
    suggestions: list[Suggestion]  # suggested goals waiting for the young person


def goals_page(plan: Plan, viewer: User) -> GoalsPage:
    """Return the goals list as `viewer` may see it."""
    goals = access.visible_goals(viewer, plan, services.load_goals(plan))
    may = _abilities(viewer, plan)
    talk = may.sees_reactions
    return GoalsPage(
        plan=plan,
        may=may,
        summary=services.overview(goals),
        unread=comment_services.unread_counts(viewer, [g.id for g in goals]) if talk else {},
        suggestions=comment_services.pending(plan) if talk else [],
    )


@dataclass(frozen=True)
class GoalPage:
    goal: Goal
    plan: Plan
    may: Abilities
    progress: int
    events: list[ProgressEvent]  # newest first
    chart: chart.Chart | None
    evidence: Evidence
    photos: list[Media]  # photos the young person may add as evidence
    thread: list
    suggestions: list[Suggestion]  # suggested steps waiting for the young person
    ratings: list[WorkerRating]  # workers' views this person may read
    my_rating: WorkerRating | None  # this worker's own view
    estimates: tuple[int, ...]
    unread: set[int]  # reactions this person has not seen before this visit


def goal_page(goal: Goal, viewer: User) -> GoalPage:
    """Return one goal's page as `viewer` may see it."""
    plan = goal.plan
    may = _abilities(viewer, plan, goal)
    events = services.timeline(goal)
    talk = may.sees_reactions
    ratings = comment_services.worker_ratings(goal) if talk else []
    return GoalPage(
        goal=goal,
        plan=plan,
        may=may,
        progress=services.progress(goal),
        events=events,
        chart=chart.progress_chart(events, datetime.now(UTC)),
        evidence=shown_on(goal).keep(lambda m: access.can_see_media(viewer, m)),
        photos=media_services.cover_choices(plan) if may.can_edit else [],
        thread=comment_services.thread(goal) if talk else [],
        suggestions=comment_services.pending(plan, goal) if talk else [],
        ratings=[r for r in ratings if may.is_owner or not access.belongs_to(viewer, r)],
        my_rating=next((r for r in ratings if access.belongs_to(viewer, r)), None),
        estimates=services.ESTIMATES,
        unread=comment_services.unread_ids(viewer, goal) if talk else set(),
    )
