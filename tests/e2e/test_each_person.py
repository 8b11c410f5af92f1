"""What each person sees, in the browser at 360 px: long words, sharing an invitation link,
read-aloud without voices, and a support worker's and a parent's walk through the plan.
"""

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from ..test_supporter_words import YOUTH_ONLY, youth_phrases
from .conftest import log_in_worker

pytestmark = pytest.mark.e2e

# A pasted link, a shout: one word of 100 characters with nowhere to break.
LONG_WORD = "!" * 40 + "H" + "e" * 58 + "l"


def test_a_hundred_character_word_in_every_field_keeps_every_page_at_phone_width(
    page: Page, make_youth, log_in, check_phone_layout
):
    assert len(LONG_WORD) == 100
    youth = make_youth(goals=("active",))
    log_in(page, youth)
    plan, goal = youth["plan_id"], youth["goals"]["active"]
    page.goto(f"/plans/{plan}/cover")
    page.locator("#title").fill(LONG_WORD[:60])
    page.locator("#subtitle").fill(LONG_WORD)
    page.locator("form[data-cover-form] button[type=submit]").last.click()
    page.goto(f"/plans/{plan}/intro")
    page.locator("#text").fill(f"Hoi {LONG_WORD} daar")
    page.locator("main form button[type=submit]").last.click()
    page.goto(f"/plans/{plan}/about")
    page.locator("input[name=kind]").first.check()
    page.locator("#text").fill(LONG_WORD)
    page.locator("main form button[type=submit]").last.click()
    page.goto(f"/goals/{goal}/edit")
    page.locator("#title").fill(LONG_WORD)
    page.locator("#why").fill(LONG_WORD)
    page.locator("#helpers").fill(LONG_WORD)
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"/goals/{goal}")
    page.locator("#text").fill(LONG_WORD)
    page.locator("form.add-step button[type=submit]").click()
    page.locator("#body").fill(LONG_WORD)
    page.locator("#comments form button[type=submit]").last.click()
    for path in (
        f"/plans/{plan}",
        f"/plans/{plan}/goals",
        f"/goals/{goal}",
        f"/plans/{plan}/export",
    ):
        page.goto(path)
        expect(page.locator("main")).to_contain_text(LONG_WORD[:40])
        check_phone_layout(page)


def test_the_invitation_link_can_be_copied_with_one_tap(page: Page, make_youth, log_in):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    youth = make_youth()
    log_in(page, youth)
    page.goto(f"/plans/{youth['plan_id']}/sharing")
    page.locator("#label").fill("Mo")
    page.locator("main form button[type=submit]").last.click()
    link = page.locator("#invite-link").input_value()
    assert "/invite/" in link
    copy = page.locator("[data-share-copy]")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator("[data-share-status]")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == link


def test_read_aloud_is_hidden_on_a_device_without_voices(page: Page, make_youth, log_in):
    youth = make_youth(goals=("active",))
    log_in(page, youth)
    page.goto(f"/goals/{youth['goals']['active']}")
    assert page.evaluate("speechSynthesis.getVoices().length") == 0  # headless Chromium
    for button in page.locator("[data-read-aloud]").all():
        expect(button).to_be_hidden()
    # The copy of the goal that read-aloud reads is not read out to screen readers too.
    expect(page.locator("#goal-text")).to_be_hidden()


@pytest.mark.parametrize("role", ["worker", "viewer"])
def test_a_supporter_walks_the_plan_and_is_never_spoken_to_as_the_young_person(
    page: Page, make_youth, sharing, role
):
    youth = make_youth(filled=True, goals=("active", "achieved"))
    supporter = sharing.worker(youth, role=role)
    log_in_worker(page, supporter)
    plan = youth["plan_id"]
    walk = [f"/plans/{plan}", f"/plans/{plan}/goals", f"/plans/{plan}/export", "/account"]
    walk += [f"/goals/{goal_id}" for goal_id in youth["goals"].values()]
    lang = page.evaluate("document.documentElement.lang")
    for path in walk:
        page.goto(path)
        found = youth_phrases(page.content(), lang)
        assert found == [], f"{path} speaks as the young person: {found}"
    assert YOUTH_ONLY[lang]  # the list the unit test also uses, in this page's language
    page.goto(f"/plans/{plan}/goals")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^(Goals of|Doelen van) ")
    )


def test_the_cover_editor_keeps_a_draft_when_the_young_person_leaves_to_add_a_photo(
    page: Page, make_youth, log_in
):
    youth = make_youth()
    log_in(page, youth)
    cover = f"/plans/{youth['plan_id']}/cover"
    page.goto(cover)
    page.locator("#title").fill("Noor gaat ervoor")
    page.locator("label.swatch", has_text="Lemon").click()
    page.get_by_role("link", name="Add photos or make a drawing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Photos and videos")

    page.goto(cover)
    expect(page.locator("[data-draft-note]")).to_be_visible()
    expect(page.locator("#title")).to_have_value("Noor gaat ervoor")
    expect(page.get_by_role("radio", name="Lemon")).to_be_checked()
    expect(page.locator(".editor__preview [data-cover-title]")).to_have_text("Noor gaat ervoor")
    # The default cover shows the young person's own initial, not the title's.
    expect(page.locator(".editor__preview [data-cover-initial]")).to_have_text("S")

    page.get_by_role("button", name="Save my cover").click()
    expect(page.locator(".cover-frame [data-cover-title]")).to_have_text("Noor gaat ervoor")
    page.goto(cover)
    expect(page.locator("[data-draft-note]")).to_be_hidden()


def test_one_tap_saves_the_meeting_and_its_pdf_holds_the_points_just_typed(
    page: Page, make_youth, log_in, tmp_path
):
    youth = make_youth(goals=("active",))
    log_in(page, youth)
    page.goto(f"/plans/{youth['plan_id']}/export")
    page.locator("#point_1").fill("Mijn stage bij de bakker")
    with page.expect_download() as download:
        page.get_by_role("button", name="Save the meeting and download the PDF").click()
    pdf = tmp_path / "meeting.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Mijn stage bij de bakker" in " ".join(text.split())
    page.goto(f"/plans/{youth['plan_id']}/export")
    expect(page.locator("#point_1")).to_have_value("Mijn stage bij de bakker")


def test_the_access_log_after_a_workers_visit_reads_in_plain_words(
    page: Page, make_youth, log_in, sharing, browser, live_server, check_phone_layout
):
    youth = make_youth(goals=("active",))
    worker = sharing.worker(youth)
    # The worker looks at the plan and a goal, and tries a goal of another plan.
    other = make_youth(goals=("active",))
    context = browser.new_context(base_url=live_server)
    theirs = context.new_page()
    log_in_worker(theirs, worker)
    theirs.goto(f"/plans/{youth['plan_id']}")
    theirs.goto(f"/goals/{youth['goals']['active']}")
    theirs.goto(f"/goals/{other['goals']['active']}")
    context.close()

    log_in(page, youth)
    page.goto(f"/plans/{youth['plan_id']}/log")
    log = page.locator("main")
    expect(log).to_contain_text("looked at your plan.")
    expect(log).to_contain_text("looked at your goal “I want to learn to cook”.")
    text = log.inner_text()
    for raw in ("goal:", "media:", "role:", "/goals/", "/plans/", "not allowed"):
        assert raw not in text, raw
    check_phone_layout(page)
