"""Things done at once: one-time things are used once, no collision is a 500, and a mail that
cannot go leaves nothing half made.

Several requests at once come from threads, each with a browser (test client) of its own,
held at a barrier so they reach the server together.
"""

from __future__ import annotations

import io
import re
import threading

import pytest
import sqlalchemy as sa

from toekomstplan import errors
from toekomstplan.comments import services as comment_services
from toekomstplan.extensions import db
from toekomstplan.models import (
    AboutItem,
    Comment,
    Goal,
    Invite,
    LoginToken,
    Media,
    ReadMark,
    Share,
    Step,
    Suggestion,
    User,
    UserKind,
)
from toekomstplan.passwords import verify_password

from .conftest import Person
from .factories import CSRF_INPUT
from .mediafiles import png
from .test_sharing import LINK


@pytest.fixture
def person(make_user, new_client, login):
    """Return a function: an account, logged in on a browser of its own."""

    def make(name: str, kind: str = UserKind.SUPPORTER) -> Person:
        login_name = f"{name.lower()}@example.org" if kind == UserKind.SUPPORTER else name.lower()
        user = make_user(kind=kind, login=login_name, name=name)
        browser = new_client()
        assert login(browser, login_name).status_code == 302
        return Person(user, browser)

    return make


def together(count: int, work) -> list:
    """Run `work(index)` in `count` threads released at the same moment; return the results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except Exception as error:  # a server error in the test app comes through as this
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_one_invite_link_accepted_by_four_people_at_once_makes_one_share(app, person, post):
    amira = person("Amira", UserKind.YOUTH)
    page = post(
        amira.client, f"/plans/{amira.user.plan.id}/sharing", {"label": "Mo", "role": "worker"}
    )
    token = LINK.search(page.get_data(as_text=True)).group(1)
    people = [person(f"Worker{i}") for i in range(4)]
    tokens = [
        CSRF_INPUT.search(p.client.get("/help").get_data(as_text=True)).group(1) for p in people
    ]
    answers = together(
        4,
        lambda i: people[i].client.post(f"/invite/{token}/accept", data={"csrf_token": tokens[i]}),
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [302, 404, 404, 404], answers
    assert count(app, Share, Share.plan_id == amira.user.plan.id) == 1


def _reset_link(app, client, post, mails, email: str) -> str:
    post(client, "/forgot", {"email": email})
    return mails.link(mails.to(email)[-1])


def test_one_reset_link_used_by_three_requests_at_once_sets_one_password(
    app, make_user, new_client, post, mails
):
    user = make_user(login="sam@example.org")
    link = _reset_link(app, new_client(), post, mails, "sam@example.org")
    browsers = [new_client() for _ in range(3)]
    tokens = [CSRF_INPUT.search(b.get(link).get_data(as_text=True)).group(1) for b in browsers]
    passwords = [f"a new password number {i} for me" for i in range(3)]
    answers = together(
        3,
        lambda i: browsers[i].post(link, data={"csrf_token": tokens[i], "password": passwords[i]}),
    )
    assert sorted(a.status_code for a in answers) == [302, 404, 404], answers
    winner = next(i for i, a in enumerate(answers) if a.status_code == 302)
    with app.app_context():
        saved = db.session.get(User, user.id).password_hash
        assert verify_password(saved, passwords[winner])
        used = db.session.scalars(sa.select(LoginToken.used_at)).all()
        assert all(used)


def test_one_confirmation_link_opened_three_times_at_once_logs_in_once(
    app, new_client, post, mails
):
    post(
        new_client(),
        "/register",
        {"name": "Sam", "login": "sam@example.org", "password": "a walk along the river bank"},
    )
    link = mails.link(mails.to("sam@example.org")[-1])
    browsers = [new_client() for _ in range(3)]
    answers = together(3, lambda i: browsers[i].get(link))
    assert sorted(a.status_code for a in answers) == [302, 404, 404], answers


def test_a_name_with_a_line_break_is_one_line_everywhere_and_invites_still_go(
    app, new_client, post, mails, login
):
    browser = new_client()
    post(
        browser,
        "/register",
        {
            "name": "Sam\r\nBcc: someone@example.org\x1b[2J",
            "login": "sam2009",
            "password": "a walk along the river bank",
        },
    )
    login(browser, "sam2009", "a walk along the river bank")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "sam2009"))
        assert user.name.startswith("Sam") and not any(c in user.name for c in "\r\n\x1b")
        plan_id = user.plan.id
    response = post(
        browser,
        f"/plans/{plan_id}/sharing",
        {"label": "Mo\nX", "role": "worker", "email": "mo@example.org"},
    )
    assert response.status_code == 200
    (message,) = mails.to("mo@example.org")
    assert "\n" not in message["Subject"] and "Bcc" not in message.keys()
    assert count(app, Invite) == 1


def test_an_invite_whose_mail_cannot_go_leaves_no_invitation(app, person, post, mails):
    amira = person("Amira", UserKind.YOUTH)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)  # nothing listens there
    response = post(
        amira.client,
        f"/plans/{amira.user.plan.id}/sharing",
        {"label": "Mo", "role": "worker", "email": "mo@example.org"},
    )
    assert response.status_code == 200
    assert "could not be sent" in response.get_data(as_text=True)
    assert count(app, Invite) == 0


def test_one_goal_opened_in_six_tabs_at_once_is_shown_six_times(
    app, client, youth, make_goal, new_client, login, post
):
    goal_id = make_goal()
    tabs = [new_client() for _ in range(6)]
    for tab in tabs:
        login(tab, youth.username, youth.password)
    answers = together(6, lambda i: tabs[i].get(f"/goals/{goal_id}"))
    assert [getattr(a, "status_code", a) for a in answers] == [200] * 6


def test_six_read_marks_of_one_goal_at_once_make_one_row(app, youth, make_goal):
    """The goal page marks what its reader has seen: check-then-insert collided at once."""
    goal_id = make_goal()

    def mark(_index):
        with app.app_context():
            user, goal = db.session.get(User, youth.id), db.session.get(Goal, goal_id)
            comment_services.mark_read(user, goal)

    assert together(6, mark) == [None] * 6
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReadMark)) == 1


def test_a_server_error_on_a_broken_transaction_shows_the_friendly_page(app, client, youth):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        db.session.add(
            User(kind=UserKind.YOUTH, name="Twin", username=youth.username, password_hash="x")
        )
        db.session.flush()  # a unique violation: the transaction must be rolled back now

    app.view_functions["help.page"] = broken
    response = client.get("/help")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page and "Log out" in page  # the full page


def test_when_even_the_error_page_fails_a_plain_page_is_sent(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def crash():
        raise RuntimeError("boom")

    app.view_functions["help.page"] = crash

    def no_templates(*args, **kwargs):
        raise RuntimeError("templates are gone")

    monkeypatch.setattr(errors, "render_template", no_templates)
    response = client.get("/help")
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in response.get_data(as_text=True)


# A double tap on every form that creates something

FORM_OF = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S)
ACTION = re.compile(r'action="([^"]*)"')
INPUT = re.compile(r"<input\b([^>]*)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


def hidden_fields(page: str, path: str, action: str) -> dict:
    """The hidden fields (CSRF and one-time token) of the form on `page` (at `path`) that
    posts to `action` (a form without an action posts to its own page)."""
    for match in FORM_OF.finditer(page):
        target = ACTION.search(match["attrs"])
        if (target[1].replace("&amp;", "&") if target else path) == action:
            inputs = [dict(ATTR.findall(attrs)) for attrs in INPUT.findall(match["body"])]
            return {i["name"]: i.get("value", "") for i in inputs if i.get("type") == "hidden"}
    raise AssertionError(f"no form posts to {action}")


def rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def shared_goal(app, client, youth, make_goal, person, post):
    """A goal of the young person, and a worker who may react and suggest on it."""
    goal_id = make_goal()
    page = post(client, f"/plans/{youth.plan.id}/sharing", {"label": "Mo", "role": "worker"})
    token = LINK.search(page.get_data(as_text=True)).group(1)
    worker = person("Mo")
    assert post(worker.client, f"/invite/{token}/accept").status_code == 302
    return goal_id, worker.client


CREATING_FORMS = {
    # name: (who, page with the form, the form's action, fields, model counted)
    "goal": (
        "youth",
        "/plans/{plan}/goals/new",
        "/plans/{plan}/goals/new",
        {"title": "Zwemmen", "steps": "Les"},
        Goal,
    ),
    "step": ("youth", "/goals/{goal}", "/goals/{goal}/steps", {"text": "Bellen"}, Step),
    "reaction": ("youth", "/goals/{goal}", "/goals/{goal}/comments", {"body": "Hoi"}, Comment),
    "about": (
        "youth",
        "/plans/{plan}/about",
        "/plans/{plan}/about",
        {"kind": "hobby", "text": "Koken"},
        AboutItem,
    ),
    "invite": (
        "youth",
        "/plans/{plan}/sharing",
        "/plans/{plan}/sharing",
        {"label": "Oma", "role": "viewer", "email": ""},
        Invite,
    ),
    "upload": ("youth", "/plans/{plan}/media", "/plans/{plan}/media", {"file": "png"}, Media),
    "evidence": ("youth", "/goals/{goal}", "/goals/{goal}/evidence", {"file": "png"}, Media),
    "suggested goal": (
        "worker",
        "/plans/{plan}/goals",
        "/plans/{plan}/suggestions",
        {"text": "Koken leren"},
        Suggestion,
    ),
    "suggested step": (
        "worker",
        "/goals/{goal}",
        "/goals/{goal}/suggestions",
        {"text": "Bel je mentor"},
        Suggestion,
    ),
}


@pytest.mark.parametrize("name", sorted(CREATING_FORMS))
def test_a_double_tap_on_a_form_that_creates_makes_one(app, client, youth, shared_goal, name):
    who, page_path, action, fields, model = CREATING_FORMS[name]
    goal_id, worker = shared_goal
    browser = client if who == "youth" else worker
    page_path, action = (p.format(plan=youth.plan.id, goal=goal_id) for p in (page_path, action))
    hidden = hidden_fields(browser.get(page_path).get_data(as_text=True), page_path, action)
    assert hidden.get("once"), "the form carries a one-time token"
    before = rows(app, model)

    def tap(_index):
        data = {**fields, **hidden}
        if data.get("file") == "png":
            data["file"] = (io.BytesIO(png()), "tap.png")
        response = browser.post(action, data=data, content_type="multipart/form-data")
        response.close()
        return response

    first, second = together(2, tap)
    assert {first.status_code, second.status_code} <= {200, 302}, (first, second)
    assert rows(app, model) == before + 1
    again = tap(0)  # and a third time, after both are done: sent where the first went
    assert again.status_code == 302 and rows(app, model) == before + 1
    follow = browser.get(again.location)
    assert "This was saved already." in follow.get_data(as_text=True)
