"""A forgotten password without e-mail: the spare key, and an address added later."""

import re

import sqlalchemy as sa

from toekomstplan.auth import spare_key
from toekomstplan.extensions import db
from toekomstplan.models import User, UserSession

from .conftest import PASSWORD

NEW = "a new walk along the river"
NOT_TOGETHER = "This username and spare key do not belong together."


def key_on(response) -> str:
    """Read the spare key off its page."""
    match = re.search(
        r'<p class="spare-key"[^>]*>([A-Z0-9-]+)</p>', response.get_data(as_text=True)
    )
    assert match, "no spare key on the page"
    return match.group(1)


def is_logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def with_key(post, client, login: str, key: str, password: str = NEW):
    data = {"key-login": login, "key-key": key, "key-password": password}
    return post(client, "/forgot/spare-key", data)


def stored_key_hash(app, login: str) -> str | None:
    with app.app_context():
        return db.session.scalar(sa.select(User.spare_key_hash).where(User.username == login))


def test_registering_with_a_username_shows_a_spare_key_once(app, client, post):
    response = post(client, "/register", {"name": "Sam", "login": "sam2009", "password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Welcome! Your plan is ready." in page and "You see this key only once." in page
    key = key_on(response)
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", key)
    assert is_logged_in(client)
    stored = stored_key_hash(app, "sam2009")
    assert stored and key.lower() not in stored and key not in stored  # only its digest
    assert key not in client.get("/account").get_data(as_text=True)


def test_registering_with_an_address_gives_no_key(app, client, post):
    post(client, "/register", {"name": "Sam", "login": "sam@example.org", "password": PASSWORD})
    with app.app_context():
        assert db.session.scalar(sa.select(User.spare_key_hash)) is None


def test_the_spare_key_makes_a_new_password_once(app, client, new_client, post, login):
    key = key_on(
        post(client, "/register", {"name": "Sam", "login": "sam2009", "password": PASSWORD})
    )
    stranger = new_client()
    wrong = with_key(post, stranger, "sam2009", "aaaa-bbbb-cccc-dddd")
    assert wrong.status_code == 400 and NOT_TOGETHER in wrong.get_data(as_text=True)
    assert NOT_TOGETHER in with_key(post, stranger, "nobody", key).get_data(as_text=True)
    assert login(new_client(), "sam2009", PASSWORD).status_code == 302  # nothing changed

    # Typed in lower case with spaces instead of dashes: the same key.
    typed = " ".join(key.lower().split("-"))
    response = with_key(post, stranger, "Sam2009", typed)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Your new password is saved." in response.get_data(as_text=True)
    next_key = key_on(response)
    assert next_key != key
    assert not is_logged_in(client), "every other session ends"
    assert is_logged_in(stranger)
    assert login(new_client(), "sam2009", PASSWORD).status_code == 401
    assert login(new_client(), "sam2009", NEW).status_code == 302

    # The key worked once; the new one works.
    again = with_key(post, new_client(), "sam2009", key, "yet another walk by the sea")
    assert again.status_code == 400 and NOT_TOGETHER in again.get_data(as_text=True)
    assert with_key(post, new_client(), "sam2009", next_key, "a third walk").status_code == 200


def test_a_key_used_by_two_requests_at_once_changes_the_password_once(app, make_user):
    user = make_user(login="sam2009")
    with app.test_request_context():
        key = spare_key.give_new(db.session.get(User, user.id))
        stored = stored_key_hash(app, "sam2009")
        # The other request won between our check and our update: the row's key changed.
        db.session.execute(
            sa.update(User).where(User.id == user.id).values(spare_key_hash="0" * 64)
        )
        db.session.commit()
        assert stored != "0" * 64
        assert spare_key.reset_password("sam2009", key, NEW) is None
        first = db.session.execute(
            sa.update(User).where(User.id == user.id).values(spare_key_hash=stored)
        )
        db.session.commit()
        assert first.rowcount == 1
        assert spare_key.reset_password("sam2009", key, NEW) is not None
        assert spare_key.reset_password("sam2009", key, NEW) is None


def test_with_two_step_login_the_key_still_asks_the_code(app, client, new_client, post, make_user):
    user = make_user(login="sam2009")
    with app.test_request_context():
        account = db.session.get(User, user.id)
        key = spare_key.give_new(account)
        account.totp_secret = "JBSWY3DPEHPK3PXP"
        account.totp_enabled_at = account.created_at
        db.session.commit()
    response = with_key(post, client, "sam2009", key)
    assert response.status_code == 200
    assert 'href="/login/code"' in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_a_new_key_from_the_account_page_needs_the_password(app, client, post, youth):
    page = client.get("/account").get_data(as_text=True)
    assert "You have no spare key yet." in page
    refused = post(client, "/account/spare-key", {"key-password": "not my password"})
    assert refused.status_code == 400 and stored_key_hash(app, youth.username) is None
    response = post(client, "/account/spare-key", {"key-password": PASSWORD})
    assert response.status_code == 200
    first = key_on(response)
    second = key_on(post(client, "/account/spare-key", {"key-password": PASSWORD}))
    assert first != second
    assert with_key(post, client, youth.username, first).status_code == 400
    assert "You have no spare key yet." not in client.get("/account").get_data(as_text=True)


def test_the_forgot_page_offers_the_key_and_says_what_else_to_do(client):
    page = client.get("/forgot").get_data(as_text=True)
    assert 'action="/forgot/spare-key"' in page and 'action="/forgot"' in page
    assert "No spare key and no e-mail? Sit down with your support worker." in page
    assert 'action="/forgot/with-help"' in page


# An e-mail address, added later


def test_an_added_address_counts_once_confirmed(app, client, new_client, post, login, youth, mails):
    response = post(client, "/account/email", {"email-email": "Sam@Example.org"})
    assert response.status_code == 200
    assert "Until then you log in with your username" in response.get_data(as_text=True)
    [message] = mails.to("sam@example.org")
    # Not confirmed yet: the username still logs in, a reset link does not go there yet.
    assert login(new_client(), youth.username, PASSWORD).status_code == 302
    post(new_client(), "/forgot", {"email": "sam@example.org"})
    assert len(mails.to("sam@example.org")) == 1
    assert "Waiting for you to confirm sam@example.org" in client.get("/account").get_data(
        as_text=True
    )

    assert client.get(mails.link(message)).status_code == 302
    with app.app_context():
        account = db.session.get(User, youth.id)
        assert account.email == "sam@example.org" and account.email_confirmed
    post(new_client(), "/forgot", {"email": "sam@example.org"})
    assert len(mails.to("sam@example.org")) == 2  # the reset link now goes out
    assert 'id="add-email"' not in client.get("/account").get_data(as_text=True)
    assert login(new_client(), "sam@example.org", PASSWORD).status_code == 302


def test_a_mistyped_address_can_be_put_right_and_its_link_dies(app, client, post, youth, mails):
    post(client, "/account/email", {"email-email": "sma@example.org"})
    [typo] = mails.to("sma@example.org")
    post(client, "/account/email", {"email-email": "sam@example.org"})
    assert client.get(mails.link(typo)).status_code == 404
    with app.app_context():
        account = db.session.get(User, youth.id)
        assert account.email == "sam@example.org" and not account.email_confirmed


def test_an_address_of_another_account_is_left_alone(app, client, post, youth, make_user, mails):
    make_user(login="taken@example.org", name="Other")
    response = post(client, "/account/email", {"email-email": "taken@example.org"})
    assert response.status_code == 200  # the same page either way
    [note] = mails.to("taken@example.org")
    assert "Je hebt al een account met dit adres." in note.get_content()  # their language
    with app.app_context():
        assert db.session.get(User, youth.id).email is None


def test_bad_addresses_get_a_friendly_answer(client, post, youth):
    response = post(client, "/account/email", {"email-email": "not an address"})
    assert response.status_code == 400
    assert "This e-mail address is not complete." in response.get_data(as_text=True)


def test_deleting_the_account_takes_the_key_too(app, client, post, youth):
    post(client, "/account/spare-key", {"key-password": PASSWORD})
    post(client, "/account/delete", {"password": PASSWORD, "sure": "y"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
