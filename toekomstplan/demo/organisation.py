"""The demo's organisation: Jeugdformaat with teams Noord and Zuid, an admin (Anja), a team
lead (Tom), three workers (Mo, Eva, Sem), and two more young people who shared their plan
with them through it (Daan with Eva; Lotte with Mo and Sem). Mo asked for Eva to stand in
during his leave: Sanne and Lotte have the question waiting. Sem marked his help to Lotte
as finished: she chooses what happens with her plan."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import (
    MemberRole,
    Membership,
    Organisation,
    Plan,
    Share,
    ShareRole,
    Team,
    User,
    UserKind,
)
from ..orgs import care, standins, start
from ..passwords import hash_password
from .builder import GoalSpec, PlanSpec, build

TEAM_LEAD_LOGIN = "teamleider@example.org"
MORE_LOGINS = (  # as the demo prints them
    ("Team lead", TEAM_LEAD_LOGIN),
    ("Worker, team Zuid", "eva@example.org"),
    ("Worker, team Zuid", "sem@example.org"),
    ("Young person", "daan"),
    ("Young person", "lotte"),
)
COLLEAGUES = (  # login, name, team
    ("eva@example.org", "Eva (begeleider)", "Zuid"),
    ("sem@example.org", "Sem (begeleider)", "Zuid"),
)
DAAN = PlanSpec(
    title="Mijn plan",
    theme="forest",
    intro="Ik ben Daan, 17. Ik wil later monteur worden.",
    goals=(
        GoalSpec(
            title="Mijn rijbewijs halen",
            steps=("Theorieboek kopen", "Theorie-examen doen", "Rijlessen plannen"),
            done=1,
            ratings=("bit", "not_yet"),
        ),
        GoalSpec(title="Elke dag op tijd op school", estimate=40),
    ),
    history_days=40,
)
LOTTE = PlanSpec(
    title="Lotte's toekomst",
    theme="sunset",
    intro="Hoi, ik ben Lotte. Ik woon sinds kort op mezelf.",
    goals=(
        GoalSpec(
            title="Zelf boodschappen doen met een budget",
            steps=("Een weekbudget maken", "Een lijstje maken", "Eén week volhouden"),
            done=2,
            ratings=("good", "good"),
            due_in_days=9,
        ),
    ),
    history_days=20,
)


def _person(kind: str, name: str, login: str, password: str) -> User:
    email = login if "@" in login else None
    return User(
        kind=kind,
        name=name,
        email=email,
        username=None if email else login,
        email_confirmed=True,
        password_hash=hash_password(password),
        locale="nl",
    )


def create(mo: User, admin: User, passwords: dict[str, str]) -> Membership:
    """Make Jeugdformaat and its people; return Mo's place (Sanne shares through it)."""
    org = Organisation(name="Jeugdformaat")
    teams = {"Noord": Team(name="Noord"), "Zuid": Team(name="Zuid")}
    org.teams = list(teams.values())
    lead = _person(
        UserKind.SUPPORTER, "Tom (teamleider)", TEAM_LEAD_LOGIN, _new(passwords, TEAM_LEAD_LOGIN)
    )
    colleagues = [
        (_person(UserKind.SUPPORTER, name, login, _new(passwords, login)), team)
        for login, name, team in COLLEAGUES
    ]
    db.session.add_all([lead] + [person for person, _ in colleagues])
    db.session.flush()
    mo_place = Membership(user_id=mo.id, role=MemberRole.WORKER, teams=[teams["Noord"]])
    org.memberships = [
        mo_place,
        Membership(user_id=admin.id, role=MemberRole.ADMIN),
        Membership(user_id=lead.id, role=MemberRole.TEAM_LEAD, teams=[teams["Noord"]]),
    ] + [
        Membership(user_id=person.id, role=MemberRole.WORKER, teams=[teams[team]])
        for person, team in colleagues
    ]
    db.session.add(org)
    db.session.commit()
    return mo_place


def _new(passwords: dict[str, str], login: str) -> str:
    passwords[login] = "koffie-" + secrets.token_urlsafe(6)
    return passwords[login]


def young_people(org: Organisation, passwords: dict[str, str], workdir: Path) -> None:
    """Daan and Lotte, with small plans, shared through Jeugdformaat."""
    places = {place.user.email: place for place in org.memberships}
    for login, name, spec, workers in (
        ("daan", "Daan", DAAN, ("eva@example.org",)),
        ("lotte", "Lotte", LOTTE, ("begeleider@example.org", "sem@example.org")),
    ):
        youth = _person(UserKind.YOUTH, name, login, _new(passwords, login))
        youth.plan = Plan(cover_title=spec.title)
        db.session.add(youth)
        db.session.commit()
        build(youth.plan, spec, workdir)
        for email in workers:
            place = places[email]
            db.session.add(
                Share(
                    plan_id=youth.plan.id,
                    user_id=place.user_id,
                    role=ShareRole.WORKER,
                    membership_id=place.id,
                )
            )
        db.session.commit()


def start_link(mo_place: Membership) -> str:
    """A start link by Mo, for a new young person to try."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return start.make_link(mo_place)


def stand_in(mo_place: Membership) -> None:
    """Mo goes on leave in two weeks, for three weeks: he asked whether Eva may stand in, and
    the young people who share with him through Jeugdformaat (Sanne among them) decide."""
    eva = next(p for p in mo_place.organisation.memberships if p.user.email == "eva@example.org")
    standins.ask(mo_place, eva.id, date.today() + timedelta(days=35))


def care_finished(org: Organisation) -> None:
    """Sem marked his help to Lotte as finished: Lotte chooses what happens next."""
    sem = next(p for p in org.memberships if p.user.email == "sem@example.org")
    plan = db.session.scalar(sa.select(Plan).join(User).where(User.username == "lotte"))
    if plan is not None:
        care.end_care(plan, sem, sem.user)
