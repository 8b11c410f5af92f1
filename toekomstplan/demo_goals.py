"""Goals for the demo plan, with a history spread over the last weeks."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from .extensions import db
from .goals import services
from .models import Media, Plan, ProgressEvent

GOALS = [
    {
        "title": "Ik wil een bijbaan vinden",
        "why": "Dan heb ik mijn eigen geld en leer ik nieuwe mensen kennen.",
        "helpers": "Mo, mijn begeleider",
        "steps": [
            "Mijn cv maken",
            "Vacatures zoeken",
            "Een brief sturen naar de bakker",
            "Een gesprek oefenen met Mo",
        ],
        "done": 2,
        "rating": "good",
    },
    {
        "title": "Ik wil leren koken voor mezelf",
        "why": "Later woon ik op mezelf en wil ik niet elke dag patat.",
        "helpers": "Tante Ria",
        "steps": [
            "Drie makkelijke recepten kiezen",
            "Samen boodschappen doen",
            "Eén keer per week zelf koken",
            "Een keer koken voor de groep",
        ],
        "done": 1,
        "rating": "bit",
    },
    {
        "title": "Ik wil beter slapen",
        "why": "Dan ben ik op school minder moe.",
        "helpers": "De huisarts",
        "steps": [],
        "estimate": 25,
        "rating": "not_yet",
    },
    {
        "title": "Ik wil elke week gitaar spelen",
        "why": "Muziek maken maakt me rustig.",
        "helpers": "",
        "steps": ["Een gitaar lenen", "Drie akkoorden leren", "Een heel liedje spelen"],
        "done": 3,
        "achieved": True,
    },
]


def add_to(plan: Plan, evidence: Media | None = None) -> None:
    """Add the demo goals, then spread their history over the past weeks."""
    for spec in GOALS:
        goal = services.create_goal(
            plan, title=spec["title"], why=spec["why"], helpers=spec["helpers"], steps=spec["steps"]
        )
        for step in goal.steps[: spec.get("done", 0)]:
            services.toggle_step(step, True)
        if "estimate" in spec:
            services.set_estimate(goal, spec["estimate"])
        if spec.get("rating"):
            services.set_rating(goal, spec["rating"])
        if spec.get("achieved"):
            services.set_status(goal, "achieved")
        if evidence is not None and spec is GOALS[0]:
            services.add_evidence(goal, evidence, goal.steps[0])
        _spread_history(goal.id)
    db.session.commit()


def _spread_history(goal_id: int) -> None:
    """Date a goal's events as if they happened over the last five weeks."""
    events = db.session.scalars(
        sa.select(ProgressEvent).where(ProgressEvent.goal_id == goal_id).order_by(ProgressEvent.id)
    ).all()
    now = datetime.now(UTC)
    for i, event in enumerate(events):
        event.at = now - timedelta(days=35) + timedelta(days=35 * i / max(len(events), 1))
        if event.kind == "status" and event.value == "achieved":
            event.goal.achieved_at = event.at
