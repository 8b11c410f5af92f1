"""Goals and steps: progress, rating, status, history and evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import conditional, ids, limits, pagecache, positions
from ..extensions import db
from ..limits import LimitReached
from ..models import (
    EventKind,
    Goal,
    GoalStatus,
    Plan,
    ProgressEvent,
    Rating,
    Step,
)
from ..models.goals import STEP_TEXT_MAX
from ..text import clean_line

GOALS_MAX = 30
STEPS_MAX = 20
ESTIMATES = (0, 25, 50, 75, 100)


class Conflict(Exception):
    """The goal changed since the form was opened (another device saved first)."""

    def __init__(self, goal: Goal):
        super().__init__(goal.id)
        self.goal = goal


# Progress arithmetic


def progress(goal: Goal) -> int:
    """Return how far a goal is, 0-100: achieved is 100, else its steps, else the estimate."""
    if goal.status == GoalStatus.ACHIEVED:
        return 100
    if goal.steps:
        done = sum(1 for step in goal.steps if step.done)
        return round(100 * done / len(goal.steps))
    return goal.estimate


@dataclass(frozen=True)
class Overview:
    active: list[Goal]
    paused: list[Goal]
    achieved: list[Goal]
    overall: int  # mean progress of active and achieved goals (paused ones wait)
    going_well: int  # active goals the young person rates "gaat goed"
    progress: dict[Goal, int]  # every goal's own progress
    unrated: int = 0  # active goals without a rating yet (not goals that go badly)

    @property
    def counted(self) -> int:
        return len(self.active) + len(self.achieved)


def overview(goals: list[Goal]) -> Overview:
    """Sort goals by status and sum up how far the plan is."""
    active = [g for g in goals if g.status == GoalStatus.ACTIVE]
    paused = [g for g in goals if g.status == GoalStatus.PAUSED]
    achieved = sorted(
        (g for g in goals if g.status == GoalStatus.ACHIEVED),
        key=lambda g: g.achieved_at or g.created_at,
        reverse=True,
    )
    each = {g: progress(g) for g in goals}
    counted = active + achieved
    overall = round(sum(each[g] for g in counted) / len(counted)) if counted else 0
    going_well = sum(1 for g in active if g.rating == Rating.GOOD)
    unrated = sum(1 for g in active if not g.rating)
    return Overview(active, paused, achieved, overall, going_well, each, unrated)


def load_goals(plan: Plan) -> list[Goal]:
    """Load a plan's goals with their steps in two queries, however many there are."""
    return list(
        db.session.scalars(
            sa.select(Goal)
            .where(Goal.plan_id == plan.id)
            .order_by(Goal.position, Goal.id)
            .options(selectinload(Goal.steps))
        )
    )


# Changes


def record_event(goal: Goal, kind: EventKind, value: str | None = None, **links) -> None:
    db.session.flush()
    db.session.add(
        ProgressEvent(goal_id=goal.id, kind=kind, progress=progress(goal), value=value, **links)
    )
    pagecache.plan_changed(goal.plan_id)


def _clean_steps(texts: Sequence[str]) -> list[str]:
    return [t for t in (clean_line(t, STEP_TEXT_MAX) for t in texts) if t]


def create_goal(
    plan: Plan,
    *,
    title: str,
    why: str = "",
    helpers: str = "",
    due: date | None = None,
    steps: Sequence[str] | None = None,
    card: str | None = None,
) -> Goal:
    """Add a goal (with its first steps) at the end of the plan's list."""
    limits.ensure_room(Goal.id, Goal.plan_id == plan.id, most=GOALS_MAX)
    texts = _clean_steps(steps or [])[:STEPS_MAX]
    last = db.session.scalar(sa.select(sa.func.max(Goal.position)).where(Goal.plan_id == plan.id))
    goal = Goal(
        plan_id=plan.id,
        title=title.strip(),
        why=why.strip(),
        helpers=helpers.strip(),
        due=due,
        card=card,
        position=(last or 0) + 1,
        steps=[Step(text=t, position=i) for i, t in enumerate(texts, start=1)],
    )
    db.session.add(goal)
    record_event(goal, EventKind.CREATED, goal.title)
    db.session.commit()
    return goal


