"""Mo's caseload in the demo: enough young people to judge who needs attention first.

Besides Sanne and Lotte, Mo has young people through Jeugdformaat (team Noord) and through a
second organisation he also works for (Kompaan, team Ambulant, so the team filter has a
choice), each showing one signal: a goal that is not going yet, a new reaction, an answered
suggestion, a date and a care meeting coming up, a month of quiet, and one who is simply on
their way. Kevin stopped sharing, so the caseload says that access ended. These young people
have no log-in printed: they are there to fill Mo's list.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from ..comments import services as comments
from ..export import meetings
from ..extensions import db
from ..models import (
    Goal,
    MemberRole,
    Membership,
    Organisation,
    Plan,
    ProgressEvent,
    Share,
    ShareRole,
    Team,
    User,
    UserKind,
)
from ..passwords import hash_password
from ..sharing import services as sharing
from .builder import GoalSpec, PlanSpec, build


@dataclass(frozen=True)
class Young:
    name: str
    theme: str
    goals: tuple[GoalSpec, ...]
    kompaan: bool = False  # shared through Mo's place at Kompaan
    then: str = ""  # what happened after Mo's last visit (see _after)


def _goal(title: str, done: int, *ratings: str, due: int | None = None) -> GoalSpec:
    steps = ("Uitzoeken hoe het werkt", "Een afspraak maken", "Het proberen", "Volhouden")
    return GoalSpec(title=title, steps=steps, done=done, ratings=ratings, due_in_days=due)


YOUNG = (
    Young("Yara", "sunset", (_goal("Naar school blijven gaan", 1, "bit", "not_yet"),
                             _goal("Een hobby zoeken", 2, "good"))),
    Young("Bilal", "forest", (_goal("Een bijbaan vinden", 2, "bit"),), then="reaction"),
    Young("Noah", "ocean", (_goal("Zelf koken", 3, "good"),), then="suggestion"),
    Young("Fatima", "berry", (_goal("Mijn paspoort aanvragen", 2, "bit", due=5),
                              _goal("Zwemles", 1, "good")), kompaan=True),
    Young("Jesse", "forest", (_goal("Een kamer zoeken", 1, "bit"),), then="quiet"),
    Young("Mila", "ocean", (_goal("Rijles nemen", 2, "good"),), kompaan=True, then="meeting"),
    Young("Emma", "sunset", (_goal("Sparen voor een fiets", 4, "good", "good"),), then="ends"),
    Young("Kevin", "berry", (_goal("Op tijd opstaan", 1),), kompaan=True, then="stopped"),
)  # fmt: skip


def create(mo_place: Membership, workdir: Path) -> None:
    """Make Mo's other young people and share their plans with him."""
    mo = mo_place.user
    places = {False: mo_place, True: _kompaan(mo)}
    for young in YOUNG:
        youth = User(
            kind=UserKind.YOUTH,
            name=young.name,
            username=f"demo-{young.name.lower()}",
            password_hash=hash_password(secrets.token_urlsafe(16)),
            locale="nl",
        )
        plan = Plan(cover_title="Mijn plan")
        youth.plan = plan
        db.session.add(youth)
        db.session.commit()
        spec = PlanSpec(title=f"Het plan van {young.name}", theme=young.theme, goals=young.goals)
        built = build(plan, spec, workdir)
        place = places[young.kompaan]
        share = Share(
            plan_id=youth.plan.id,
            user_id=mo.id,
            role=ShareRole.WORKER,
            membership_id=place.id,
            last_visit_at=datetime.now(UTC),
        )
        db.session.add(share)
        db.session.commit()
        _after(young.then, plan, db.session.get_one(Goal, built.goals[0]), mo, share)


def _kompaan(mo: User) -> Membership:
    org = Organisation(name="Kompaan")
    team = Team(name="Ambulant")
    org.teams = [team]
    place = Membership(user_id=mo.id, role=MemberRole.WORKER, teams=[team])
    org.memberships = [place]
    db.session.add(org)
    db.session.commit()
    return place


def _after(then: str, plan: Plan, goal: Goal, mo: User, share: Share) -> None:
    """What happened since Mo last looked (a week ago for most)."""
    youth = plan.owner
    share.last_visit_at = datetime.now(UTC) - timedelta(days=7)
    db.session.commit()
    if then == "reaction":
        comments.add_comment(goal, youth, "Ik heb morgen een gesprek bij de supermarkt!")
    elif then == "suggestion":
        suggestion = comments.suggest(plan, mo, "Een boodschappenlijstje maken", goal=goal)
        share.last_visit_at = datetime.now(UTC) - timedelta(days=2)
        db.session.commit()
        comments.accept(suggestion)
    elif then == "meeting":
        meetings.record_meeting(plan, date.today() + timedelta(days=6), ["Mijn rijles"], None)
    elif then == "quiet":
        long_ago = datetime.now(UTC) - timedelta(days=45)
        for event in db.session.scalars(
            sa.select(ProgressEvent).join(Goal).where(Goal.plan_id == plan.id)
        ):
            event.at = long_ago
        share.created_at = share.last_visit_at = long_ago
        db.session.commit()
    elif then == "stopped":
        sharing.revoke_share(share)
    elif then == "ends":  # Emma chose to share until five days from now
        share.last_day = date.today() + timedelta(days=5)
        db.session.commit()
