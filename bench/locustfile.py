"""The stack under people: young people and workers as Locust users (bench/stack_load.py).

Young people view their plan and goals, tick steps, write reactions and now and then upload
a photo; workers open their caseload, read the plans shared with them, react, and now and
then download a plan's PDF. Every user logs in with an account stack_load.py made, takes
1-3 s between actions, and gives each reaction a unique text; the texts the app answered
"saved" to are written to ACKED_FILE, so the bench can look each one up afterwards.

Request names: pages are their kind ("plan home", "goal", "caseload", ...), so the figures
can tell page requests from writes ("tick", "reaction"), uploads and PDFs.
"""

from __future__ import annotations

import io
import itertools
import os
import random
import re
import time
import uuid

from locust import HttpUser, between, events, task

PASSWORD = os.environ["LOAD_PASSWORD"]
YOUTH = int(os.environ["LOAD_YOUTH"])
WORKERS = int(os.environ["LOAD_WORKERS"])
ACKED_FILE = os.environ["LOAD_ACKED"]
PAGES = ("login page", "plan home", "goal", "goals", "caseload", "shared plan", "shared goal")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_youth = itertools.count()
_workers = itertools.count()
_acked = open(ACKED_FILE, "a", buffering=1)
_pages = open(os.environ["LOAD_TIMES"], "a", buffering=1)


@events.request.add_listener
def _page_time(name, response_time, exception=None, **kwargs) -> None:
    """Every answered page request's time (with when it ended), for stack_load.py."""
    if name in PAGES and exception is None:
        _pages.write(f"{time.time():.3f} {response_time:.1f}\n")


@events.quitting.add_listener
def _close(environment, **kwargs) -> None:
    _acked.close()
    _pages.close()


def _token(html: str) -> str:
    match = CSRF.search(html)
    if match is None:
        raise RuntimeError("no csrf_token on the page")
    return match.group(1)


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    colour = tuple(random.randrange(256) for _ in range(3))
    Image.new("RGB", (1024, 768), colour).save(out, "JPEG", quality=85)
    return out.getvalue()


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    login_name = ""

    def log_in(self) -> str:
        page = self.client.get("/login", name="login page")
        answer = self.client.post(
            "/login",
            data={"csrf_token": _token(page.text), "login": self.login_name, "password": PASSWORD},
            name="log in",
            headers={"Origin": self.host},
        )
        return answer.url or ""

    def post_form(self, path: str, page_html: str, fields: dict, name: str, **kwargs):
        return self.client.post(
            path,
            data={"csrf_token": _token(page_html), **fields},
            name=name,
            headers={"Origin": self.host, **kwargs.pop("headers", {})},
            **kwargs,
        )

    def react(self, goal_id: int, page_html: str) -> None:
        text = f"reactie {uuid.uuid4().hex}"
        answer = self.post_form(
            f"/goals/{goal_id}/comments", page_html, {"body": text}, "reaction",
            allow_redirects=False,
        )  # fmt: skip
        if answer.status_code in (302, 303):
            _acked.write(text + "\n")


def _started() -> None:
    """A user has logged in and opened their first page: stack_load.py measures the pages
    once every user has (100 people logging in within seconds is a start-up storm of
    Argon2 hashes that real use never has; the log-ins are a figure of their own)."""
    _pages.write(f"{time.time():.3f} started\n")


class YoungPerson(Person):
    weight = 4

    def on_start(self) -> None:
        self.login_name = f"load-youth-{next(_youth) % YOUTH}"
        landed = self.log_in()
        self.plan_id = int(re.search(r"/plans/(\d+)", landed).group(1))
        goals = self.client.get(f"/plans/{self.plan_id}/goals", name="goals").text
        self.goal_ids = sorted({int(g) for g in re.findall(r'href="/goals/(\d+)"', goals)})
        _started()

    # Weights out of 50: a young person uploads a photo about once in two minutes of use
    # ("now and then"; real use is a few a week). At one in eleven actions, as before,
    # 80 of them uploaded three a second, and photo processing alone took most of the CPU.
    @task(25)
    def plan_home(self) -> None:
        self.client.get(f"/plans/{self.plan_id}", name="plan home")

    @task(15)
    def tick(self) -> None:
        goal_id = random.choice(self.goal_ids)
        page = self.client.get(f"/goals/{goal_id}", name="goal").text
        steps = re.findall(r'action="/steps/(\d+)/toggle"', page)
        if steps:
            self.post_form(
                f"/steps/{random.choice(steps)}/toggle", page,
                {"done": random.choice(("0", "1"))}, "tick",
                headers={"Accept": "application/json"},
            )  # fmt: skip

    @task(9)
    def write(self) -> None:
        goal_id = random.choice(self.goal_ids)
        page = self.client.get(f"/goals/{goal_id}", name="goal").text
        self.react(goal_id, page)

    @task(1)
    def upload(self) -> None:
        page = self.client.get(f"/plans/{self.plan_id}", name="plan home").text
        self.client.post(
            f"/plans/{self.plan_id}/media",
            data={"csrf_token": _token(page)},
            files={"file": ("IMG.jpg", _photo(), "image/jpeg")},
            headers={"Accept": "application/json", "Origin": self.host},
            name="upload",
        )


class Worker(Person):
    weight = 1

    def on_start(self) -> None:
        self.login_name = f"load-worker-{next(_workers) % WORKERS}@example.org"
        self.log_in()
        caseload = self.client.get("/", name="caseload").text
        self.plan_ids = sorted({int(p) for p in re.findall(r'href="/plans/(\d+)"', caseload)})
        _started()

    @task(4)
    def read(self) -> None:
        plan_id = random.choice(self.plan_ids)
        page = self.client.get(f"/plans/{plan_id}", name="shared plan").text
        goals = re.findall(r'href="/goals/(\d+)"', page)
        if goals:
            goal_id = int(random.choice(goals))
            goal = self.client.get(f"/goals/{goal_id}", name="shared goal").text
            if random.random() < 0.3:
                self.react(goal_id, goal)

    @task(2)
    def caseload(self) -> None:
        self.client.get("/", name="caseload")

    @task(1)
    def pdf(self) -> None:
        if random.random() < 0.2:  # a few PDFs
            self.client.get(f"/plans/{random.choice(self.plan_ids)}/plan.pdf", name="pdf")
