"""Sharing on two phones: a young person invites a worker, they talk, and access ends.

The young person and the worker each have their own phone (browser context). The test runs
in Dutch and in English; TEXTS holds what they read and tap.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import GOALS

pytestmark = pytest.mark.e2e
LOCALES = ["nl-NL", "en-GB"]

TEXTS = {
    "nl-NL": {
        "who_can_see": "Wie mag het zien?",
        "make_invitation": "Uitnodiging maken",
        "make_account": "Een account maken",
        "make_my_account": "Mijn account maken en aannemen",
        "welcome": "Welkom! Je kunt nu het plan van Sam zien.",
        "send": "Versturen",
        "suggest": "Stel deze stap voor",
        "suggested": "We hebben je voorstel verstuurd. De jongere beslist.",
        "reply": "Reageren",
        "accept": "Aannemen",
        "yours_now": "Nu is het van jou.",
        "change": "Aanpassen",
        "stop_sharing": "Niet meer delen",
        "stopped": "Mo de Vries kan je plan niet meer zien.",
        "not_found": "We kunnen deze pagina niet vinden",
        "comment": "Goed bezig met koken! Welk recept kies je eerst?",
        "answer": "Ik begin met pasta.",
        "step": "Samen een kookboek lenen bij de bieb",
    },
    "en-GB": {
        "who_can_see": "Who can see it?",
        "make_invitation": "Make an invitation",
        "make_account": "Make an account",
        "make_my_account": "Make my account and accept",
        "welcome": "Welcome! You can now see the plan of Sam.",
        "send": "Send",
        "suggest": "Suggest this step",
        "suggested": "Your suggestion is sent. The young person decides.",
        "reply": "Reply",
        "accept": "Accept",
        "yours_now": "It is yours now.",
        "change": "Change",
        "stop_sharing": "Stop sharing",
        "stopped": "Mo de Vries cannot see your plan anymore.",
        "not_found": "We cannot find this page",
        "comment": "Cooking is going well! Which recipe do you choose first?",
        "answer": "I start with pasta.",
        "step": "Borrow a cookbook from the library together",
    },
}


def _button(page: Page, name: str):
    return page.get_by_role("button", name=name, exact=True)


@pytest.mark.parametrize("locale", LOCALES)
def test_invite_comment_suggest_reply_accept_revoke(
    locale, page, open_phone, make_youth, log_in, check_phone_layout
):
    texts = TEXTS[locale]
    youth = make_youth("Sam", goals=("active",))
    goal_url = f"/goals/{youth['goals']['active']}"
    steps = len(GOALS["active"].steps)

    # The young person invites a worker and reads the link, shown once.
    log_in(page, youth)
    page.get_by_role("link", name=texts["who_can_see"]).click()
    page.wait_for_url(f"**/plans/{youth['plan_id']}/sharing")
    check_phone_layout(page)
    page.locator("#label").fill("Mo, mijn begeleider")
    page.locator("input[name=role][value=worker]").check()
    _button(page, texts["make_invitation"]).click()
    link_input = page.locator(".invite-link input")
    expect(link_input).to_have_value(re.compile(r"/invite/[\w-]+$"))
    link = link_input.input_value()
    check_phone_layout(page)

    # The worker opens the link on their own phone and makes an account.
    worker = open_phone()
    worker.goto(link)
    check_phone_layout(worker)
    worker.get_by_role("link", name=texts["make_account"]).click()
    worker.wait_for_url(re.compile(r"/invite/[\w-]+/register$"))
    check_phone_layout(worker)
    worker.locator("#name").fill("Mo de Vries")
    worker.locator("#email").fill(f"mo-{youth['username']}@example.org")
    worker.locator("#password").fill("a long walk by the sea")
    _button(worker, texts["make_my_account"]).click()
    worker.wait_for_url(f"**/plans/{youth['plan_id']}")
    expect(worker.locator("main")).to_contain_text(texts["welcome"])
    check_phone_layout(worker)

    # The worker reacts on the goal and suggests a step.
    worker.locator(f"main a[href='{goal_url}']").first.click()
    worker.wait_for_url(f"**{goal_url}")
    worker.locator("#body").fill(texts["comment"])
    _button(worker, texts["send"]).click()
    expect(worker.locator("#comments .comment__body")).to_have_text([texts["comment"]])
    worker.locator("#text").fill(texts["step"])
    _button(worker, texts["suggest"]).click()
    expect(worker.locator("main")).to_contain_text(texts["suggested"])
    expect(worker.locator("#suggestions .suggestion")).to_contain_text(texts["step"])
    check_phone_layout(worker)

    # The young person sees the reaction, replies, and takes the suggested step.
    page.goto(goal_url)
    expect(page.locator("#comments .comment__body")).to_have_text([texts["comment"]])
    page.locator("details.reply > summary", has_text=texts["reply"]).click()
    page.locator("details.reply textarea").fill(texts["answer"])
    page.locator("details.reply").get_by_role("button", name=texts["send"]).click()
    expect(page.locator(".comments--replies .comment__body")).to_have_text([texts["answer"]])
    check_phone_layout(page)
    page.locator("#suggestions").get_by_role("button", name=texts["accept"], exact=True).click()
    expect(page.locator("main")).to_contain_text(texts["yours_now"])
    expect(page.locator("#steps")).to_contain_text(texts["step"])
    expect(page.locator("#steps .step")).to_have_count(steps + 1)
    expect(page.locator("#suggestions .suggestion")).to_have_count(0)

    # Then they stop sharing, after saying yes to the question.
    page.goto(f"/plans/{youth['plan_id']}/sharing")
    page.get_by_role("link", name=re.compile(rf"^{texts['change']}\b")).click()
    page.wait_for_url(re.compile(r"/shares/\d+$"))
    check_phone_layout(page)
    page.on("dialog", lambda dialog: dialog.accept())
    _button(page, texts["stop_sharing"]).click()
    page.wait_for_url(f"**/plans/{youth['plan_id']}/sharing")
    expect(page.locator("main")).to_contain_text(texts["stopped"])
    expect(page.locator(".person__name")).to_have_count(0)

    # The worker is refused at once: the goal is "not found", and the plan left their list.
    response = worker.reload()
    assert response.status == 404
    expect(worker.locator("main h1")).to_have_text(texts["not_found"])
    check_phone_layout(worker)
    worker.goto("/")
    expect(worker.locator(".shared-list")).to_have_count(0)
    expect(worker.locator(f"main a[href='/plans/{youth['plan_id']}']")).to_have_count(0)
    check_phone_layout(worker)
