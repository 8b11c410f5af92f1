"""A worker's caseload with 40 young people: its time beside a page load, and its queries.

`seed` gives two workers their young people before the servers start: one with 40 shared
plans, one with a single plan of the same kind. Each plan has three goals of four steps with
ratings (every third young person rated a goal "gaat nog niet") and a month of history, a
reaction written since the worker's last visit, and for every fifth young person a goal
hidden from the worker. The caseload is rendered for every request and never kept in the page
cache, so it is always measured with the page cache off.

`query_figures` counts the SQL statements of the caseload page for both workers in this
process (the app's test client, logged in through the log-in form); `time_figures` reads the
40-plan caseload from a side client while wrk loads the plan home, as ticks.py ticks steps.
"""

from __future__ import annotations

import argparse
import secrets
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

import ticks
from client import csrf_token, log_in, request
from report import BenchError, figure, log
from servers import Server
from toekomstplan.comments import services as comments
from toekomstplan.demo.builder import GoalSpec, PlanSpec, build
from toekomstplan.extensions import db
from toekomstplan.models import Goal, HiddenGoal, Plan, Share, ShareRole, User, UserKind
from toekomstplan.passwords import hash_password

PLANS = 40
WORKERS = {PLANS: "bench-worker-40@example.org", 1: "bench-worker-1@example.org"}
NAME = b'class="shared__name"'  # one per young person on the caseload
STEPS = ("Uitzoeken hoe het werkt", "Een afspraak maken", "Het proberen", "Volhouden")
THEMES = ("ocean", "forest", "sunset", "berry")


def _spec(number: int) -> PlanSpec:
    stuck = number % 3 == 0
    return PlanSpec(
        title=f"Plan {number}",
        theme=THEMES[number % len(THEMES)],
        goals=(
            GoalSpec("Een bijbaan vinden", steps=STEPS, done=2, ratings=("bit", "good")),
            GoalSpec(
                "Naar school blijven gaan",
                steps=STEPS,
                done=1,
                ratings=("bit", "not_yet") if stuck else ("good",),
            ),
            GoalSpec("Zelf koken", steps=STEPS, done=number % 5, due_in_days=10 + number),
        ),
        history_days=30,
    )


def seed(app: Flask, tmp: Path) -> str:
    """Make both workers and their young people; return the workers' password."""
    password = "bench-" + secrets.token_urlsafe(12)
    with app.test_request_context():
        try:
            youth_hash = hash_password(secrets.token_urlsafe(16))  # nobody logs in as them
            for count, login in WORKERS.items():
                worker = User(
                    kind=UserKind.SUPPORTER,
                    name=f"Werker met {count}",
                    email=login,
                    email_confirmed=True,
                    password_hash=hash_password(password),
                    locale="nl",
                )
                db.session.add(worker)
                db.session.commit()
                for number in range(count):
                    _young_person(worker, f"{count}-{number}", number, youth_hash, tmp)
        finally:
            db.session.remove()
            db.engine.dispose()
    return password


def _young_person(worker: User, key: str, number: int, password_hash: str, tmp: Path) -> None:
    youth = User(
        kind=UserKind.YOUTH,
        name=f"Jongere {key}",
        username=f"bench-case-{key}",
        password_hash=password_hash,
        locale="nl",
    )
    plan = Plan(cover_title="Mijn plan")
    youth.plan = plan
    db.session.add(youth)
    db.session.commit()
    built = build(plan, _spec(number), tmp)
    share = Share(
        plan_id=plan.id,
        user_id=worker.id,
        role=ShareRole.WORKER,
        last_visit_at=datetime.now(UTC) - timedelta(days=3),
    )
    db.session.add(share)
    db.session.flush()
    if number % 5 == 0:
        db.session.add(HiddenGoal(share_id=share.id, goal_id=built.goals[2]))
    db.session.commit()
    goal = db.session.get_one(Goal, built.goals[0])
    comments.add_comment(goal, youth, "Ik heb morgen een gesprek!")


def query_figures(app: Flask, password: str) -> None:
    """Count the caseload page's statements with 40 plans and with 1."""
    counts = {count: _queries(app, login, password, count) for count, login in WORKERS.items()}
    log(f"the caseload ran {counts[PLANS]} statements with {PLANS} plans, {counts[1]} with 1")
    figure(f"caseload_queries_{PLANS}", counts[PLANS])
    figure("caseload_queries_1", counts[1])
    figure(f"caseload_queries_{PLANS}_vs_1", f"{counts[PLANS] / counts[1]:.2f}")


def _queries(app: Flask, login: str, password: str, plans: int) -> int:
    client = app.test_client()
    token = csrf_token("/login", client.get("/login").data)
    answer = client.post(
        "/login",
        data={"csrf_token": token, "login": login, "password": password},
        headers={"Origin": "http://localhost"},
    )
    if answer.status_code not in (302, 303) or "/login" in answer.location:
        raise BenchError(f"{login} could not log in in this process ({answer.status_code})")
    client.get("/")  # the first page after logging in, like a browser
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            page = client.get("/")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    if page.status_code != 200 or page.data.count(NAME) != plans:
        raise BenchError(f"{login}'s caseload does not show {plans} young people")
    return len(statements)


class CaseloadReader(ticks.SideClient):
    """Open the caseload again and again, as a worker who reloads it."""

    def next_request(self, i: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", "/", None, {"Cookie": self.cookies.header()}

    def check(self, i: int, path: str, response, answer: bytes) -> None:
        if response.status != 200 or answer.count(NAME) != PLANS:
            self.failures.append(
                f"GET {path} answered {response.status} with {answer.count(NAME)} young people"
            )


def time_figures(
    app: Server,
    plan_path: str,
    youth_cookie: str,
    password: str,
    args: argparse.Namespace,
    script: Path,
) -> None:
    """Time the 40-plan caseload alone, then while wrk loads the young person's plan home."""
    cookie = log_in(app.port, WORKERS[PLANS], password)
    status, _, body = request(app.port, "GET", "/", {"Cookie": cookie})
    if status != 200 or body.count(NAME) != PLANS:
        raise BenchError(f"the caseload answered {status} with {body.count(NAME)} young people")

    def reader(count: int, stop: threading.Event) -> CaseloadReader:
        return CaseloadReader(app.port, cookie, count, args.toggle_pause, stop)

    idle_p50, _ = ticks.percentiles(ticks.alone(reader, args.toggles_idle))
    log(
        f"reading the caseload of {PLANS} plans {args.caseload_requests} times while wrk "
        f"loads the plan home with {args.toggle_connections} connections"
    )
    times, loaded, seconds = ticks.under_load(
        reader, args.caseload_requests, app.url(plan_path), youth_cookie, args, script
    )
    p50, p95 = ticks.percentiles(times)
    log(
        f"{len(times)} caseloads in {seconds:.1f} s: p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
        f"meanwhile the plan home served {loaded['rps']:.0f} req/s"
    )
    figure("caseload_requests", len(times))
    figure("caseload_idle_ms_p50", f"{idle_p50:.1f}")
    figure("caseload_ms_p50", f"{p50:.1f}")
    figure("caseload_ms_p95", f"{p95:.1f}")
    figure("plan_home_rps_during_caseload", f"{loaded['rps']:.0f}")
