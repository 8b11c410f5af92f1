"""The access log as the young person reads it: per day and per person, in plain words.

The log itself keeps ids ("goal:12", "media:1a2b3c4d"), never content. Names are looked up
here, when the young person reads it: a renamed goal reads with its name of today, a deleted
one as "a goal you deleted". A refused attempt says only that it was refused, never where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .. import clock
from ..models import AccessEvent, MediaKind, Plan, User

# The order in which a person's day is told.
ORDER = (
    "joined", "cover", "intro", "about", "goals", "goal", "media",
    "comment", "suggest", "rate", "export", "reset_code_made", "reset_helped", "refused",
    "revoked",
)  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One thing a person did that day: `kind` picks the sentence."""

    kind: str  # one of ORDER, or "media_deleted"/"photos"/"videos"/"suggest_goal"
    count: int = 1  # times, or photos
    title: str | None = None  # a goal's title today; None when the goal was deleted
    detail: str = ""  # a role ("worker"), a PDF kind ("meeting")


@dataclass
class PersonDay:
    who: User | None  # None: the account was deleted since
    last_at: datetime
    lines: list[Line] = field(default_factory=list)


@dataclass
class Day:
    day: date
    people: list[PersonDay] = field(default_factory=list)


@dataclass
class _Tally:
    """What one person did on one day, before it is put into lines."""

    last_at: datetime
    seen: dict[str, int] = field(default_factory=dict)  # kind -> times
    goals: dict[str, dict[int, int]] = field(default_factory=dict)  # kind -> goal id -> times
    media: set[str] = field(default_factory=set)  # id prefixes
    details: dict[str, str] = field(default_factory=dict)  # kind -> role or PDF kind


def _tally(tally: _Tally, event: AccessEvent) -> None:
    kind, _, value = event.target.partition(":")
    action = event.action
    if action == "view" and kind in ("goal", "media") and value:
        if kind == "media":
            tally.media.add(value)
        elif value.isdigit():
            tally.goals.setdefault("goal", {}).setdefault(int(value), 0)
            tally.goals["goal"][int(value)] += 1
        return
    if action in ("comment", "suggest", "rate") and kind == "goal" and value.isdigit():
        per_goal = tally.goals.setdefault(action, {})
        per_goal[int(value)] = per_goal.get(int(value), 0) + 1
        return
    renamed = {"view": kind if kind in ORDER else "cover", "suggest": "suggest_goal"}
    name = renamed.get(action, action)
    tally.seen[name] = tally.seen.get(name, 0) + 1
    if action in ("joined", "export") and value:
        tally.details[name] = value


def _lines(tally: _Tally, plan: Plan) -> list[Line]:
    titles = {goal.id: goal.title for goal in plan.goals}
    lines = []
    for kind in ORDER:
        if kind == "media":
            lines += _media_lines(tally.media, plan)
        elif kind in tally.goals:
            per_goal = tally.goals[kind].items()
            lines += [Line(kind, times, titles.get(goal_id)) for goal_id, times in per_goal]
        if kind in tally.seen:
            lines.append(Line(kind, tally.seen[kind], detail=tally.details.get(kind, "")))
        if kind == "suggest" and "suggest_goal" in tally.seen:
            lines.append(Line("suggest_goal", tally.seen["suggest_goal"]))
    return lines


def _media_lines(prefixes: set[str], plan: Plan) -> list[Line]:
    if not prefixes:
        return []
    kinds = {m.id[:8]: m.kind for m in plan.media}
    photos = sum(1 for p in prefixes if kinds.get(p) == MediaKind.PHOTO)
    videos = sum(1 for p in prefixes if kinds.get(p) == MediaKind.VIDEO)
    gone = len(prefixes) - photos - videos
    counted = [("photos", photos), ("videos", videos), ("media_deleted", gone)]
    return [Line(kind, count) for kind, count in counted if count]


def readable(plan: Plan, events: list[AccessEvent]) -> list[Day]:
    """Group a plan's access events (newest first) by day and person, in plain words."""
    tallies: dict[date, dict[int | None, tuple[User | None, _Tally]]] = {}
    for event in events:
        at = clock.local(event.at)
        people = tallies.setdefault(at.date(), {})
        person = event.user_id  # grouped by person; a deleted account's events stay together
        if person not in people:
            people[person] = (event.user, _Tally(last_at=at))
        _tally(people[person][1], event)
    return [
        Day(day, [PersonDay(who, t.last_at, _lines(t, plan)) for who, t in people.values()])
        for day, people in tallies.items()
    ]
