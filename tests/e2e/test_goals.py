"""Goals on a phone: ideas, a goal from a card, one-tap steps, evidence, celebration.

Every test runs in Dutch and in English; TEXTS holds what the young person reads.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from toekomstplan.goals import inspiration

from .. import mediafiles
from .conftest import GOALS

pytestmark = pytest.mark.e2e
LOCALES = ["nl-NL", "en-GB"]
CARD = "bijbaan-vinden"
# plainlanguage.js waits this long after the last key before it asks for hints.
PLAIN_LANGUAGE_WAIT_MS = 600

TEXTS = {
    "nl-NL": {
        "lang": "nl",
        "my_goals": "Mijn doelen",
        "get_ideas": "Ideeën opdoen",
        "ideas_title": "Ideeën voor doelen",
        "use_idea": "Dit idee gebruiken",
        "new_goal": "Nieuw doel",
        "card_note": "Dit is een idee om mee te beginnen.",
        "title": "Ik wil een bijbaan vinden bij de bakker",
        "extra_step": "Ik vraag Mo om mee te gaan.",
        "save_goal": "Mijn doel opslaan",
        "goal_saved": "Je doel is opgeslagen. Veel succes!",
        "done_step": "Klaar: {step}",
        "progress": "{n}% klaar",
        "step_done": "Stap klaar: {step}",
        "learned": "Wat ik geleerd heb",
        "add": "Toevoegen",
        "evidence_added": "Toegevoegd aan wat je geleerd hebt.",
        "achieve": "Ik heb het gehaald!",
        "still_open": "nog",
        "tick_off": re.compile(r"^Ja, vink (hem|ze) af$"),
        "celebrated": "Het is je gelukt!",
        "achieved_title": "Gehaald!",
        "back_to_goals": "Terug naar mijn doelen",
        "achieved": "Gehaald",
        "working_on_it": "Hier werk ik aan",
        "jargon": "Ik wil mijn indicatie bespreken",
        "plain_word": "besluit over je hulp",
        "language_help": "Taalhulp",
        "four_words": (
            "Mijn hulpverlener en de hulpverlening bespreken mijn indicatie"
            " en het hulpverleningsplan."
        ),
        "more_tips": "Meer tips (1)",
        "use_plain": "Gebruik ‘besluit over je hulp’",
        "easy": "Ik wil leren koken.",
        "replaced": "Ik wil mijn besluit over je hulp bespreken",
        "save": "Opslaan",
        "saved": "Opgeslagen.",
        "conflict": "Dit doel is net veranderd",
        "title_first": "Ik wil koken voor mijn vrienden",
        "title_second": "Ik wil koken voor mijn familie",
    },
    "en-GB": {
        "lang": "en",
        "my_goals": "My goals",
        "get_ideas": "Get ideas",
        "ideas_title": "Ideas for goals",
        "use_idea": "Use this idea",
        "new_goal": "New goal",
        "card_note": "This is an idea to start with.",
        "title": "I want to find a part-time job at the bakery",
        "extra_step": "I ask Mo to come with me.",
        "save_goal": "Save my goal",
        "goal_saved": "Your goal is saved. Good luck!",
        "done_step": "Done: {step}",
        "progress": "{n}% done",
        "step_done": "Step done: {step}",
        "learned": "What I learned",
        "add": "Add",
        "evidence_added": "Added to what you learned.",
        "achieve": "I achieved it!",
        "still_open": "still open",
        "tick_off": re.compile(r"^Yes, tick (it|them) off$"),
        "celebrated": "You did it!",
        "achieved_title": "Achieved!",
        "back_to_goals": "Back to my goals",
        "achieved": "Achieved",
        "working_on_it": "Working on it",
        "jargon": "I want to talk about my care plan",
        "plain_word": "plan for your help",
        "language_help": "Language help",
        "four_words": "My care plan and care pathway and the pathway and my care plan again.",
        "more_tips": "More tips (1)",
        "use_plain": "Use ‘plan for your help’",
        "easy": "I want to learn to cook.",
        "replaced": "I want to talk about my plan for your help",
        "save": "Save",
        "saved": "Saved.",
        "conflict": "This goal just changed",
        "title_first": "I want to cook for my friends",
        "title_second": "I want to cook for my family",
    },
}

# Marks the page, so a later check can tell that it was not loaded again meanwhile.
_MARK_PAGE_JS = "() => { window.__marker = 1; }"
_MARKER_JS = "() => window.__marker"
# Waits until an <img> has loaded (decode() rejects when it is broken); gives its width.
_LOADED_WIDTH_JS = "img => img.decode().then(() => img.naturalWidth)"


@pytest.fixture
def texts(locale: str) -> dict:
    return TEXTS[locale]


def progress_text(page: Page):
    """The words beside the goal's progress bar (goals.js replaces the whole bar)."""
    return page.locator("#progress .progress__text")


