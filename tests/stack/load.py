"""A few young people using the stack from threads while a fault happens (tests/stack).

Each one, on a new connection for every request (so their requests alternate between the
hosts), opens their plan, writes a reaction with a unique text and opens the goal, with a
short pause in between, until the fault is over. The load keeps what it saw: every reaction
the app answered "saved" to, and every 5xx or broken-off request with when it happened, so a
test can say which failures are allowed (none, or only while a host was down) and look up
every saved reaction in the database afterwards.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlalchemy as sa

from .browser import Browser, register


@dataclass
class Person:
    browser: Browser
    plan_id: int
    goal: str  # the goal page's path


def people(stack, count: int) -> list[Person]:
    """`count` young people with a plan of one goal each."""
    made = []
    for _ in range(count):
        browser = Browser(stack.ports.nginx)
        plan_id = register(browser, f"load{uuid.uuid4().hex[:8]}")
        page = f"/plans/{plan_id}/goals/new"
        status, answer, _ = browser.post(page, {"title": "Volhouden"}, page)
        assert status == 302, status
        made.append(Person(browser, plan_id, urlsplit(answer["Location"]).path))
    return made


@dataclass
class Load:
    stack: object
    people: list[Person]
    pause: float = 0.2
    saved: list[str] = field(default_factory=list)
    failures: list[tuple[float, str]] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._use, args=(person,), daemon=True)
            for person in self.people
        ]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        time.sleep(1)  # the load runs before the fault starts
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(1)  # and goes on a moment after it ended
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _use(self, person: Person) -> None:
        browser, plan = person.browser, f"/plans/{person.plan_id}"
        comments = f"/goals/{person.goal.rsplit('/', 1)[-1]}/comments"
        while not self._stop.is_set():
            self._try("plan", browser.get, plan)
            text = f"reactie {uuid.uuid4().hex}"
            status = self._try("reaction", browser.post, comments, {"body": text}, person.goal)
            if status in (302, 303):
                with self._lock:
                    self.saved.append(text)
            self._try("goal", browser.get, person.goal)
            time.sleep(self.pause)

    def _try(self, what: str, request, *args) -> int | None:
        try:
            status = request(*args)[0]
        except (OSError, AssertionError) as error:  # broken off, or a page without a form
            self._failed(f"{what}: {error!r}")
            return None
        with self._lock:
            self.requests += 1
        if status >= 500:
            self._failed(f"{what}: {status}")
        return status

    def _failed(self, what: str) -> None:
        with self._lock:
            self.failures.append((time.monotonic(), what))

    def missing(self) -> list[str]:
        """Reactions the app said it saved that are not in the database."""
        engine = sa.create_engine(self.stack.database_url)
        try:
            with engine.connect() as connection:
                query = sa.text("SELECT body FROM comments WHERE body LIKE 'reactie %'")
                stored = set(connection.scalars(query))
        finally:
            engine.dispose()
        return [text for text in self.saved if text not in stored]
