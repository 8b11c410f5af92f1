"""Cached plan pages: always current, never shared, with fresh tokens on every response."""

import re

import sqlalchemy as sa

from toekomstplan import pagecache
from toekomstplan.extensions import db
from toekomstplan.models import Plan, User

NONCE = re.compile(r'<style nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def home(client, user) -> str:
    response = client.get(f"/plans/{user.plan.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_change_shows_on_the_next_view(client, post, login, new_client, youth):
    plan_id = youth.plan.id
    phone = new_client()  # a second device: its views carry no "saved" message
    login(phone, youth.username, youth.password)
    home(phone, youth)
    home(phone, youth)  # now cached
    post(client, f"/plans/{plan_id}/intro", {"text": "First words"})
    assert "First words" in home(phone, youth)
    post(client, f"/plans/{plan_id}/about", {"kind": "talent", "text": "Juggling"})
    assert "Juggling" in home(phone, youth)
    item = re.search(r'href="/about/(\d+)/edit"', client.get(f"/plans/{plan_id}/about").text)
    post(client, f"/about/{item.group(1)}/edit", {"kind": "hobby", "text": "Juggling balls"})
    assert "Juggling balls" in home(phone, youth)
    post(client, f"/about/{item.group(1)}/delete")
    assert "Juggling" not in home(phone, youth)
    cover = {"title": "New title", "subtitle": "", "theme": "sky", "color": "", "layout": "split"}
    post(client, f"/plans/{plan_id}/cover", cover)
    page = home(phone, youth)
    assert "New title" in page and "cover--split" in page


def test_repeat_views_get_their_own_nonce_and_a_working_csrf_token(client, youth):
    client.get(f"/plans/{youth.plan.id}")  # the flash-free render that goes into the cache
    first = client.get(f"/plans/{youth.plan.id}")
    second = client.get(f"/plans/{youth.plan.id}")
    nonces = [NONCE.search(r.get_data(as_text=True)).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        assert "<!--" not in response.get_data(as_text=True)
    token = TOKEN.search(second.get_data(as_text=True)).group(1)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get(f"/plans/{youth.plan.id}").status_code == 302  # logged out


def test_flashed_message_is_shown_once_and_not_cached(client, post, youth):
    post(client, f"/plans/{youth.plan.id}/intro", {"text": "Hello"})
    assert "Your introduction is saved." in home(client, youth)
    assert "Your introduction is saved." not in home(client, youth)


def test_new_account_that_reuses_an_id_never_sees_the_old_page(
    app, client, post, login, make_user, new_client, monkeypatch
):
    # Another worker process keeps its cached pages after this one deleted the account.
    monkeypatch.setattr(pagecache, "forget_plan", lambda plan_id: None)
    old = make_user(name="Old")
    login(client, old.username, old.password)
    post(client, f"/plans/{old.plan.id}/intro", {"text": "Secret old words"})
    home(client, old)  # shows the flashed "saved", so it is not cached
    assert "Secret old words" in home(client, old)  # this one is
    post(client, "/account/delete", {"password": old.password, "sure": "y"})
    with app.app_context():
        assert db.session.get(User, old.id) is None

    newcomer = make_user(name="New")
    other = new_client()
    login(other, newcomer.username, newcomer.password)
    with app.app_context():
        # SQLite hands out a deleted row's id again; make it so on every database, with the
        # revision the old plan had when its page was cached.
        db.session.execute(
            sa.update(Plan).where(Plan.id == newcomer.plan.id).values(id=old.plan.id, revision=1)
        )
        db.session.commit()
    newcomer.plan.id = old.plan.id
    page = home(other, newcomer)
    assert "Secret old words" not in page and "New" in page


def test_cache_can_be_turned_off(app, client, post, youth):
    app.config["PAGE_CACHE_SIZE"] = 0
    post(client, f"/plans/{youth.plan.id}/intro", {"text": "Uncached"})
    assert "Uncached" in home(client, youth)


FORM = re.compile(r'<form\b[^>]*method="post"[^>]*>.*?</form>', re.S | re.I)
ACTION = re.compile(r'action="([^"]*)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def test_every_form_of_a_cached_page_works_in_a_new_session(client, login, logout, youth):
    """Log in, out and in again: the plan home, cached in an earlier session, must carry
    nothing of it, so each of its forms works in the new one (each in a session of its own,
    since one of them logs out)."""
    home(client, youth)
    home(client, youth)  # cached, with holes where the session's parts go
    count = len(FORM.findall(home(client, youth)))
    assert count >= 3, "the language form and the two log-out buttons (menu and footer)"
    for index in range(count):
        logout(client)
        login(client, youth.username, youth.password)
        form = FORM.findall(home(client, youth))[index]  # from the cache
        action = ACTION.search(form).group(1).replace("&amp;", "&")
        response = client.post(action, data=dict(HIDDEN.findall(form)))
        assert response.status_code == 302, (action, response.status_code)