def pick_an_idea(page: Page, youth: dict, t: dict, check_phone_layout) -> dict:
    """From the plan home, open "My goals", get ideas and use the CARD idea; return it."""
    expect(page).to_have_url(re.compile(rf"/plans/{youth['plan_id']}$"))
    # The section menu jumps to "My goals"; an empty plan offers ideas right there.
    page.locator(".section-nav a[href='#goals']").click()
    goals = page.get_by_role("region", name=t["my_goals"])
    expect(goals).to_be_in_viewport()
    goals.get_by_role("link", name=t["get_ideas"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["ideas_title"])
    check_phone_layout(page)

    card = inspiration.card(CARD, t["lang"])
    assert card is not None, f"the inspiration card {CARD!r} is gone"
    # The ideas are folded per part of life: the page fits a phone until one is opened.
    area = page.locator(f"#area-{card['area']}")
    expect(area).not_to_have_attribute("open", "")
    area.locator("summary").first.click()
    # The link's name is "Use this idea: <title>" (Chromium puts a space before the colon).
    name = re.compile(rf"^{re.escape(t['use_idea'])}\s*:\s*{re.escape(card['title'])}$")
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["new_goal"])
    expect(page.locator("main")).to_contain_text(t["card_note"])
    return card


def make_the_goal_my_own(page: Page, card: dict, t: dict, check_phone_layout) -> list[str]:
    """Check the form holds the card, change the title, add a step, save; return the steps."""
    title = page.locator("#title")
    steps = page.locator("#steps")
    expect(title).to_have_value(card["title"])
    expect(page.locator("#why")).to_have_value(card["why"])
    expect(steps).to_have_value("\n".join(card["steps"]))
    check_phone_layout(page)

    title.fill(t["title"])
    steps.click()
    steps.press("Control+End")
    steps.press("Enter")
    steps.press_sequentially(t["extra_step"])
    expected_steps = [*card["steps"], t["extra_step"]]
    expect(steps).to_have_value("\n".join(expected_steps))

    page.get_by_role("button", name=t["save_goal"]).click()
    expect(page).to_have_url(re.compile(r"/goals/\d+$"))
    expect(page.get_by_role("status")).to_contain_text(t["goal_saved"])
    expect(page.get_by_role("heading", level=1)).to_have_text(t["title"])
    expect(page.locator(".steps .step__text")).to_have_text(expected_steps)
    expect(progress_text(page)).to_have_text(t["progress"].format(n=0))
    check_phone_layout(page)
    return expected_steps


def tick_the_first_step(page: Page, steps: list[str], t: dict, check_phone_layout) -> None:
    """One tap ticks a step off: goals.js swaps the bar and the timeline, no page load."""
    first = page.locator(".steps .step").first
    button = page.get_by_role("button", name=t["done_step"].format(step=steps[0]), exact=True)
    expect(button).to_have_attribute("aria-pressed", "false")
    page.evaluate(_MARK_PAGE_JS)

    button.click()
    percent = round(100 / len(steps))
    expect(progress_text(page)).to_have_text(t["progress"].format(n=percent))
    expect(page.locator("#progress [role=progressbar]")).to_have_attribute(
        "aria-valuenow", str(percent)
    )
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(first).to_have_class(re.compile(r"\bstep--done\b"))
    newest = page.locator("[data-timeline] > li").first
    expect(newest).to_contain_text(t["step_done"].format(step=steps[0]))
    expect(newest.locator(".timeline__progress")).to_have_text(f"{percent}%")
    assert page.evaluate(_MARKER_JS) == 1, "ticking a step loaded the page again"
    check_phone_layout(page)


