"""Browser tests: the app on a live server in a thread, driven by Debian's Chromium."""

import functools
import itertools
import re
import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from toekomstplan.auth import services as auth_services
from toekomstplan.comments import services as comment_services
from toekomstplan.demo.builder import GoalSpec, MediaSpec, PlanSpec, build
from toekomstplan.extensions import db
from toekomstplan.models import Comment, Goal, Plan, User
from toekomstplan.sharing import services as sharing_services

from .. import mediafiles
from ..conftest import PASSWORD, app_settings, build_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE_WIDTH = 360
PHONE_HEIGHT = 740
MIN_TAP_HEIGHT = 44

_usernames = itertools.count(1)
_workers = itertools.count(1)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """Build the app on a temporary SQLite file, outbox and upload folder."""
    root = tmp_path_factory.mktemp("e2e")
    settings = {
        **app_settings(root),
        # Always SQLite, also under TEST_DATABASE_URL: this app keeps its tables for the whole
        # session, while each unit test's app drops every table of that database.
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'e2e.sqlite'}",
        # Every test logs in from 127.0.0.1: the login limit would refuse the sixth.
        "RATELIMIT_ENABLED": False,
        # The organisation's OpenID provider in these tests is the tests' own, on loopback.
        "OIDC_ALLOW_HTTP_LOOPBACK": True,
    }
    app = build_app(settings, root / "instance")
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def _closing(app):
    """Close every response body, also when the browser drops the connection.

    Werkzeug's development server reads what is left of the request before it closes the
    body; when the browser has gone (a page reloaded while its photos load) that read fails
    and the body's open file is left to the garbage collector, a ResourceWarning that this
    suite turns into a failure. gunicorn, in production, closes the body in any case.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve the app on 127.0.0.1 and a free port; return its base URL."""
    server = make_server("127.0.0.1", 0, _closing(live_app), threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    # Links in mails and reset links must point at this server, not the default port.
    live_app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium headless; fail (never skip) when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing, so the browser tests cannot run. "
            "Install it with: scripts/ensure-system-deps chromium",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def locale() -> str:
    """Return the browser's language; the source texts are English, translations may change."""
    return "en-GB"


@pytest.fixture
def open_phone(browser: Browser, live_server: str, locale: str):
    """Return a function that opens a phone (360x740, touch) in a fresh browser context.

    Each phone has its own cookies, like a second device; all close after the test.
    """
    contexts = []

    def open_phone() -> Page:
        context = browser.new_context(
            base_url=live_server,
            viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale=locale,
        )
        contexts.append(context)
        context.set_default_timeout(10_000)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_phone) -> Page:
    """Open a fresh phone-sized browser context (360x740, touch) for one test."""
    return open_phone()


@pytest.fixture(scope="session")
def media_samples(tmp_path_factory):
    """Return a function that gives the path of a sample "jpeg", "png" or "mp4", made once."""
    folder = tmp_path_factory.mktemp("media-samples")

    @functools.cache
    def sample(kind: str) -> Path:
        makers = {
            "jpeg": mediafiles.jpeg_with_gps,
            "png": mediafiles.png,
            "mp4": lambda: mediafiles.video(folder),
        }
        data = makers[kind]()
        path = folder / f"sample.{kind}"
        path.write_bytes(data)
        return path

    return sample


