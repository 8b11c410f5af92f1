"""A stand-in during leave, in the browser: Mo asks for Eva to stand in until a date, Sanne
accepts on her phone, Eva reacts on Sanne's goal, and once the date has passed (the app's
clock moved on) Eva is refused. axe finds nothing on the pages on the way, in Dutch and
English."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from toekomstplan import clock
from toekomstplan.extensions import db
from toekomstplan.models import MemberRole, Membership, Organisation, Share

from .conftest import log_in_worker

pytestmark = pytest.mark.e2e
LAPTOP = {"width": 1280, "height": 800}
TEXT = {
    "nl-NL": {"ask": "Vraag een invaller", "send_ask": "Vraag het de jongeren",
              "asked": "Gevraagd.", "question": "Mag Eva zolang meekijken en reageren?",
              "yes": "Ja, dat mag", "may": "Eva mag meekijken", "send": "Versturen"},
    "en-GB": {"ask": "Ask for a stand-in", "send_ask": "Ask the young people",
              "asked": "Asked.", "question": "May Eva look along and react until then?",
              "yes": "Yes, that is fine", "may": "Eva may look along", "send": "Send"},
}  # fmt: skip


@pytest.fixture
def leave(live_app, make_youth, sharing):
    """Sanne shares with Mo through Jeugdformaat, where Eva works too."""
    sanne = make_youth("Sanne", goals=("active",))
    mo = sharing.worker(sanne, name="Mo")
    eva = sharing.worker(name="Eva")
    with live_app.app_context():
        org = Organisation(name=f"Jeugdformaat {mo['user_id']}")
        places = [Membership(user_id=p["user_id"], role=MemberRole.WORKER) for p in (mo, eva)]
        org.memberships = places
        db.session.add(org)
        db.session.flush()
        db.session.get(Share, mo["share_id"]).membership_id = places[0].id
        db.session.commit()
    return sanne, mo, eva


def _laptop(browser, base_url: str, locale: str) -> Page:
    context = browser.new_context(base_url=base_url, viewport=LAPTOP, locale=locale)
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_mo_asks_sanne_accepts_eva_reacts_and_is_refused_after_the_date(
    browser, live_server, live_app, leave, open_phone, log_in, monkeypatch, locale
):
    sanne, mo, eva = leave
    text, axe, problems = TEXT[locale], Axe(), []

    def scan(page: Page, name: str) -> None:
        result = axe.run(page)
        if result.violations_count:
            problems.append(f"{name} ({locale}): {result.generate_report()}")
        page.screenshot(path=f"{live_app.instance_path}/stand-in-{name}-{locale}.png")

    until = date.today() + timedelta(days=14)
    worker = _laptop(browser, live_server, locale)
    log_in_worker(worker, mo)
    worker.get_by_role("link", name=text["ask"]).click()
    worker.wait_for_url("**/leave")
    worker.locator("#colleague").select_option(label="Eva")
    worker.locator("#until").fill(until.isoformat())
    scan(worker, "leave")
    worker.get_by_role("button", name=text["send_ask"]).click()
    expect(worker.locator("main")).to_contain_text(text["asked"])

    phone = open_phone()
    log_in(phone, sanne)
    expect(phone.locator("main")).to_contain_text(text["question"])
    scan(phone, "question")
    phone.get_by_role("button", name=text["yes"]).click()
    expect(phone.locator("main")).to_contain_text(text["may"])

    goal = f"/goals/{sanne['goals']['active']}"
    colleague = _laptop(browser, live_server, locale)
    log_in_worker(colleague, eva)
    expect(colleague.locator("main")).to_contain_text("Sanne")
    colleague.goto(goal)
    colleague.locator("#body").fill("Ik val in voor Mo. Hoe gaat het met koken?")
    colleague.get_by_role("button", name=text["send"], exact=True).click()
    expect(colleague.locator("#comments .comment__body")).to_contain_text(["Ik val in voor Mo."])
    scan(colleague, "reacted")

    # The last day passes: from the first second after it, Eva is refused.
    after = datetime.combine(until + timedelta(days=1), time(0, 0, 1), ZoneInfo("Europe/Amsterdam"))
    monkeypatch.setattr(clock, "now", lambda: after)
    answer = colleague.goto(goal)
    assert answer is not None and answer.status == 404
    colleague.goto("/")
    expect(colleague.locator("main")).not_to_contain_text("Sanne")
    assert not problems, "\n".join(problems)
