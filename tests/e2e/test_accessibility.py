"""Every page passes an axe-core scan on a phone, anonymous and logged in, in Dutch and English.

The visits find fields by id, not by their label, so they work in both languages.
"""

import re
import secrets
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import log_in_worker

pytestmark = [pytest.mark.e2e, pytest.mark.a11y]

# Dutch first: it is the language most young people see, and its long words overflow first.
LOCALES = ["nl-NL", "en-GB"]

# Each visit takes (page, youth, reset_link) and leaves `page` on the page to scan.
VISITS: dict[str, Callable] = {}


def visit(
    name: str,
    *,
    plan: str | None = None,
    logged_in: bool | None = None,
    media: tuple[str, ...] = (),
    goals: tuple[str, ...] = (),
):
    """Register how to reach a page; `plan` ("empty" or "filled") makes a young person first.

    `media` names samples ("jpeg", "png", "mp4") stored in that plan beforehand; `goals`
    names goals from conftest.GOALS added to it (their ids are in youth["goals"]).
    """

    def register(fn: Callable) -> Callable:
        fn.plan = plan
        fn.media = media
        fn.goals = goals
        fn.logged_in = plan is not None if logged_in is None else logged_in
        VISITS[name] = fn
        return fn

    return register


@visit("welcome")
def _welcome(page, youth, reset_link):
    page.goto("/")


@visit("login")
def _login(page, youth, reset_link):
    page.goto("/login")


@visit("register")
def _register(page, youth, reset_link):
    page.goto("/register")


@visit("register-with-errors")
def _register_with_errors(page, youth, reset_link):
    page.goto("/register")
    page.locator("#login").fill("no spaces allowed")
    page.locator("#password").fill("short")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".field__error")).to_have_count(3)


@visit("forgot-password")
def _forgot(page, youth, reset_link):
    page.goto("/forgot")


@visit("forgot-sent")
def _forgot_sent(page, youth, reset_link):
    page.goto("/forgot")
    page.locator("#email").fill("nobody@example.org")
    page.locator("main form[action='/forgot'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("nobody@example.org")


@visit("forgot-spare-key-wrong")
def _forgot_spare_key_wrong(page, youth, reset_link):
    page.goto("/forgot")
    page.locator("#key-login").fill("nobody")
    page.locator("#key-key").fill("aaaa-bbbb-cccc-dddd")
    page.locator("#key-password").fill("a walk along the river")
    page.locator("main form[action='/forgot/spare-key'] button[type=submit]").click()
    expect(page.locator(".field__error")).to_have_count(1)


@visit("spare-key")
def _spare_key(page, youth, reset_link):
    page.goto("/register")
    page.locator("#name").fill("Noa")
    page.locator("#login").fill(f"noa{secrets.token_hex(3)}")
    page.locator("#password").fill("a walk along the river")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".spare-key")).to_be_visible()


@visit("reset-password", plan="empty", logged_in=False)
def _reset(page, youth, reset_link):
    page.goto(reset_link(youth["username"]))
    expect(page.locator("#password")).to_be_visible()


@visit("help")
def _help(page, youth, reset_link):
    page.goto("/help")


@visit("not-found")
def _not_found(page, youth, reset_link):
    response = page.goto("/no-such-page")
    assert response.status == 404


@visit("plan-home-empty", plan="empty")
def _plan_home_empty(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}")


@visit("plan-home-filled", plan="filled")
def _plan_home_filled(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}")