# Goals that make_youth(goals=...) adds, by name. Evidence on OWN_PHOTO is on a photo stored for
# that goal alone ("cooking.jpg"), after the media the test asked for.
OWN_PHOTO = 0
GOALS = {
    "active": GoalSpec(
        title="I want to learn to cook",
        why="Later I live on my own and I do not want chips every day.",
        helpers="Aunt Ria",
        due_in_days=60,
        steps=(
            "Choose three easy recipes",
            "Go shopping together",
            "Cook once a week",
            "Cook for the group",
        ),
        done=2,
        ratings=("good",),
        evidence=((OWN_PHOTO, None), (OWN_PHOTO, 0)),  # on the goal and on its first step
    ),
    "achieved": GoalSpec(
        title="I want to play the guitar every week",
        why="Making music calms me down.",
        steps=("Borrow a guitar", "Learn three chords", "Play a whole song"),
        done=3,
        ratings=("good",),
        status="achieved",
    ),
    "paused": GoalSpec(
        title="I want to get my driving licence",
        steps=("Read the theory book", "Take a first lesson"),
        done=1,
        ratings=("bit",),
        status="paused",
    ),
    "no-steps": GoalSpec(
        title="I want to sleep better",
        why="Then I am less tired at school.",
        helpers="The family doctor",
        estimate=25,
        ratings=("not_yet",),
    ),
}
PLAN_TITLE = "My future plan"
# The cover registration gives: only the title is the young person's.
EMPTY_PLAN = PlanSpec(title=PLAN_TITLE, theme="sunrise", layout="classic")
TALENT = 1  # index of the about item whose id make_youth(filled=True) returns
FILLED_PLAN = PlanSpec(
    title="Sam's plan",
    subtitle="Step by step to my own place",
    theme="ocean",
    layout="band",
    intro="Hi! I am Sam and I live in Deventer.\n\nLater I want to work with animals.",
    about=(("quality", "I am honest"), ("talent", "Drawing"), ("hobby", "Football")),
)


def plan_spec(base: PlanSpec, media: tuple[str, ...], goals: tuple[str, ...], sample) -> PlanSpec:
    """Describe `base` with the named samples as media and the named goals from GOALS."""
    items = [MediaSpec(f"sample.{kind}", source=sample(kind)) for kind in media]
    goal_specs = []
    for name in goals:
        goal = GOALS[name]
        if goal.evidence:
            items.append(MediaSpec("cooking.jpg", source=sample("jpeg")))
            own = len(items) - 1
            goal = replace(goal, evidence=tuple((own, step) for _, step in goal.evidence))
        goal_specs.append(goal)
    return replace(base, media=tuple(items), goals=tuple(goal_specs))


@pytest.fixture
def make_youth(live_app, media_samples, tmp_path):
    """Return a function that creates a young person with a username and a plan.

    `media` names samples ("jpeg", "png", "mp4") to store in the plan; their ids come back
    in youth["media"] under the same names. `goals` names goals from GOALS to add; their
    ids come back in youth["goals"] under the same names.
    """
    workdir = tmp_path / "make-youth"  # the builder's copies, apart from the test's own files
    workdir.mkdir()

    def make(
        name: str = "Sam",
        *,
        filled: bool = False,
        media: tuple[str, ...] = (),
        goals: tuple[str, ...] = (),
    ) -> dict:
        username = f"youth{next(_usernames)}"
        spec = plan_spec(FILLED_PLAN if filled else EMPTY_PLAN, media, goals, media_samples)
        with live_app.app_context():
            user = auth_services.register_youth(
                name, username, PASSWORD, locale=None, plan_title=PLAN_TITLE
            )
            built = build(user.plan, spec, workdir)
        youth = {
            "username": username,
            "password": PASSWORD,
            "plan_id": built.plan_id,
            "media": dict(zip(media, built.media[: len(media)], strict=True)),
            "goals": dict(zip(goals, built.goals, strict=True)),
        }
        if filled:
            youth["item_id"] = built.about[TALENT]
        return youth

    return make


@pytest.fixture
def log_in():
    """Return a function that logs a young person in through the login form, in any language."""

    def log_in(page: Page, youth: dict) -> None:
        page.goto("/login")
        page.locator("#login").fill(youth["username"])
        page.locator("#password").fill(youth["password"])
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**/plans/{youth['plan_id']}")

    return log_in


