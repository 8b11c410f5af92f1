"""One plan builder: fills a plan through the app's own services from a description.

The demo (`flask demo`), `make bench` and the browser tests' fixtures all describe the plan
they want as a `PlanSpec` and let `build` make it, so a plan is always made the way the app
makes it: every photo through the upload pipeline, every tick a progress event. `sized` makes
the description of a plan of any size, for benchmarks that measure how costs grow.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..goals import evidence as goal_evidence
from ..goals import services as goal_services
from ..media import services as media_services
from ..models import GoalStatus, Media, MediaStatus, Plan, ProgressEvent
from ..plan import services as plan_services
from . import pictures


class BuildError(RuntimeError):
    """The plan could not be made as described (a photo refused, a video not ready)."""


@dataclass(frozen=True)
class MediaSpec:
    """A photo or video: drawn by `make` into the given path, or copied from `source`."""

    name: str  # the file name a phone would give it (the label)
    caption: str = ""
    make: Callable[[Path], None] | None = None
    source: Path | None = None


@dataclass(frozen=True)
class GoalSpec:
    title: str
    why: str = ""
    helpers: str = ""
    steps: tuple[str, ...] = ()
    done: int = 0  # the first `done` steps are ticked off
    ratings: tuple[str, ...] = ()  # one after each tick, the rest after the last tick
    undo: int = 0  # of the ticked steps, this many were ticked too soon and again later
    estimate: int | None = None  # the young person's own estimate (goals without steps)
    status: str | None = None  # "achieved" or "paused", at the end
    due_in_days: int | None = None
    evidence: tuple[tuple[int, int | None], ...] = ()  # (media index, step index or None)


@dataclass(frozen=True)
class PlanSpec:
    title: str = "Mijn toekomst"
    subtitle: str = ""
    theme: str = "ocean"
    layout: str = "band"
    intro: str = ""
    about: tuple[tuple[str, str], ...] = ()  # (quality | talent | hobby, text)
    media: tuple[MediaSpec, ...] = ()
    cover_photo: int | None = None  # index into `media`
    intro_media: tuple[int, ...] = ()
    about_media: tuple[tuple[int, int], ...] = ()  # (media index, about index)
    goals: tuple[GoalSpec, ...] = ()
    history_days: int = 0  # spread the goals' history over this many days up to now


@dataclass
class BuiltPlan:
    plan_id: int
    media: list[str] = field(default_factory=list)  # media ids, in the spec's order
    about: list[int] = field(default_factory=list)
    goals: list[int] = field(default_factory=list)
    steps: list[list[int]] = field(default_factory=list)  # per goal


def build(plan: Plan, spec: PlanSpec, workdir: Path) -> BuiltPlan:
    """Fill `plan` as `spec` describes; `workdir` holds the drawn files while they upload."""
    built = BuiltPlan(plan.id)
    media = [_store(plan, item, workdir) for item in spec.media]
    built.media = [m.id for m in media]
    cover = media[spec.cover_photo] if spec.cover_photo is not None else None
    plan_services.update_cover(
        plan,
        title=spec.title,
        subtitle=spec.subtitle,
        theme=spec.theme,
        color=None,
        layout=spec.layout,
        photo=cover,
    )
    if spec.intro:
        plan_services.update_intro(plan, spec.intro)
    built.about = [plan_services.add_about_item(plan, kind, text).id for kind, text in spec.about]
    _attach(media, spec, built.about)
    for goal_spec in spec.goals:
        goal = _add_goal(plan, goal_spec, media)
        built.goals.append(goal.id)
        built.steps.append([s.id for s in goal.steps])
    if spec.history_days:
        spread_history(built.goals, spec.history_days)
    return built


def _store(plan: Plan, item: MediaSpec, workdir: Path) -> Media:
    upload = workdir / item.name
    if item.source is not None:
        shutil.copyfile(item.source, upload)  # a fresh copy: the source stays as it was
    elif item.make is not None:
        item.make(upload)
    media = media_services.store_upload(plan, upload, label=item.name, caption=item.caption)
    upload.unlink(missing_ok=True)
    db.session.refresh(media)
    # A video may still wait for the job queue's consumer (`make run`); a failure is a bug.
    if media.status == MediaStatus.FAILED:
        raise BuildError(f"{item.name} failed ({media.failure})")
    return media


def _attach(media: list[Media], spec: PlanSpec, about_ids: list[int]) -> None:
    about: dict[int, set[int]] = {}
    for media_index, about_index in spec.about_media:
        about.setdefault(media_index, set()).add(about_ids[about_index])
    for index in sorted(set(spec.intro_media) | set(about)):
        media_services.set_attachments(
            media[index], intro=index in spec.intro_media, about_item_ids=about.get(index, set())
        )


def _add_goal(plan: Plan, spec: GoalSpec, media: list[Media]):
    due = date.today() + timedelta(days=spec.due_in_days) if spec.due_in_days else None
    goal = goal_services.create_goal(
        plan, title=spec.title, why=spec.why, helpers=spec.helpers, due=due, steps=spec.steps
    )
    steps = list(goal.steps)
    if spec.estimate is not None:
        goal_services.set_estimate(goal, spec.estimate)
    for index, step in enumerate(steps[: spec.done]):
        goal_services.toggle_step(step, True)
        if index < len(spec.ratings):  # a rating now and then between the ticks
            goal_services.set_rating(goal, spec.ratings[index])
    for rating in spec.ratings[spec.done :]:
        goal_services.set_rating(goal, rating)
    for step in steps[: spec.undo]:
        goal_services.toggle_step(step, False)
        goal_services.toggle_step(step, True)
    for media_index, step_index in spec.evidence:
        on_step = None if step_index is None else steps[step_index]
        if not goal_evidence.add(goal, media[media_index], on_step):
            raise BuildError(f"media {media_index} could not be evidence on {goal.title!r}")
    if spec.status:
        goal_services.set_status(goal, spec.status)
    return goal


def spread_history(goal_ids: list[int], days: int) -> None:
    """Date each goal's history as if it happened over the last `days` days, goal by goal."""
    now = datetime.now(UTC)
    for number, goal_id in enumerate(goal_ids):
        events = db.session.scalars(
            sa.select(ProgressEvent)
            .where(ProgressEvent.goal_id == goal_id)
            .order_by(ProgressEvent.id)
        ).all()
        begin = now - timedelta(days=max(1, days - 2 * number))
        for index, event in enumerate(events):
            event.at = begin + (now - begin) * index / len(events)
            if event.kind == "status" and event.value == GoalStatus.ACHIEVED:
                event.goal.achieved_at = event.at
    db.session.commit()


