"""A support worker and a parent are spoken to as themselves, never as the young person.

Every GET page the route matrix lets a worker or a viewer reach is rendered for them, in Dutch
and in English, and so is every mail they can get; none may hold a phrase that only makes sense
to the young person whose plan it is ("my goals", "you reached this goal", ...).
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from toekomstplan.auth import services as auth_services
from toekomstplan.comments import notify
from toekomstplan.extensions import db
from toekomstplan.mail import outbox_messages
from toekomstplan.models import Comment, Plan, User
from toekomstplan.sharing import services as sharing_services

from .test_access_matrix import (
    ARGS,
    POLICY,
    RULES,
    Row,
    call,
    world,  # noqa: F401  (the fixture: one world for this module)
)

# Phrases that speak as or to the young person, in both languages. Every phrase the issue
# "What each person sees" quotes is here.
YOUTH_ONLY = {
    "nl": [
        re.compile(r"\d+ van je \d+ doel"),
        "Hier werk ik aan",
        "Terug naar mijn plan",
        "Terug naar mijn doelen",
        "Je hebt dit doel gehaald",
        "Daar mag je trots op zijn",
        "Laat zien wat je hebt geleerd",
        "Je account en je hele plan zijn dan voorgoed weg",
        "mijn account en mijn hele plan",
        "Welkom bij je toekomstplan",
        "Mijn doelen",
        "Wat ik geleerd heb",
        "Mijn goede eigenschappen",
        "Mijn talenten",
        "Mijn hobby's",
        "Hoe ver ben ik",
        "Ik denk dat ik op",
        "Waarom dit belangrijk is voor mij",
        "Wie helpt mij",
        "Mijn plan<",
    ],
    "en": [
        re.compile(r"\d+ of your \d+ goal"),
        "Working on it<",
        "Back to my plan",
        "Back to my goals",
        "You reached this goal",
        "something to be proud of",
        "Show what you learned",
        "Your account and your whole plan",
        "my account and my whole plan",
        "Welcome to your future plan",
        "My goals",
        "What I learned",
        "My good qualities",
        "My talents",
        "My hobbies",
        "How far am I",
        "I think I am at",
        "Why it matters to me",
        "Who helps me",
        "My plan<",
    ],
}
SUPPORTERS = ("worker", "viewer")
WORKER_LOGIN = "willem@example.org"


def youth_phrases(text: str, lang: str) -> list[str]:
    found = []
    for phrase in YOUTH_ONLY[lang]:
        if isinstance(phrase, re.Pattern):
            found += phrase.findall(text)
        elif phrase in text:
            found.append(phrase)
    return found


def supporter_pages() -> list[tuple[str, object]]:
    """The GET rules a worker or a viewer may call, as the matrix declares them."""
    pages = []
    for endpoint, methods in sorted(POLICY.items()):
        if set(methods.get("GET", ())) & set(SUPPORTERS):
            pages += [(endpoint, rule) for rule in RULES[endpoint] if "GET" in rule.methods]
    return pages


def set_locale(w, lang: str) -> None:
    with w.app.app_context():
        db.session.execute(sa.update(User).where(User.kind != "youth").values(locale=lang))
        db.session.commit()


def test_the_phrase_list_finds_what_it_looks_for():
    assert youth_phrases("<h1>Mijn doelen</h1> 0 van je 3 doelen gaan goed", "nl") == [
        "0 van je 3 doel",
        "Mijn doelen",
    ]
    assert youth_phrases("<p>Goals of Amira</p>", "en") == []


def test_the_walk_covers_the_pages_a_supporter_reads():
    endpoints = {endpoint for endpoint, _rule in supporter_pages()}
    assert {"plan.home", "goals.overview", "goals.goal", "export.form"} <= endpoints
    assert {"account.settings", "account.delete", "media.detail"} <= endpoints


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("kind", SUPPORTERS)
def test_no_page_a_supporter_reads_speaks_as_the_young_person(world, kind, lang):  # noqa: F811
    set_locale(world, lang)
    wrong = {}
    for endpoint, rule in supporter_pages():
        if kind not in POLICY[endpoint]["GET"]:
            continue
        args = {name: ARGS[name] for name in rule.arguments}
        url, response = call(world, kind, Row(rule, "GET", "", args, frozenset()), endpoint)
        assert response.status_code == 200, url
        if not response.mimetype.startswith("text/html"):
            continue
        found = youth_phrases(response.get_data(as_text=True), lang)
        if found:
            wrong[url] = found
    assert wrong == {}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_mail_a_supporter_gets_speaks_as_the_young_person(world, lang):  # noqa: F811
    set_locale(world, lang)
    app = world.app
    outbox = app.config["MAIL_OUTBOX"]
    before = len(outbox_messages(outbox))
    with app.test_request_context():
        worker = db.session.scalar(sa.select(User).where(User.email == WORKER_LOGIN))
        # Welcome (confirm your address), a reset link, an invitation, a new reaction, and
        # the daily digest.
        auth_services.send_confirmation(worker)
        auth_services.request_reset(worker.email)
        reply = db.session.get(Comment, world.owner_reply)  # the young person's, to the worker
        worker.notify_by_mail, worker.notify_daily = True, False
        db.session.commit()
        notify.mail_now(reply.id)
        worker.notify_daily, worker.last_digest_at = True, None
        db.session.commit()
        notify.send_digests()
        plan = db.session.get(Plan, world.plan)
        sharing_services.create_invite(plan, role="viewer", label="Tante", email="t@example.org")
    mails = outbox_messages(outbox)[before:]
    assert len(mails) == 5, [m["Subject"] for m in mails]
    wrong = {
        m["Subject"]: found
        for m in mails
        if (found := youth_phrases(m["Subject"] + "\n" + m.get_content(), lang))
    }
    assert wrong == {}