class Sharing:
    """Make invitations, workers, reactions and suggestions through the app's services."""

    def __init__(self, app):
        self.app = app

    def _context(self):
        # create_invite builds an absolute link with url_for, so it needs a request.
        return self.app.test_request_context(base_url=self.app.config["BASE_URL"])

    def invite(self, youth: dict, *, role: str = "worker", label: str = "Mo") -> str:
        """Make an invitation for the young person's plan; return its path (/invite/...)."""
        with self._context():
            plan = db.session.get(Plan, youth["plan_id"])
            link = sharing_services.create_invite(plan, role=role, label=label, email=None)
        return link.removeprefix(self.app.config["BASE_URL"])

    def expire(self, path: str) -> None:
        """Make the invitation of `path` older than seven days."""
        with self._context():
            invite = sharing_services.find_invite(path.rsplit("/", 1)[-1])
            invite.expires_at = invite.expires_at - timedelta(days=30)
            db.session.commit()

    def worker(self, youth: dict | None = None, *, name: str = "Mo de Vries", role="worker"):
        """Make a supporter with a confirmed address; with `youth`, they accept an invitation.

        Returns {"email", "password", "user_id", "share_id" (or None), "invite" (the path)}.
        """
        path = self.invite(youth, role=role) if youth else None
        with self._context():
            email = f"worker{next(_workers)}@example.org"
            user = sharing_services.register_supporter(name, email, PASSWORD, None)
            user.email_confirmed = True
            db.session.commit()
            share_id = None
            if path:
                invite = sharing_services.find_invite(path.rsplit("/", 1)[-1])
                share_id = sharing_services.accept_invite(invite, user).id
            return {
                "email": email,
                "password": PASSWORD,
                "user_id": user.id,
                "share_id": share_id,
                "invite": path,
            }

    def comment(self, goal_id: int, user_id: int, body: str, parent: int | None = None) -> int:
        """Add a reaction (or a reply to `parent`) on a goal; return its id."""
        with self._context():
            goal = db.session.get(Goal, goal_id)
            author = db.session.get(User, user_id)
            parent_comment = db.session.get(Comment, parent) if parent else None
            return comment_services.add_comment(goal, author, body, parent_comment).id

    def suggest(self, goal_id: int, user_id: int, text: str, why: str = "") -> int:
        """Let a worker suggest a step for a goal; return the suggestion's id."""
        with self._context():
            goal = db.session.get(Goal, goal_id)
            author = db.session.get(User, user_id)
            return comment_services.suggest(goal.plan, author, text, why, goal).id

    def youth_user_id(self, youth: dict) -> int:
        with self._context():
            return auth_services.find_by_login(youth["username"]).id


@pytest.fixture
def sharing(live_app) -> Sharing:
    """Return a helper that shares plans with workers and fills conversations."""
    return Sharing(live_app)


def log_in_worker(page: Page, worker: dict) -> None:
    """Log a supporter in with their e-mail address; they land on their overview."""
    page.goto("/login")
    page.locator("#login").fill(worker["email"])
    page.locator("#password").fill(worker["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


@pytest.fixture
def reset_link(live_app):
    """Return a function that makes a one-time reset link, as `flask users reset-link` does."""

    def make(username: str) -> str:
        with live_app.test_request_context(base_url=live_app.config["BASE_URL"]):
            user = auth_services.find_by_login(username)
            return auth_services.reset_link(user)

    return make


def horizontal_overflow(page: Page) -> int:
    """Return how many pixels the page is wider than the phone screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return width - PHONE_WIDTH


# Buttons and button-styled links are tap targets; text links inside paragraphs are exempt.
_SMALL_TAP_TARGETS_JS = """
(minHeight) => {
  const selector = 'button, .button, .icon-button, summary, input[type=submit]';
  return [...document.querySelectorAll(selector)]
    // checkVisibility() also leaves out what sits in a closed <details> menu.
    .filter((el) => el.checkVisibility({visibilityProperty: true}))
    .filter((el) => el.getBoundingClientRect().width > 1)
    .filter((el) => el.getBoundingClientRect().height < minHeight)
    .map((el) => `<${el.localName} class="${el.className}"> "${el.textContent.trim()}"`
      + ` is ${el.getBoundingClientRect().height}px high`);
}
"""


def small_tap_targets(page: Page) -> list[str]:
    """Return the visible buttons that are less than 44 px high."""
    return page.evaluate(_SMALL_TAP_TARGETS_JS, MIN_TAP_HEIGHT)


@pytest.fixture
def check_phone_layout():
    """Return a function that asserts a page fits a 360 px phone and is easy to tap."""

    def check(page: Page) -> None:
        overflow = horizontal_overflow(page)
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {PHONE_WIDTH}px"
        small = small_tap_targets(page)
        assert not small, f"{page.url} has tap targets under {MIN_TAP_HEIGHT}px: {small}"

    return check