def sized(
    *,
    goals: int,
    steps: int,
    history_days: int = 56,
    photos: int = 0,
    draw: Callable[[Path, int], None] = pictures.photo_like,
) -> PlanSpec:
    """Describe a plan of a given size: `goals` goals of `steps` steps, half of them ticked,
    with a rating at every tick, and `photos` photos spread over the goals as evidence."""
    media = tuple(
        MediaSpec(f"foto-{n}.jpg", f"Foto {n + 1}", make=_numbered(draw, n)) for n in range(photos)
    )
    ratings = ("good", "bit", "not_yet")
    goal_specs = []
    for number in range(goals):
        done = steps // 2
        evidence = tuple(
            (photo, (photo // goals) % done if done else None)
            for photo in range(number, photos, max(goals, 1))
        )
        goal_specs.append(
            GoalSpec(
                title=f"Doel {number + 1}: iets wat ik echt wil",
                why="Omdat ik dat belangrijk vind.",
                helpers="Mo",
                steps=tuple(f"Stap {s + 1} van doel {number + 1}" for s in range(steps)),
                done=done,
                ratings=tuple(ratings[(number + s) % 3] for s in range(done)),
                evidence=evidence,
            )
        )
    return PlanSpec(
        title="Mijn toekomst",
        subtitle="Stap voor stap",
        media=media,
        goals=tuple(goal_specs),
        history_days=history_days,
    )


def _numbered(draw: Callable[[Path, int], None], number: int) -> Callable[[Path], None]:
    return lambda path: draw(path, number)