def add_a_photo(page: Page, tmp_path, t: dict, check_phone_layout) -> None:
    """Upload a photo as evidence: it shows under "What I learned" and on the timeline."""
    photo = tmp_path / "cv.jpg"
    photo.write_bytes(mediafiles.jpeg_with_gps(size=(640, 480)))
    learned = page.get_by_role("region", name=t["learned"])
    expect(learned.locator("img")).to_have_count(0)

    form = page.locator("form.evidence-form")
    # Not a photo: refused beside its progress bar, in the person's words; nothing added.
    fake = tmp_path / "notes.jpg"
    fake.write_text("My notes, not a photo.\n")
    form.locator("[data-upload-input]").set_input_files(fake)
    row = form.locator("[data-upload-list] .upload-row")
    expect(row).to_have_class(re.compile(r"\bupload-row--error\b"))
    expect(row).to_contain_text("notes.jpg")
    expect(learned.locator(".evidence img")).to_have_count(0)
    # The same control as the photos page: sent by the upload script (a 201, not a form
    # post's 302), then the goal opens with the photo added.
    with page.expect_response(lambda r: r.url.endswith("/evidence") and r.status == 201):
        form.locator("[data-upload-input]").set_input_files(photo)
    expect(page.get_by_role("status")).to_contain_text(t["evidence_added"])
    shown = learned.locator(".evidence img")
    expect(shown).to_have_count(1)
    shown.scroll_into_view_if_needed()
    assert shown.evaluate(_LOADED_WIDTH_JS) > 0
    newest = page.locator("[data-timeline] > li").first
    expect(newest).to_contain_text(t["learned"])
    on_timeline = newest.locator(".timeline__media img")
    expect(on_timeline).to_be_visible()
    on_timeline.scroll_into_view_if_needed()  # a lazy image loads when it is near the screen
    assert on_timeline.evaluate(_LOADED_WIDTH_JS) > 0
    check_phone_layout(page)


def celebrate(page: Page, t: dict, check_phone_layout) -> None:
    # Steps are still open: "I achieved it!" asks whether they were done too.
    achieve = page.locator("details.achieve")
    achieve.locator("summary").click()
    expect(achieve).to_contain_text(t["still_open"])
    check_phone_layout(page)
    achieve.get_by_role("button", name=t["tick_off"]).click()
    expect(page.get_by_role("status")).to_contain_text(t["celebrated"])
    celebration = page.get_by_role("region", name=t["achieved_title"])
    expect(celebration).to_be_visible()
    expect(celebration.get_by_role("heading")).to_have_text(t["achieved_title"])
    expect(progress_text(page)).to_have_text(t["progress"].format(n=100))
    expect(page.get_by_role("button", name=t["achieve"])).to_have_count(0)
    expect(page.locator("details.achieve")).to_have_count(0)
    expect(page.locator("#steps .step--done")).to_have_count(page.locator("#steps .step").count())
    check_phone_layout(page)