@visit("cover-editor", plan="filled")
def _cover(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/cover")


@visit("intro-editor", plan="filled")
def _intro(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/intro")


@visit("about-me-empty", plan="empty")
def _about_empty(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/about")


@visit("about-me-filled", plan="filled")
def _about_filled(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/about")


@visit("about-item-edit", plan="filled")
def _about_item_edit(page, youth, reset_link):
    page.goto(f"/about/{youth['item_id']}/edit")


@visit("account-settings", plan="empty")
def _account(page, youth, reset_link):
    page.goto("/account")


@visit("delete-account", plan="empty")
def _delete_account(page, youth, reset_link):
    page.goto("/account/delete")


@visit("menu-open", plan="filled")
def _menu_open(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}")
    page.locator("details.menu > summary").click()
    expect(page.locator(".menu-panel button[type=submit]")).to_be_visible()


@visit("plan-home-with-media", plan="filled", media=("jpeg", "mp4"))
def _plan_home_with_media(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}")
    expect(page.locator(".thumb-row img")).to_have_count(2)


@visit("gallery-empty", plan="empty")
def _gallery_empty(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/media")
    expect(page.locator("[data-media-empty]")).to_be_visible()


@visit("gallery-with-items", plan="empty", media=("jpeg", "png", "mp4"))
def _gallery_with_items(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/media")
    expect(page.locator("[data-media-grid] .media-card[data-status=ready]")).to_have_count(3)


@visit("gallery-uploading", plan="empty")
def _gallery_uploading(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/media")
    # The upload never answers, so the row keeps its progress bar and stop button.
    page.route(
        "**/media", lambda route: None if route.request.method == "POST" else route.fallback()
    )
    page.locator("[data-upload-input]").set_input_files(
        files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" * 64}]
    )
    expect(page.locator(".upload-row progress")).to_be_visible()
    expect(page.locator(".upload-row button")).to_be_visible()


@visit("gallery-refused", plan="empty")
def _gallery_refused(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/media")
    page.locator("[data-upload-input]").set_input_files(
        files=[{"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo"}]
    )
    expect(page.locator(".upload-row--error")).to_be_visible()


@visit("media-photo", plan="filled", media=("jpeg",))
def _media_photo(page, youth, reset_link):
    page.goto(f"/media/{youth['media']['jpeg']}")
    expect(page.locator(".media-detail img")).to_be_visible()


@visit("media-video", plan="filled", media=("mp4",))
def _media_video(page, youth, reset_link):
    page.goto(f"/media/{youth['media']['mp4']}")
    expect(page.locator(".media-detail video")).to_be_visible()


@visit("draw", plan="empty")
def _draw(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/draw")
    expect(page.locator("[data-draw-canvas]")).to_be_visible()


@visit("cover-editor-with-photos", plan="filled", media=("jpeg", "png"))
def _cover_with_photos(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/cover")
    expect(page.locator("label.photo-choice img")).to_have_count(2)
    # Pick a photo, so the live preview shows it too.
    page.locator("label.photo-choice").nth(1).click()
    expect(page.locator(".editor__preview [data-cover-photo] img")).to_be_visible()


ALL_GOALS = ("active", "achieved", "paused", "no-steps")
# Typed into a goal's "why" field, so the language help shows a jargon hint.
JARGON = {"nl": "Ik wil mijn indicatie bespreken.", "en": "I want to talk about my care plan."}


def _goal(youth: dict, kind: str = "active") -> str:
    return f"/goals/{youth['goals'][kind]}"


@visit("goals-overview-empty", plan="empty")
def _goals_overview_empty(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/goals")
    expect(page.locator(".goal-actions .button")).to_have_count(2)
    expect(page.locator(".goal-card")).to_have_count(0)


@visit("goals-overview-filled", plan="filled", goals=ALL_GOALS)
def _goals_overview_filled(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/goals")
    for title in ("active-title", "achieved-title", "paused-title"):
        expect(page.locator(f"#{title}")).to_be_visible()
    expect(page.locator(".goal-card")).to_have_count(4)


@visit("plan-home-with-goals", plan="filled", goals=ALL_GOALS)
def _plan_home_with_goals(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}")
    expect(page.locator("#goals .progress")).not_to_have_count(0)


@visit("inspiration", plan="empty")
def _inspiration(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/inspiration")
    # Folded per part of life; every part opened, so every card is checked too.
    for summary in page.locator(".area > summary").all():
        summary.click()
    expect(page.locator(".idea").first).to_be_visible()


@visit("goal-new", plan="empty")
def _goal_new(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/goals/new")
    expect(page.locator("#title")).to_have_value("")


@visit("goal-new-from-card", plan="empty")
def _goal_new_from_card(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/goals/new?card=bijbaan-vinden")
    expect(page.locator("#title")).not_to_have_value("")
    expect(page.locator("#steps")).not_to_have_value("")


@visit("goal-new-with-errors", plan="empty")
def _goal_new_with_errors(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/goals/new")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".field__error")).to_have_count(1)


@visit("goal-new-language-help", plan="empty")
def _goal_new_language_help(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/goals/new")
    lang = page.evaluate("document.documentElement.lang")
    page.locator("#why").press_sequentially(JARGON[lang[:2]])
    expect(page.locator(".plain-hints__item--jargon")).to_be_visible()


@visit("goal-with-steps-evidence-history", plan="filled", goals=("active",), media=("png",))
def _goal_full(page, youth, reset_link):
    page.goto(_goal(youth))
    expect(page.locator("#evidence .evidence img")).to_be_visible()
    expect(page.locator(".step__media img")).to_be_visible()
    expect(page.locator(".chart")).to_be_visible()
    expect(page.locator("#evidence .photo-choice")).to_have_count(1)


@visit("goal-step-ticked", plan="filled", goals=("active",))
def _goal_step_ticked(page, youth, reset_link):
    # goals.js swaps the progress bar and the timeline for the server's new ones.
    page.goto(_goal(youth))
    page.locator(".step:not(.step--done) .step__check").first.click()
    expect(page.locator("#progress [role=progressbar]")).to_have_attribute("aria-valuenow", "75")
    expect(page.locator("[data-timeline] > li").first).to_have_class(
        re.compile(r"timeline__item--step_done")
    )


@visit("goal-step-menu-open", plan="filled", goals=("active",))
def _goal_step_menu_open(page, youth, reset_link):
    page.goto(_goal(youth))
    page.locator(".step__more > summary").first.click()
    expect(page.locator(".step__panel input.input").first).to_be_visible()


@visit("goal-achieved", plan="filled", goals=("achieved",))
def _goal_achieved(page, youth, reset_link):
    page.goto(_goal(youth, "achieved"))
    expect(page.locator(".celebrate")).to_be_visible()


@visit("goal-paused", plan="filled", goals=("paused",))
def _goal_paused(page, youth, reset_link):
    page.goto(_goal(youth, "paused"))
    expect(page.locator(".flash--pause")).to_be_visible()


@visit("goal-without-steps", plan="filled", goals=("no-steps",))
def _goal_without_steps(page, youth, reset_link):
    page.goto(_goal(youth, "no-steps"))
    expect(page.locator("button.chip-button[name=estimate]")).to_have_count(5)


@visit("goal-edit", plan="filled", goals=("active",))
def _goal_edit(page, youth, reset_link):
    page.goto(f"{_goal(youth)}/edit")
    expect(page.locator("#title")).not_to_have_value("")


@visit("goal-edit-conflict", plan="filled", goals=("active",))
def _goal_edit_conflict(page, youth, reset_link):
    page.goto(f"{_goal(youth)}/edit")
    # Another tab (same account) saves first, so this form is out of date.
    other = page.context.new_page()
    other.goto(f"{_goal(youth)}/edit")
    other.locator("#title").fill("I want to cook for my friends")
    other.locator("main form button[type=submit]").click()
    other.wait_for_url(re.compile(rf"{_goal(youth)}$"))
    other.close()
    page.locator("#title").fill("I want to cook for my family")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()


@visit("goal-delete", plan="filled", goals=("active",))
def _goal_delete(page, youth, reset_link):
    page.goto(f"{_goal(youth)}/delete")
    expect(page.locator("main form button[type=submit]")).to_be_visible()


@visit("export-form", plan="filled", goals=ALL_GOALS)
def _export_form(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/export")
    expect(page.locator("[data-pdf-download]")).to_have_count(2)
    page.locator("details.more-choices > summary").click()  # the choices, folded by default
    expect(page.locator("input[name=goals]")).to_have_count(4)


@visit("export-form-with-errors", plan="filled", goals=("active",))
def _export_form_with_errors(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/export")
    page.locator("details.more-choices > summary").click()
    page.locator("input[name=comments][value=since]").check()
    page.locator("#since").fill("")
    page.locator("button[data-pdf-download]").click()
    expect(page.locator(".field__error")).to_have_count(1)


# Sharing. youth["sharing"] (conftest.Sharing) makes invitations, workers and
# conversations through the services; a worker logs in with log_in_worker.


def _conversation(youth: dict, worker: dict) -> None:
    """A reaction from the worker, a reply from the young person and a suggested step."""
    sharing, goal_id = youth["sharing"], youth["goals"]["active"]
    first = sharing.comment(goal_id, worker["user_id"], "Goed bezig! Welk recept kies je?")
    sharing.comment(goal_id, sharing.youth_user_id(youth), "Pasta, denk ik.", parent=first)
    sharing.suggest(goal_id, worker["user_id"], "Samen een kookboek lenen", "Dan kies je rustig.")


@visit("sharing-empty", plan="empty")
def _sharing_empty(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/sharing")
    expect(page.locator(".person")).to_have_count(0)


@visit("sharing-with-share-and-invite", plan="filled", goals=("active",))
def _sharing_with_people(page, youth, reset_link):
    youth["sharing"].worker(youth)
    youth["sharing"].invite(youth, role="viewer", label="Mama")
    page.goto(f"/plans/{youth['plan_id']}/sharing")
    expect(page.locator(".person")).to_have_count(2)


@visit("sharing-link-shown", plan="empty")
def _sharing_link_shown(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/sharing")
    page.locator("#label").fill("Mo")
    page.locator("main form:not([action]) button[type=submit]").click()
    expect(page.locator(".invite-link input")).to_have_value(re.compile(r"/invite/"))


@visit("sharing-invite-with-errors", plan="empty")
def _sharing_invite_with_errors(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/sharing")
    page.locator("#email").fill("not-an-address")
    page.locator("main form:not([action]) button[type=submit]").click()
    expect(page.locator(".field__error")).to_have_count(2)


@visit("share-settings", plan="filled", goals=("active", "achieved"))
def _share_settings(page, youth, reset_link):
    worker = youth["sharing"].worker(youth)
    page.goto(f"/shares/{worker['share_id']}")
    expect(page.locator("input[name=goals]")).to_have_count(2)


@visit("access-log", plan="filled", goals=("active",))
def _access_log(page, youth, reset_link):
    worker = youth["sharing"].worker(youth)
    _conversation(youth, worker)
    page.goto(f"/plans/{youth['plan_id']}/log")
    expect(page.locator(".log__line")).not_to_have_count(0)


@visit("access-log-empty", plan="empty")
def _access_log_empty(page, youth, reset_link):
    page.goto(f"/plans/{youth['plan_id']}/log")


@visit("invite-anonymous", plan="empty", logged_in=False)
def _invite_anonymous(page, youth, reset_link):
    page.goto(youth["sharing"].invite(youth))
    expect(page.locator("main a.button")).to_have_count(2)


@visit("invite-logged-in", plan="empty", logged_in=False)
def _invite_logged_in(page, youth, reset_link):
    log_in_worker(page, youth["sharing"].worker())
    page.goto(youth["sharing"].invite(youth))
    expect(page.locator("main form button[type=submit]")).to_be_visible()


@visit("invite-register", plan="empty", logged_in=False)
def _invite_register(page, youth, reset_link):
    page.goto(youth["sharing"].invite(youth) + "/register")
    expect(page.locator("#name")).to_be_visible()


@visit("invite-register-with-errors", plan="empty", logged_in=False)
def _invite_register_with_errors(page, youth, reset_link):
    page.goto(youth["sharing"].invite(youth) + "/register")
    page.locator("#email").fill("not-an-address")
    page.locator("#password").fill("short")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".field__error")).to_have_count(3)


@visit("invite-used", plan="empty", logged_in=False)
def _invite_used(page, youth, reset_link):
    response = page.goto(youth["sharing"].worker(youth)["invite"])
    assert response.status == 404


@visit("invite-expired", plan="empty", logged_in=False)
def _invite_expired(page, youth, reset_link):
    path = youth["sharing"].invite(youth)
    youth["sharing"].expire(path)
    response = page.goto(path)
    assert response.status == 404


@visit("worker-overview-empty", plan="empty", logged_in=False)
def _worker_overview_empty(page, youth, reset_link):
    log_in_worker(page, youth["sharing"].worker())
    expect(page.locator(".shared")).to_have_count(0)


@visit("worker-overview-with-plans", plan="filled", goals=("active",), logged_in=False)
def _worker_overview_with_plans(page, youth, reset_link):
    worker = youth["sharing"].worker(youth)
    _conversation(youth, worker)
    youth["sharing"].comment(youth["goals"]["active"], youth["sharing"].youth_user_id(youth), "Hoi")
    log_in_worker(page, worker)
    expect(page.locator(".shared")).to_have_count(1)
    expect(page.locator(".shared .badge")).to_be_visible()


@visit("plan-home-as-worker", plan="filled", goals=ALL_GOALS, media=("jpeg",), logged_in=False)
def _plan_home_as_worker(page, youth, reset_link):
    log_in_worker(page, youth["sharing"].worker(youth))
    page.goto(f"/plans/{youth['plan_id']}")
    expect(page.locator(".goal-card, #goals a").first).to_be_visible()


@visit("goal-as-worker", plan="filled", goals=("active",), logged_in=False)
def _goal_as_worker(page, youth, reset_link):
    worker = youth["sharing"].worker(youth)
    _conversation(youth, worker)
    log_in_worker(page, worker)
    page.goto(_goal(youth))
    expect(page.locator("#comments .comment")).to_have_count(2)
    expect(page.locator("#suggestions #text")).to_be_visible()
    expect(page.locator("#rating button[name=rating]")).to_have_count(3)


@visit("goal-owner-with-suggestion-and-thread", plan="filled", goals=("active",))
def _goal_owner_with_suggestion(page, youth, reset_link):
    worker = youth["sharing"].worker(youth)
    _conversation(youth, worker)
    page.goto(_goal(youth))
    expect(page.locator("#suggestions .suggestion")).to_have_count(1)
    expect(page.locator("#comments .comment")).to_have_count(2)
    page.locator("details.reply > summary").click()
    expect(page.locator("details.reply textarea")).to_be_visible()


@visit("preview-as-worker", plan="filled", goals=ALL_GOALS)
def _preview_as_worker(page, youth, reset_link):
    worker = youth["sharing"].worker(youth)
    page.goto(f"/plans/{youth['plan_id']}?as={worker['share_id']}")
    expect(page.locator(".flash--preview")).to_be_visible()


@visit("account-settings-worker", plan="empty", logged_in=False)
def _account_worker(page, youth, reset_link):
    log_in_worker(page, youth["sharing"].worker(youth))
    page.goto("/account")
    expect(page.locator("#notifications input[type=checkbox]")).to_have_count(2)
    expect(page.locator("#two-step")).to_be_visible()


# axe leaves duplicate ids "incomplete" and pairs a label with its control by id, while the
# browser pairs it with the first element of that id: a section id="password" once took
# the "New password" label away from its input. These two checks ask the browser itself.
_DUPLICATE_IDS_JS = """
() => {
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}
"""
_UNLABELLED_CONTROLS_JS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden' && !el.hidden)
  .filter((el) => !el.labels.length && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120))
"""


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture
def open_page(page: Page, make_youth, log_in, reset_link, sharing):
    """Return a function that brings `page` to the named page, logged in where it needs."""

    def open_page(name: str) -> Page:
        go = VISITS[name]
        youth = (
            make_youth(filled=go.plan == "filled", media=go.media, goals=go.goals)
            if go.plan
            else None
        )
        if youth:
            youth["sharing"] = sharing
        if go.logged_in:
            log_in(page, youth)
        go(page, youth, reset_link)
        expect(page.locator("main#main")).to_be_visible()
        return page

    return open_page


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", list(VISITS))
def test_page_has_no_axe_violations(name, open_page, axe):
    page = open_page(name)
    expect(page).to_have_title(re.compile(r"\S"))

    assert page.evaluate(_DUPLICATE_IDS_JS) == [], f"duplicate ids on {page.url}"
    assert page.evaluate(_UNLABELLED_CONTROLS_JS) == [], f"controls without a label on {page.url}"
    results = axe.run(page)

    assert results.violations_count == 0, (
        f"axe found {results.violations_count} violation(s) on {page.url}:\n"
        + results.generate_report()
    )


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", list(VISITS))
def test_page_fits_a_phone_and_is_easy_to_tap(name, open_page, check_phone_layout):
    check_phone_layout(open_page(name))
