"""Registering, logging in and out, sessions, one-time links and password rules."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from toekomstplan.extensions import db
from toekomstplan.models import LoginToken, Plan, TokenPurpose, User, UserSession

PASSWORD = "a walk along the river"
NO_MATCH = "This e-mail address or username and password do not match."


def without_tokens(html: str) -> str:
    """Blank out what differs between any two responses: CSRF tokens and CSP nonces."""
    html = re.sub(r'name="csrf_token"([^>]*)value="[^"]+"', r'name="csrf_token"\1value=""', html)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', html)


def field_errors(response) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>([^<]*)<', response.get_data(as_text=True))


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def is_logged_in(client) -> bool:
    response = client.get("/account")
    return response.status_code == 200


def register(post, client, login, password=PASSWORD, name="Sam", **kwargs):
    return post(client, "/register", {"name": name, "login": login, "password": password}, **kwargs)


# Registering


def test_register_with_username_logs_in_and_creates_plan(app, client, post):
    response = register(post, client, "sam2009")
    assert response.status_code == 200  # the spare key's page first (tests/test_spare_key.py)
    assert 'href="/"' in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "sam2009"))
        assert user is not None
        assert user.email is None
        assert user.plan is not None
        assert user.plan.cover_title
        plan_id = user.plan.id
    home = client.get("/", follow_redirects=True)
    assert home.request.path == f"/plans/{plan_id}"
    assert "<title>My future plan" in home.get_data(as_text=True)


def test_register_with_taken_username_is_refused(client, post, make_user, app):
    make_user(login="sam2009")
    response = register(post, client, "sam2009")
    assert response.status_code == 200
    assert "This username is taken. Choose another one." in field_errors(response)
    assert count(app, User) == 1


def test_register_with_email_sends_confirmation_and_does_not_log_in(app, client, post, mails):
    response = register(post, client, "Sam@Example.org")
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    assert not is_logged_in(client)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "sam@example.org"))
        assert user is not None and not user.email_confirmed
        assert user.plan is not None
    [message] = mails()
    assert message["To"] == "sam@example.org"
    assert mails.link(message).startswith("/confirm/")


def test_the_check_mail_page_sends_the_mail_again_and_says_the_same_for_anyone(
    app, client, new_client, post, mails
):
    page = register(post, client, "sam@example.org").get_data(as_text=True)
    assert "Send the mail again" in page and "spam" in page
    again = post(client, "/register/again", {"email": "sam@example.org"})
    assert again.status_code == 200 and "We sent the mail again." in again.get_data(as_text=True)
    first, second = mails.to("sam@example.org")
    assert mails.link(first) != mails.link(second)  # a fresh link, both work once
    # An address without an unconfirmed account gets the same answer and no mail.
    other = post(new_client(), "/register/again", {"email": "nobody@example.org"})
    assert without_tokens(other.get_data(as_text=True)).replace(
        "nobody@example.org", "EMAIL"
    ) == without_tokens(again.get_data(as_text=True)).replace("sam@example.org", "EMAIL")
    assert mails.to("nobody@example.org") == []


def test_register_with_existing_email_shows_same_page_and_mails_the_owner(
    app, client, new_client, post, make_user, mails
):
    owner = make_user(login="taken@example.org", password="the owner's own secret", locale="en")
    fresh = register(post, client, "new@example.org")
    taken = register(post, new_client(), "taken@example.org", password="another good password")

    assert fresh.status_code == taken.status_code == 200
    assert without_tokens(fresh.get_data(as_text=True)).replace(
        "new@example.org", "EMAIL"
    ) == without_tokens(taken.get_data(as_text=True)).replace("taken@example.org", "EMAIL")

    [to_owner] = mails.to("taken@example.org")
    [to_new] = mails.to("new@example.org")
    assert to_owner["Subject"] != to_new["Subject"]
    assert "already have an account" in to_owner.get_content()
    assert mails.link(to_owner) == "/forgot"
    assert mails.link(to_new).startswith("/confirm/")
    assert count(app, User, User.email == "taken@example.org") == 1
    with app.app_context():
        assert db.session.get(User, owner.id).password_hash == owner.password_hash


def test_confirm_link_logs_in_and_works_once(app, client, new_client, post, mails):
    register(post, client, "sam@example.org")
    link = mails.link(mails()[0])

    response = client.get(link)
    assert response.status_code == 302
    assert is_logged_in(client)
    assert count(app, User, User.email_confirmed.is_(True)) == 1

    again = new_client().get(link)
    assert again.status_code == 404
    assert "This link does not work" in again.get_data(as_text=True)


def test_unknown_confirm_link_is_404(client):
    response = client.get("/confirm/not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


# Logging in


def test_login_with_username_succeeds(client, login, make_user):
    user = make_user(login="sam2009")
    response = login(client, "SAM2009", user.password)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_logged_in(client)


def test_login_with_email_succeeds(client, login, make_user):
    user = make_user(login="sam@example.org")
    response = login(client, "Sam@Example.org", user.password)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_password_and_unknown_login_get_401_with_the_same_message(client, login, make_user):
    make_user(login="sam2009")
    wrong_password = login(client, "sam2009", "not the password at all")
    unknown = login(client, "nobody2009", "not the password at all")
    unknown_email = login(client, "nobody@example.org", "not the password at all")
    for response in (wrong_password, unknown, unknown_email):
        assert response.status_code == 401
        assert field_errors(response) == [NO_MATCH]
    assert not is_logged_in(client)


def test_unconfirmed_email_account_gets_a_new_link_instead_of_a_session(
    app, client, login, make_user, mails
):
    user = make_user(login="sam@example.org", confirmed=False)
    response = login(client, "sam@example.org", user.password)
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    assert not is_logged_in(client)
    [message] = mails.to("sam@example.org")
    assert client.get(mails.link(message)).status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize("target", ["/account", "/help?x=1"])
def test_login_redirects_to_a_local_next_path(client, login, make_user, target):
    user = make_user()
    response = login(client, user.username, user.password, query_string={"next": target})
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "///evil.com",
        "https://evil.com",
        "http://evil.com/account",
        "/\\evil.com",
        "\\\\evil.com",
        "javascript:alert(1)",
        "/\t/evil.com",
        "evil.com",
    ],
)
def test_login_ignores_a_next_that_leaves_the_site(client, login, make_user, target):
    user = make_user()
    response = login(client, user.username, user.password, query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_page_is_throttled_after_five_failures(client, login, make_user):
    # No Accept-Language: the page is in the default language (Dutch when translated).
    del client.environ_base["HTTP_ACCEPT_LANGUAGE"]
    user = make_user()
    for _ in range(5):
        assert login(client, user.username, "wrong password here").status_code == 401
    blocked = login(client, user.username, user.password)
    assert blocked.status_code == 429
    html = blocked.get_data(as_text=True)
    assert '<html lang="nl">' in html
    match = re.search(r"(\d+) minu(?:te|tes|ut|ten)\b", html)
    assert match, html
    assert 1 <= int(match.group(1)) <= 15
    assert not is_logged_in(client)


def test_login_throttle_counts_failures_per_login_name(client, login, make_user):
    user = make_user()
    for _ in range(5):
        login(client, "someone-else", "wrong password here")
    assert login(client, user.username, user.password).status_code == 302


def test_successful_logins_do_not_count_towards_the_throttle(client, login, logout, make_user):
    user = make_user()
    for _ in range(7):
        assert login(client, user.username, user.password).status_code == 302
        logout(client)


# Sessions


def test_logout_makes_old_cookie_useless(app, client, new_client, login, logout, make_user):
    user = make_user()
    login(client, user.username, user.password)
    old_cookie = client.get_cookie("tp_session").value
    assert is_logged_in(client)

    response = logout(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert count(app, UserSession) == 0

    replay = new_client()
    replay.set_cookie("tp_session", old_cookie)
    response = replay.get(f"/plans/{user.plan.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_needs_a_post(client, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


def test_login_starts_a_new_session_identity(app, client, login, logout, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["sid"] = "planted-by-an-attacker"
        session["planted"] = "yes"
    login(client, user.username, user.password)
    with client.session_transaction() as session:
        first_sid = session["sid"]
        assert first_sid != "planted-by-an-attacker"
        assert "planted" not in session
    digest = hashlib.sha256(first_sid.encode()).hexdigest()
    assert count(app, UserSession, UserSession.token_hash == digest) == 1

    logout(client)
    login(client, user.username, user.password)
    with client.session_transaction() as session:
        assert session["sid"] != first_sid


def test_password_change_ends_other_sessions_but_keeps_this_one(
    app, client, new_client, post, login, make_user
):
    user = make_user()
    other = new_client()
    login(client, user.username, user.password)
    login(other, user.username, user.password)
    assert count(app, UserSession) == 2

    response = post(
        client,
        "/account/password",
        {"current": user.password, "password": "a brand new walk along the sea"},
    )
    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(other)
    assert count(app, UserSession) == 1
    assert login(new_client(), user.username, "a brand new walk along the sea").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(
    app, client, new_client, post, login, make_user
):
    user = make_user()
    other = new_client()
    login(client, user.username, user.password)
    login(other, user.username, user.password)
    response = post(
        client,
        "/account/password",
        {"current": "not my password now", "password": "a brand new walk along the sea"},
    )
    assert response.status_code == 400
    assert "This is not your password now." in field_errors(response)
    assert is_logged_in(other)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash


def _age_session(app, **ago):
    with app.app_context():
        record = db.session.scalar(sa.select(UserSession))
        for column, delta in ago.items():
            setattr(record, column, datetime.now(UTC) - delta)
        db.session.commit()


def test_session_ends_after_idle_timeout(app, client, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    _age_session(app, last_seen_at=timedelta(minutes=121))
    response = client.get(f"/plans/{user.plan.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert count(app, UserSession) == 0


def test_session_lives_on_while_in_use_within_idle_timeout(app, client, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    _age_session(app, last_seen_at=timedelta(minutes=119))
    assert client.get(f"/plans/{user.plan.id}").status_code == 200
    with app.app_context():
        record = db.session.scalar(sa.select(UserSession))
        assert datetime.now(UTC) - record.last_seen_at < timedelta(minutes=1)


def test_session_ends_after_absolute_lifetime_even_when_in_use(app, client, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    _age_session(app, created_at=timedelta(hours=12, minutes=1), last_seen_at=timedelta(0))
    response = client.get(f"/plans/{user.plan.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert count(app, UserSession) == 0


# Forgotten password


def test_reset_by_email_sets_new_password_and_link_works_once(
    app, client, new_client, post, login, make_user, mails
):
    user = make_user(login="sam@example.org")
    elsewhere = new_client()
    login(elsewhere, "sam@example.org", user.password)

    post(client, "/forgot", {"email": "sam@example.org"})
    [message] = mails.to("sam@example.org")
    link = mails.link(message)
    assert link.startswith("/reset/")
    assert client.get(link).status_code == 200

    response = post(client, link, {"password": "a new walk along the river"})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(elsewhere), "a reset ends every other session"

    assert login(new_client(), "sam@example.org", user.password).status_code == 401
    assert login(new_client(), "sam@example.org", "a new walk along the river").status_code == 302

    reused = new_client().get(link)
    assert reused.status_code == 404
    assert "This link does not work" in reused.get_data(as_text=True)


def test_expired_reset_link_shows_404_page(app, client, post, make_user, mails):
    make_user(login="sam@example.org")
    post(client, "/forgot", {"email": "sam@example.org"})
    link = mails.link(mails()[0])
    with app.app_context():
        token = db.session.scalar(sa.select(LoginToken))
        token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)
    response = post(client, link, {"password": "a new walk along the river"})
    assert response.status_code == 404


def test_reset_link_refuses_a_weak_new_password(app, client, post, make_user, mails):
    user = make_user(login="sam@example.org")
    post(client, "/forgot", {"email": "sam@example.org"})
    link = mails.link(mails()[0])
    response = post(client, link, {"password": "short"})
    assert response.status_code == 200
    assert "Use at least 8 characters." in field_errors(response)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash
    assert client.get(link).status_code == 200, "a refused password does not use up the link"


def test_forgot_gives_the_same_answer_for_known_and_unknown_addresses(
    client, new_client, post, make_user, mails
):
    make_user(login="known@example.org")
    known = post(client, "/forgot", {"email": "known@example.org"})
    unknown = post(new_client(), "/forgot", {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert without_tokens(known.get_data(as_text=True)).replace(
        "known@example.org", "EMAIL"
    ) == without_tokens(unknown.get_data(as_text=True)).replace("unknown@example.org", "EMAIL")
    assert len(mails.to("known@example.org")) == 1
    assert mails.to("unknown@example.org") == []


def test_cli_reset_link_prints_a_working_link(app, runner, client, post, make_user):
    user = make_user(login="sam2009")
    result = runner.invoke(args=["users", "reset-link", "sam2009"])
    assert result.exit_code == 0, result.output
    [url] = re.findall(r"https?://\S+", result.output)
    assert url.startswith(app.config["BASE_URL"] + "/reset/")
    path = url.removeprefix(app.config["BASE_URL"])
    response = post(client, path, {"password": "a new walk along the river"})
    assert response.status_code == 302
    assert is_logged_in(client)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash != user.password_hash
    assert client.get(path).status_code == 404


def test_cli_reset_link_fails_for_unknown_login(app, runner):
    result = runner.invoke(args=["users", "reset-link", "nobody"])
    assert result.exit_code != 0
    assert "No account" in result.output
    assert count(app, LoginToken) == 0


# Password rules


def test_password_of_seven_characters_is_refused(app, client, post):
    response = register(post, client, "sam2009", password="abcdefg")
    assert "Use at least 8 characters." in field_errors(response)
    assert count(app, User) == 0


def test_overlong_password_is_refused_before_hashing(app, client, post, login, monkeypatch):
    calls = []
    original = PasswordHasher.hash
    monkeypatch.setattr(
        PasswordHasher, "hash", lambda self, *a, **k: calls.append(a) or original(self, *a, **k)
    )
    response = register(post, client, "sam2009", password="x" * 257)
    assert "Use at most 256 characters." in field_errors(response)
    assert count(app, User) == 0
    response = login(client, "sam2009", "x" * 257)
    assert response.status_code != 302
    assert calls == []


@pytest.mark.parametrize("password", ["wachtwoord", "password1", "Wachtwoord123"])
def test_common_password_is_refused(app, client, post, password):
    response = register(post, client, "sam2009", password=password)
    assert any("easy to guess" in e for e in field_errors(response))
    assert count(app, User) == 0


def test_long_passphrase_is_accepted_and_stored_as_argon2id(app, client, new_client, post, login):
    passphrase = "mijn fiets is blauw en ik fiets elke dag door de regen naar school 🚲"
    assert len(passphrase) > 64
    response = register(post, client, "sam2009", password=passphrase)
    assert response.status_code == 200  # logged in, reading the spare key
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user.password_hash.startswith("$argon2id$")
        assert passphrase not in user.password_hash
    assert login(new_client(), "sam2009", passphrase).status_code == 302


def test_registration_makes_exactly_one_plan_and_no_tokens_for_a_username(app, client, post):
    register(post, client, "sam2009")
    assert count(app, Plan) == 1
    assert count(app, LoginToken, LoginToken.purpose == TokenPurpose.CONFIRM) == 0