def update_goal(
    goal: Goal, *, version: int, title: str, why: str, helpers: str, due: date | None
) -> None:
    """Save an edit, unless someone saved another edit since `version` was read.

    A version no goal can have (a crafted 20-digit number) is a version that is not the
    current one: it never reaches the database, which would raise on it.
    """
    saved = ids.fits(version) and conditional.update_one(
        sa.update(Goal)
        .where(Goal.id == goal.id, Goal.version == version)
        .values(
            title=title.strip(),
            why=why.strip(),
            helpers=helpers.strip(),
            due=due,
            version=Goal.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if not saved:
        db.session.rollback()
        raise Conflict(db.session.get(Goal, goal.id) or goal)
    pagecache.plan_changed(goal.plan_id)
    db.session.commit()
    db.session.refresh(goal)


def add_step(goal: Goal, text: str) -> Step:
    """Add a step at the end of a goal."""
    if len(goal.steps) >= STEPS_MAX:
        raise LimitReached
    step = Step(
        text=clean_line(text, STEP_TEXT_MAX),
        position=max((s.position for s in goal.steps), default=0) + 1,
    )
    goal.steps.append(step)
    record_event(goal, EventKind.STEP_ADDED, step.text)
    db.session.commit()
    return step


def update_step(step: Step, text: str) -> None:
    """Change a step's words."""
    step.text = clean_line(text, STEP_TEXT_MAX)
    pagecache.plan_changed(step.goal.plan_id)
    db.session.commit()


def delete_step(step: Step) -> None:
    """Delete a step (its history stays, without the link)."""
    goal = step.goal
    goal.steps.remove(step)
    db.session.delete(step)
    record_event(goal, EventKind.STEP_REMOVED, step.text)
    db.session.commit()


def toggle_step(step: Step, done: bool) -> None:
    """Tick a step off, or untick it."""
    if step.done == done:
        return
    step.done = done
    step.done_at = datetime.now(UTC) if done else None
    kind = EventKind.STEP_DONE if done else EventKind.STEP_UNDONE
    record_event(step.goal, kind, step.text, step_id=step.id)
    db.session.commit()


def set_rating(goal: Goal, rating: str) -> None:
    """Save the young person's own "how is it going?"."""
    if rating not in Rating.__members__.values() or rating == goal.rating:
        return
    goal.rating = rating
    record_event(goal, EventKind.RATING, rating)
    db.session.commit()


def set_estimate(goal: Goal, estimate: int) -> None:
    """Save the young person's own estimate of a goal without steps."""
    if estimate not in ESTIMATES or estimate == goal.estimate:
        return
    goal.estimate = estimate
    record_event(goal, EventKind.ESTIMATE, str(estimate))
    db.session.commit()


def set_status(goal: Goal, status: str, *, open_steps_done: bool = False) -> None:
    """Pause, resume or mark a goal achieved (achieved goals stay, celebrated).

    A goal can be achieved with steps still open: the young person says whether those were
    done too (`open_steps_done`, they are ticked off) or were not needed (they stay open, and
    the goal page says so beside its 100%).
    """
    if status not in GoalStatus.__members__.values() or status == goal.status:
        return
    if status == GoalStatus.ACHIEVED and open_steps_done:
        for step in goal.steps:
            if not step.done:
                step.done, step.done_at = True, datetime.now(UTC)
                record_event(goal, EventKind.STEP_DONE, step.text, step_id=step.id)
    goal.status = status
    goal.achieved_at = datetime.now(UTC) if status == GoalStatus.ACHIEVED else None
    record_event(goal, EventKind.STATUS, status)
    db.session.commit()


def move_goal(goal: Goal, direction: int) -> None:
    """Swap a goal with its neighbour above (-1) or below (+1)."""
    if positions.move(load_goals(goal.plan), goal, direction):
        pagecache.plan_changed(goal.plan_id)
        db.session.commit()


def move_step(step: Step, direction: int) -> None:
    """Swap a step with its neighbour above (-1) or below (+1)."""
    if positions.move(list(step.goal.steps), step, direction):
        pagecache.plan_changed(step.goal.plan_id)
        db.session.commit()


def delete_goal(goal: Goal) -> None:
    """Delete a goal with its steps, history and evidence links (the photos stay)."""
    plan_id = goal.plan_id
    db.session.delete(goal)
    pagecache.plan_changed(plan_id)
    db.session.commit()


def timeline(goal: Goal) -> list[ProgressEvent]:
    """Return a goal's history, newest first, with the media of evidence events."""
    return list(
        db.session.scalars(
            sa.select(ProgressEvent)
            .where(ProgressEvent.goal_id == goal.id)
            .order_by(ProgressEvent.at.desc(), ProgressEvent.id.desc())
        )
    )


def latest_event(goal: Goal) -> ProgressEvent | None:
    """Return a goal's newest history entry."""
    return db.session.scalar(
        sa.select(ProgressEvent)
        .where(ProgressEvent.goal_id == goal.id)
        .order_by(ProgressEvent.at.desc(), ProgressEvent.id.desc())
        .limit(1)
    )