def find_it_among_the_achieved(page: Page, t: dict, check_phone_layout) -> None:
    page.get_by_role("link", name=t["back_to_goals"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["my_goals"])
    achieved = page.get_by_role("region", name=t["achieved"], exact=True)
    expect(achieved.get_by_role("link")).to_have_count(1)
    expect(achieved.get_by_role("link")).to_contain_text(t["title"])
    expect(achieved.locator(".progress__text")).to_have_text(t["progress"].format(n=100))
    # It moved out of the goals being worked on.
    expect(page.get_by_role("region", name=t["working_on_it"])).to_have_count(0)
    check_phone_layout(page)


@pytest.mark.parametrize("locale", LOCALES)
def test_young_person_turns_an_idea_into_a_goal_and_achieves_it(
    page: Page, make_youth, log_in, tmp_path, texts, check_phone_layout
):
    youth = make_youth()
    log_in(page, youth)
    card = pick_an_idea(page, youth, texts, check_phone_layout)
    steps = make_the_goal_my_own(page, card, texts, check_phone_layout)
    tick_the_first_step(page, steps, texts, check_phone_layout)
    add_a_photo(page, tmp_path, texts, check_phone_layout)
    celebrate(page, texts, check_phone_layout)
    find_it_among_the_achieved(page, texts, check_phone_layout)


@pytest.mark.parametrize("locale", LOCALES)
def test_language_help_explains_a_jargon_word_while_typing(
    page: Page, make_youth, log_in, texts, check_phone_layout
):
    youth = make_youth()
    log_in(page, youth)
    reviews = []
    page.on(
        "request",
        lambda request: (
            reviews.append(request) if "/plain-language/review" in request.url else None
        ),
    )
    page.goto(f"/plans/{youth['plan_id']}/goals/new")
    why = page.locator("#why")
    hints = page.locator(".field", has=why).locator(".plain-hints")

    # An empty field: nothing is asked and nothing is shown, even after the wait.
    why.press_sequentially(" ")
    why.press("Backspace")
    page.wait_for_timeout(PLAIN_LANGUAGE_WAIT_MS * 2)
    expect(hints).to_be_empty()
    assert reviews == [], "an empty field was sent for review"

    why.press_sequentially(texts["jargon"], delay=20)
    expect(hints.locator(".plain-hints__title")).to_contain_text(texts["language_help"])
    expect(hints.locator(".plain-hints__item--jargon")).to_contain_text(f"‘{texts['plain_word']}’")
    # The helper waits until the typing stops: one question for the whole sentence.
    assert len(reviews) == 1, f"asked {len(reviews)} times while typing"
    check_phone_layout(page)

    # Emptied again: the hints go away.
    why.fill("")
    expect(hints).to_be_empty()


@pytest.mark.parametrize("locale", LOCALES)
def test_language_help_folds_extra_tips_replaces_a_word_and_keeps_quiet_when_easy(
    page: Page, make_youth, log_in, texts, check_phone_layout
):
    youth = make_youth()
    log_in(page, youth)
    page.goto(f"/plans/{youth['plan_id']}/goals/new")
    why = page.locator("#why")
    hints = page.locator(".field", has=why).locator(".plain-hints")

    # Four tips: three shown, the fourth folded under "More tips", none dropped.
    why.fill(texts["four_words"])
    expect(hints.locator(".plain-hints__item")).to_have_count(4)
    more = hints.locator("details.plain-hints__more")
    expect(more.locator("summary")).to_have_text(texts["more_tips"])
    expect(more.locator(".plain-hints__item")).not_to_be_visible()
    more.locator("summary").click()
    expect(more.locator(".plain-hints__item")).to_be_visible()
    check_phone_layout(page)

    # A tap puts the plain words in place of the difficult one; the help checks again.
    why.fill(texts["jargon"])
    expect(hints.locator(".plain-hints__item")).to_have_count(1)
    use = hints.get_by_role("button", name=texts["use_plain"])
    expect(use).to_be_visible()
    use.click()
    expect(why).to_have_value(texts["replaced"])
    expect(hints.locator(".plain-hints__item--jargon")).to_have_count(0)

    # Easy text: nothing to say, so nothing is shown.
    why.fill(texts["easy"])
    page.wait_for_timeout(PLAIN_LANGUAGE_WAIT_MS * 2)
    expect(hints).to_be_empty()


@pytest.mark.parametrize("locale", LOCALES)
def test_second_device_keeps_its_typing_when_the_goal_changed(
    open_phone, make_youth, log_in, texts, check_phone_layout
):
    youth = make_youth(goals=("active",))
    goal_id = youth["goals"]["active"]
    first, second = open_phone(), open_phone()
    for phone in (first, second):
        log_in(phone, youth)
        phone.goto(f"/goals/{goal_id}/edit")
        expect(phone.locator("#title")).to_have_value(GOALS["active"].title)

    first.locator("#title").fill(texts["title_first"])
    first.get_by_role("button", name=texts["save"], exact=True).click()
    expect(first).to_have_url(re.compile(rf"/goals/{goal_id}$"))
    expect(first.get_by_role("status")).to_contain_text(texts["saved"])
    expect(first.get_by_role("heading", level=1)).to_have_text(texts["title_first"])

    second.locator("#title").fill(texts["title_second"])
    second.get_by_role("button", name=texts["save"], exact=True).click()
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text(texts["conflict"])
    # The newest version is shown beside what this device typed, which is kept.
    expect(alert).to_contain_text(texts["title_first"])
    expect(second.locator("#title")).to_have_value(texts["title_second"])
    check_phone_layout(second)

    # Saving again uses this device's version.
    second.get_by_role("button", name=texts["save"], exact=True).click()
    expect(second).to_have_url(re.compile(rf"/goals/{goal_id}$"))
    expect(second.get_by_role("heading", level=1)).to_have_text(texts["title_second"])
    first.reload()
    expect(first.get_by_role("heading", level=1)).to_have_text(texts["title_second"])
