"""Fixtures for the Flask test-client suite: a fresh app and database for every test.

Set TEST_DATABASE_URL (for example
postgresql+psycopg://postgres:postgres@127.0.0.1/toekomstplan_test) to run every test on
PostgreSQL instead of a temporary SQLite file; the tables are dropped and created around each
test.
"""

import itertools
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from toekomstplan import create_app
from toekomstplan.extensions import db, limiter
from toekomstplan.jobs import huey
from toekomstplan.mail import outbox_messages
from toekomstplan.models import Plan, User, UserKind
from toekomstplan.passwords import hash_password

from . import factories
from .factories import CSRF_INPUT, read_csrf_token  # noqa: F401 (used by test modules)
from .loopback import redis_servers, s3_servers

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# Background jobs (video preparation) run at once, inside the request that queues them.
huey.immediate = True
PASSWORD = "a walk along the river"

_logins = itertools.count(1)


def app_settings(folder) -> dict:
    """Return the settings of a test app in `folder`: temporary storage, cheap hashing,
    real CSRF (also used by test modules that keep one app for the whole module)."""
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "DEBUG": False,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{folder / 'test.sqlite'}",
        "MAIL_SERVER": None,
        "MAIL_OUTBOX": str(folder / "outbox"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "BASE_URL": "http://127.0.0.1:5000",
        "TRUSTED_HOSTS": None,
        "SESSION_COOKIE_SECURE": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 1024,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_LIMIT": "5 per 15 minutes",
        "SESSION_IDLE_MINUTES": 120,
        "SESSION_MAX_HOURS": 12,
    }


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """A real S3-compatible store (SeaweedFS on loopback) with the tests' bucket, started
    once for the run by the first test that needs it."""
    server = s3_servers.start(tmp_path_factory.mktemp("seaweedfs"))
    server.make_bucket(s3_servers.BUCKET)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """Debian's redis-server on loopback, for the tests that run production settings."""
    server = redis_servers.start(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Return the settings of a test app: temporary storage, cheap hashing, real CSRF."""
    return app_settings(tmp_path)


def build_app(config: dict, instance_path):
    """Create an app whose instance folder (demo log-ins) is a temporary one."""
    app = create_app(config)
    app.instance_path = str(instance_path)
    return app


def close_app(app, drop: bool = True) -> None:
    """For a test that built an app of its own: leave the database as the next test expects
    it (on PostgreSQL the tables go), and no connection open."""
    with app.app_context():
        db.session.remove()
        if drop and TEST_DATABASE_URL:
            db.drop_all()
        db.engine.dispose()


def drop_everything() -> None:
    """Drop every table in the database, including ones the models do not know."""
    existing = sa.MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)


@pytest.fixture
def app(app_config, tmp_path):
    """Build the app on an empty database with the schema of the models."""
    app = build_app(app_config, tmp_path / "instance")
    with app.app_context():
        if TEST_DATABASE_URL:
            drop_everything()
        db.create_all()
        limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        if TEST_DATABASE_URL:
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def empty_app(app_config, tmp_path):
    """Build the app on a database without a single table, not even alembic_version."""
    app = build_app(app_config, tmp_path / "instance")
    with app.app_context():
        drop_everything()
    yield app
    with app.app_context():
        db.session.remove()
        drop_everything()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """Return a test client that asks for English, so the texts checked do not depend on
    whether the Dutch translations are compiled (the default-language tests remove this)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def new_client(app):
    """Return a factory of more test clients (more browsers), English like `client`."""

    def make():
        other = app.test_client()
        other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return other

    return make


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Return a factory of accounts; a young person gets a plan, as registration gives."""

    def make(
        kind: str = UserKind.YOUTH,
        login: str | None = None,
        password: str = PASSWORD,
        name: str = "Sam",
        confirmed: bool = True,
        locale: str | None = None,
    ) -> User:
        login = login or f"user{next(_logins)}"
        is_email = "@" in login
        with app.app_context():
            user = User(
                kind=kind,
                name=name,
                email=login.lower() if is_email else None,
                username=None if is_email else login,
                email_confirmed=confirmed if is_email else False,
                password_hash=hash_password(password),
                locale=locale,
            )
            if kind == UserKind.YOUTH:
                user.plan = Plan(cover_title="My future plan")
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            _ = user.plan and user.plan.id  # load it before the session closes
            db.session.expunge_all()
        user.password = password  # the plain password, for logging in
        return user

    return make


@pytest.fixture
def csrf_token():
    """Return a function that reads the CSRF token of a client's session from a page."""
    return read_csrf_token


@pytest.fixture
def post():
    """Return a function that POSTs a form with a real CSRF token of the client's session."""

    return factories.post_form


@pytest.fixture
def youth(client, login, make_user):
    """Return a young person (Sam) logged in on `client`."""
    user = make_user(name="Sam")
    login(client, user.username, user.password)
    return user


@pytest.fixture
def make_goal(client, youth):
    """Return a function that makes a goal in the logged-in young person's plan."""

    def make(title="Find a side job", steps="Write my CV\nAsk around\nApply", **extra):
        fields = {"why": "Money", "helpers": "Mo", **extra}
        return factories.new_goal(client, youth.plan.id, title, steps, **fields)

    return make


@pytest.fixture
def upload(client):
    """Return a function that uploads one file like the page's script does."""

    def send(user, data: bytes, name: str, *, headers=factories.JSON, who=None):
        return factories.upload(who or client, user.plan.id, data, name, headers=headers)

    return send


@pytest.fixture
def login(post):
    """Return a function that logs `client` in with the log-in form."""

    def log_in(client, login: str, password: str = PASSWORD, **kwargs):
        return post(client, "/login", {"login": login, "password": password}, **kwargs)

    return log_in


@pytest.fixture
def logout(post):
    """Return a function that logs `client` out with the menu's log-out button."""

    def log_out(client):
        return post(client, "/logout")

    return log_out


class Outbox:
    """The mails the app wrote to its outbox folder."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self):
        return outbox_messages(self.folder)

    def to(self, address: str):
        return [m for m in self() if m["To"] == address]

    @staticmethod
    def link(message) -> str:
        """Return the path of the one link in a mail (links start with BASE_URL)."""
        urls = re.findall(r"https?://\S+", message.get_content())
        assert len(urls) == 1, urls
        return urlsplit(urls[0]).path


@pytest.fixture
def mails(app):
    """Return the outbox: call it for every mail, oldest first."""
    return Outbox(app.config["MAIL_OUTBOX"])


@dataclass
class Person:
    user: User
    client: object

    @property
    def id(self) -> int:
        return self.user.id


@pytest.fixture
def person(app, make_user, new_client, login):
    """Return a function: an account, logged in on a browser of its own."""

    def make(name: str, kind: str = UserKind.SUPPORTER) -> Person:
        login_name = f"{name.lower()}@example.org" if kind == UserKind.SUPPORTER else name.lower()
        user = make_user(kind=kind, login=login_name, name=name)
        browser = new_client()
        assert login(browser, login_name, PASSWORD).status_code == 302
        return Person(user, browser)

    return make
