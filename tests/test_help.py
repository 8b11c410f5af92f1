"""The "need help?" page: helplines from the data file, one tap away from every page."""

import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from toekomstplan.extensions import db
from toekomstplan.help import views as help_views
from toekomstplan.models import AboutItem

NUMBERS = ["112", "0800-0432", "113", "0800-0113", "0800-2000"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_help_page_lists_the_helplines(client, language):
    response = client.get("/help", headers={"Accept-Language": language})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for number in NUMBERS:
        assert re.search(rf"(?<![\d-]){re.escape(number)}(?![\d-])", html), number
    for line in help_views.helplines():
        assert f'href="tel:{line["tel"]}"' in html
        name = line["name"][language] if isinstance(line["name"], dict) else line["name"]
        assert str(escape(name)) in html


def test_help_page_is_built_from_the_data_file(client, monkeypatch):
    extra = {
        "name": {"nl": "Testlijn", "en": "Test line"},
        "what": {"nl": "Alleen voor deze test.", "en": "Only for this test."},
        "number": "0800-1234",
        "tel": "0800-1234",
        "hours": {"nl": "Nooit", "en": "Never"},
        "urgent": False,
    }
    lines = [*help_views.helplines(), extra]
    monkeypatch.setattr(help_views, "helplines", lambda: lines)
    html = client.get("/help").get_data(as_text=True)
    assert "Test line" in html
    assert 'href="tel:0800-1234"' in html


def test_help_page_needs_no_login(client):
    assert client.get("/help").status_code == 200


def get_pages(app, plan_id: int, item_id: int, media_id: str = "no-such-media") -> list[str]:
    """Return a URL for every GET page of the app, arguments filled in."""
    args = {
        "plan_id": plan_id,
        "item_id": item_id,
        "token": "not-a-token",
        "member_token": "not-a-token",
        "start_token": "not-a-token",
        "media_id": media_id,
        "variant": "display",
        "goal_id": 1,
        "step_id": 1,
        "share_id": 1,
        "invite_id": 1,
        "org_id": 1,
        "membership_id": 1,
        "team_id": 1,
    }
    urls = []
    for rule in app.url_map.iter_rules():
        # Not pages: static files, and the proxy's health check (plain text).
        if rule.endpoint in ("static", "health.healthz") or "GET" not in rule.methods:
            continue
        urls.append(rule.build({k: args[k] for k in rule.arguments})[1])
    return urls


def test_every_page_links_to_help(app, client, post, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    post(client, f"/plans/{user.plan.id}/about", {"kind": "hobby", "text": "Gitaar"})
    with app.app_context():
        item_id = db.session.scalar(sa.select(AboutItem.id))
    pages = get_pages(app, user.plan.id, item_id)
    assert len(pages) >= 12
    anonymous = app.test_client()
    checked = 0
    for browser in (client, anonymous):
        for url in [*pages, "/no-such-page"]:
            response = browser.get(url, follow_redirects=True)
            response.close()  # files (a ZIP, a photo) are streamed from disk
            if response.mimetype != "text/html":
                continue
            assert 'href="/help"' in response.get_data(as_text=True), url
            checked += 1
    assert checked >= 2 * len(pages)


def test_help_also_answers_how_the_app_works_and_links_the_chats(client):
    page = client.get("/help", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "How does the app work?" in page
    for question in ("How do I add a photo?", "Who can see my plan?", "I forgot my password"):
        assert question in page
    assert 'href="https://www.113.nl/"' in page and 'rel="noopener noreferrer"' in page
