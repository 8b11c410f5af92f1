"""A double tap on a button that saves sends one request, so it shows one result.

The second tap comes while the first request is still on its way: the test holds that
request back (Playwright's routing) and taps again with the mouse, as a finger does, on a
button that a working guard has switched off. Without the guard the browser sends a
second POST and the young person gets their reaction twice.
"""

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from toekomstplan.extensions import db
from toekomstplan.models import Comment

pytestmark = pytest.mark.e2e


def middle_of(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box, "the button is not on the screen"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_double_tap_on_send_sends_one_reaction(page: Page, live_app, make_youth, log_in):
    youth = make_youth(goals=("active",))
    goal_id = youth["goals"]["active"]
    log_in(page, youth)
    page.goto(f"/goals/{goal_id}")
    form = page.locator(f'form[action="/goals/{goal_id}/comments"]').last
    form.locator("textarea").fill("Ik heb mijn cv af!")
    send = form.get_by_role("button")
    send.scroll_into_view_if_needed()

    x, y = middle_of(send)

    held = []
    page.route(f"**/goals/{goal_id}/comments", lambda route: held.append(route))
    # Taps with the mouse, as a finger does: no waiting for the button to be enabled (and
    # no page calls while the first request is held: they would wait for its page).
    page.mouse.click(x, y)
    page.wait_for_timeout(300)  # the first request is on its way (held)
    page.mouse.click(x, y)
    page.wait_for_timeout(500)  # long enough for a second request to be asked for
    assert len(held) == 1, f"{len(held)} requests for one reaction"

    held[0].continue_()
    page.unroute(f"**/goals/{goal_id}/comments")
    expect(page.locator(".comment__body, .comment p").first).to_contain_text("Ik heb mijn cv af!")
    with live_app.app_context():
        mine = sa.select(sa.func.count(Comment.id)).where(Comment.goal_id == goal_id)
        assert db.session.scalar(mine) == 1
