"""A worker's caseload in the browser: three young people through two organisations. On a
laptop the worker sees the one who rated a goal "gaat nog niet" first, filters by team and
finds one by name; a goal hidden from them never shows in that young person's counts. At
1280 px each young person is one row of a table-like list, at 360 px a card; axe finds
nothing, in Dutch and English."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from toekomstplan.extensions import db
from toekomstplan.models import (
    Goal,
    HiddenGoal,
    MemberRole,
    Membership,
    Organisation,
    Share,
    ShareRole,
    Step,
    Team,
)

from .conftest import PHONE_WIDTH, horizontal_overflow, log_in_worker

pytestmark = pytest.mark.e2e
LOCALES = ["nl-NL", "en-GB"]
LAPTOP = {"width": 1280, "height": 800}
TEXT = {  # what the worker reads, per language
    "nl-NL": {"not_yet": "Gaat nog niet", "cleo": "100% op weg, 1 doel", "team": "Team"},
    "en-GB": {"not_yet": "Not going yet", "cleo": "100% on the way, 1 goal", "team": "Team"},
}


@pytest.fixture
def caseload(live_app, make_youth, sharing):
    """Mo works for two organisations (team Noord and team Zuid). Anna (Noord) is on her
    way, Bram (Zuid) rated a goal "gaat nog niet", and Cleo (Noord) did too, on a goal she
    hides from Mo; her only other goal is done."""
    mo = sharing.worker(name="Mo")
    young = {name: make_youth(name) for name in ("Anna", "Bram", "Cleo")}
    with live_app.app_context():
        places = {}
        for org_name, team_name in (("Jeugdformaat", "Noord"), ("Kompaan", "Zuid")):
            team = Team(name=team_name)
            org = Organisation(name=f"{org_name} {mo['user_id']}", teams=[team])
            place = Membership(user_id=mo["user_id"], role=MemberRole.WORKER, teams=[team])
            org.memberships = [place]
            db.session.add(org)
            db.session.flush()
            places[team_name] = place.id
        goals = {
            "Anna": [("Rijbewijs halen", 2, None)],
            "Bram": [("Werk zoeken", 1, "not_yet")],
            "Cleo": [("Zelf koken", 4, "good"), ("Geheim doel", 0, "not_yet")],
        }
        teams = {"Anna": "Noord", "Bram": "Zuid", "Cleo": "Noord"}
        for name, youth in young.items():
            for title, done, rating in goals[name]:
                goal = Goal(plan_id=youth["plan_id"], title=title, rating=rating)
                goal.steps = [Step(text=f"Stap {i}", done=i < done) for i in range(4)]
                db.session.add(goal)
            share = Share(
                plan_id=youth["plan_id"],
                user_id=mo["user_id"],
                role=ShareRole.WORKER,
                membership_id=places[teams[name]],
                last_visit_at=datetime.now(UTC) - timedelta(days=1),
            )
            db.session.add(share)
            db.session.flush()
            if name == "Cleo":
                secret = db.session.scalar(
                    db.select(Goal.id).where(
                        Goal.plan_id == youth["plan_id"], Goal.title == "Geheim doel"
                    )
                )
                db.session.add(HiddenGoal(share_id=share.id, goal_id=secret))
        db.session.commit()
    return mo


def _laptop(browser: Browser, base_url: str, locale: str) -> Page:
    context = browser.new_context(base_url=base_url, viewport=LAPTOP, locale=locale)
    context.set_default_timeout(15_000)
    return context.new_page()


def _names(page: Page) -> list[str]:
    return page.locator(".caseload .shared__name").all_inner_texts()


def _card(page: Page, name: str):
    return page.locator(".case").filter(has=page.locator(".shared__name", has_text=name))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_worker_sees_who_needs_attention_filters_and_searches(
    browser, live_server, live_app, caseload, open_phone, locale
):
    text, axe, problems = TEXT[locale], Axe(), []

    def scan(page: Page, name: str) -> None:
        result = axe.run(page)
        if result.violations_count:
            problems.append(f"{name} ({locale}): {result.generate_report()}")
        page.screenshot(path=f"{live_app.instance_path}/caseload-{name}-{locale}.png")

    mo = _laptop(browser, live_server, locale)
    log_in_worker(mo, caseload)
    assert _names(mo)[0] == "Bram"  # "gaat nog niet" comes first
    expect(_card(mo, "Bram").locator(".chip--not_yet")).to_have_text(text["not_yet"])
    cleo = _card(mo, "Cleo")
    expect(cleo).to_contain_text(text["cleo"])  # the hidden goal is in no figure
    expect(cleo.locator(".chip--not_yet")).to_have_count(0)  # nor in a signal
    expect(mo.locator("main")).not_to_contain_text("Geheim doel")
    # At 1280 px a young person is one row: name, progress and signals side by side.
    who = _card(mo, "Bram").locator(".case__who").bounding_box()
    signals = _card(mo, "Bram").locator(".case__signals").bounding_box()
    assert signals["x"] > who["x"] + who["width"] and abs(signals["y"] - who["y"]) < 40
    scan(mo, "laptop")

    mo.get_by_label(text["team"], exact=True).select_option("Zuid")
    mo.locator("form.caseload-filters button[type=submit]").click()
    mo.wait_for_url(re.compile(r"team=Zuid"))
    assert _names(mo) == ["Bram"]
    mo.get_by_label(text["team"], exact=True).select_option("")
    mo.locator("#q").fill("cle")
    mo.locator("#q").press("Enter")
    mo.wait_for_url(re.compile(r"q=cle"))
    assert _names(mo) == ["Cleo"]
    expect(_card(mo, "Cleo")).to_contain_text(text["cleo"])
    scan(mo, "search")

    # On a phone the same people are cards, stacked, and nothing is wider than the screen.
    phone = open_phone()
    log_in_worker(phone, caseload)
    assert _names(phone)[0] == "Bram"
    assert horizontal_overflow(phone) <= 0
    card = _card(phone, "Bram")
    who = card.locator(".case__who").bounding_box()
    progress = card.locator(".case__progress").bounding_box()
    assert progress["y"] >= who["y"] + who["height"] - 1
    assert card.bounding_box()["width"] <= PHONE_WIDTH
    scan(phone, "phone")
    assert not problems, "\n".join(problems)
