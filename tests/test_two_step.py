"""Two-step login: an authenticator app's codes (TOTP) and one-time recovery codes."""

import re
import time
from types import SimpleNamespace

import pyotp
import pytest
import sqlalchemy as sa

from toekomstplan.auth import two_step
from toekomstplan.extensions import db
from toekomstplan.models import RecoveryCode, User, UserKind, UserSession

WRONG_CODE = "This code is not right. Wait for a new code in the app and try again."


@pytest.fixture
def clock(monkeypatch):
    """Freeze the time the app checks codes against, in the middle of a 30-second step."""
    clock = SimpleNamespace(now=(time.time() // 30) * 30 + 15)
    monkeypatch.setattr(two_step, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def code_at(secret: str, clock, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock.now + 30 * steps)


def wrong_code(secret: str, clock) -> str:
    """Return a 6-digit code that no time step near now has."""
    near = {code_at(secret, clock, s) for s in (-1, 0, 1)}
    return next(c for c in ("123456", "654321", "111111") if c not in near)


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def field_errors(response) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>([^<]*)<', response.get_data(as_text=True))


def is_logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def start_enrolment(client) -> str:
    """Open the set-up page and return the key it shows for typing in by hand."""
    page = client.get("/account/two-step")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html, "the QR code is drawn inline"
    grouped = re.search(r'class="two-step-key"[^>]*>([^<]+)<', html).group(1)
    assert all(len(group) == 4 for group in grouped.split())
    return grouped.replace(" ", "")


def recovery_codes(response) -> list[str]:
    return re.findall(r"<li>([a-z0-9-]{14})</li>", response.get_data(as_text=True))


@pytest.fixture
def enrolled(client, post, login, make_user, clock):
    """Return a user with two-step login on (logged out), its key and recovery codes."""

    def make():
        user = make_user()
        login(client, user.username, user.password)
        secret = start_enrolment(client)
        # The code of the step before now, so the code of now is still free to log in with.
        response = post(client, "/account/two-step", {"code": code_at(secret, clock, -1)})
        assert response.status_code == 200
        codes = recovery_codes(response)
        post(client, "/logout")
        return user, secret, codes

    return make


def send_code(post, client, code: str, **kwargs):
    return post(client, "/login/code", {"code": code}, **kwargs)


# Enrolment


def test_enrolment_needs_a_right_code_and_then_shows_ten_recovery_codes_once(
    app, client, new_client, post, login, make_user, clock
):
    user = make_user()
    other = new_client()
    login(client, user.username, user.password)
    login(other, user.username, user.password)
    secret = start_enrolment(client)
    assert start_enrolment(client) == secret, "a reload shows the same key"

    refused = post(client, "/account/two-step", {"code": wrong_code(secret, clock)})
    assert refused.status_code == 400
    assert any("This code is not right" in e for e in field_errors(refused))
    with app.app_context():
        assert not db.session.get(User, user.id).has_two_step

    response = post(client, "/account/two-step", {"code": code_at(secret, clock)})
    assert response.status_code == 200
    codes = recovery_codes(response)
    assert len(codes) == len(set(codes)) == 10
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.has_two_step and stored.totp_secret == secret
        hashes = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10
    assert not any(c in h or c.replace("-", "") in h for c in codes for h in hashes)

    assert is_logged_in(client)
    assert not is_logged_in(other), "sessions started with the password alone end"
    assert client.get("/account/two-step").headers["Location"] == "/account"
    settings = client.get("/account").get_data(as_text=True)
    assert "You have 10 recovery codes left." in settings
    assert secret[:4] not in settings and codes[0] not in settings


# Logging in


def test_login_with_a_code_from_the_app(app, client, post, login, enrolled, clock):
    user, secret, _ = enrolled()
    response = login(client, user.username, user.password, query_string={"next": "/help"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login/code"
    assert count(app, UserSession) == 0
    assert not is_logged_in(client)

    page = client.get("/login/code")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.get_data(as_text=True)

    response = send_code(post, client, code_at(secret, clock))
    assert response.status_code == 302
    assert response.headers["Location"] == "/help"
    assert is_logged_in(client)
    assert count(app, UserSession) == 1


def test_a_wrong_code_is_refused_and_throttled(app, client, post, login, enrolled, clock):
    user, secret, _ = enrolled()
    login(client, user.username, user.password)
    for _ in range(5):
        response = send_code(post, client, wrong_code(secret, clock))
        assert response.status_code == 401
        assert field_errors(response) == [WRONG_CODE]
    blocked = send_code(post, client, code_at(secret, clock))
    assert blocked.status_code == 429
    assert "You tried many times" in blocked.get_data(as_text=True)
    assert not is_logged_in(client)
    assert count(app, UserSession) == 0


def test_a_code_cannot_be_used_twice(client, new_client, post, login, logout, enrolled, clock):
    user, secret, _ = enrolled()
    code = code_at(secret, clock)
    login(client, user.username, user.password)
    assert send_code(post, client, code).status_code == 302
    logout(client)

    thief = new_client()
    login(thief, user.username, user.password)
    assert send_code(post, thief, code).status_code == 401
    assert not is_logged_in(thief)
    clock.now += 30
    assert send_code(post, thief, code_at(secret, clock)).status_code == 302


def test_the_confirming_code_does_not_log_in(client, post, login, logout, make_user, clock):
    user = make_user()
    login(client, user.username, user.password)
    secret = start_enrolment(client)
    code = code_at(secret, clock)
    post(client, "/account/two-step", {"code": code})
    logout(client)
    login(client, user.username, user.password)
    assert send_code(post, client, code).status_code == 401


def test_a_code_far_from_now_is_refused(client, post, login, enrolled, clock):
    user, secret, _ = enrolled()
    login(client, user.username, user.password)
    assert send_code(post, client, code_at(secret, clock, 2)).status_code == 401
    assert send_code(post, client, code_at(secret, clock, 1)).status_code == 302


def test_a_recovery_code_works_once(app, client, new_client, post, login, logout, enrolled):
    user, _, codes = enrolled()
    login(client, user.username, user.password)
    response = send_code(post, client, codes[3].upper().replace("-", " "))
    assert response.status_code == 302
    home = client.get(response.headers["Location"], follow_redirects=True)
    assert "You used a recovery code. You have 9 left." in home.get_data(as_text=True)
    assert count(app, RecoveryCode, RecoveryCode.used_at.is_not(None)) == 1
    logout(client)

    again = new_client()
    login(again, user.username, user.password)
    response = send_code(post, again, codes[3])
    assert response.status_code == 401
    assert field_errors(response) == [WRONG_CODE]
    assert not is_logged_in(again)
    assert send_code(post, again, codes[4]).status_code == 302


def test_an_abandoned_second_step_leaves_no_session(app, client, post, login, enrolled, clock):
    user, secret, _ = enrolled()
    login(client, user.username, user.password)
    assert count(app, UserSession) == 0
    assert client.get(f"/plans/{user.plan.id}").status_code == 302
    assert not is_logged_in(client)

    with client.session_transaction() as session:
        session["two_step"] = {**session["two_step"], "until": int(time.time()) - 1}
    response = send_code(post, client, code_at(secret, clock))
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "This took too long" in client.get("/login").get_data(as_text=True)
    assert count(app, UserSession) == 0
    assert not is_logged_in(client)


def test_a_reset_link_still_asks_for_the_code(app, client, post, enrolled, mails, clock):
    user, secret, _ = enrolled()
    with app.app_context():
        db.session.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(email="sam@example.org", email_confirmed=True)
        )
        db.session.commit()
    post(client, "/forgot", {"email": "sam@example.org"})
    link = mails.link(mails.to("sam@example.org")[0])
    response = post(client, link, {"password": "a new walk along the river"})
    assert response.headers["Location"] == "/login/code"
    assert count(app, UserSession) == 0
    assert send_code(post, client, code_at(secret, clock)).status_code == 302
    assert is_logged_in(client)


def test_an_account_without_two_step_logs_in_with_the_password_alone(client, login, make_user):
    user = make_user()
    assert login(client, user.username, user.password).headers["Location"] == "/"
    assert client.get("/login/code").headers["Location"] == "/"


# Turning it off


def test_turning_off_needs_the_password_and_a_code(
    app, client, post, login, logout, enrolled, clock
):
    user, secret, _ = enrolled()
    login(client, user.username, user.password)
    send_code(post, client, code_at(secret, clock))

    no_password = post(
        client,
        "/account/two-step/off",
        {"off-password": "not my password", "off-code": code_at(secret, clock, 1)},
    )
    assert no_password.status_code == 400
    assert "This is not your password." in field_errors(no_password)
    no_code = post(
        client,
        "/account/two-step/off",
        {"off-password": user.password, "off-code": wrong_code(secret, clock)},
    )
    assert no_code.status_code == 400
    assert "This code is not right. Try the new code in the app." in field_errors(no_code)
    with app.app_context():
        assert db.session.get(User, user.id).has_two_step

    response = post(
        client,
        "/account/two-step/off",
        {"off-password": user.password, "off-code": code_at(secret, clock, 1)},
    )
    assert response.status_code == 302
    assert "Two-step login is off." in client.get("/account").get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.totp_secret is None and not stored.has_two_step
    assert count(app, RecoveryCode) == 0
    logout(client)
    assert login(client, user.username, user.password).headers["Location"] == "/"


# The organisation's requirement for support workers


def test_required_two_step_keeps_a_supporter_on_the_set_up_page(
    app, client, post, login, make_user, clock
):
    app.config["REQUIRE_TWO_STEP_FOR_SUPPORTERS"] = True
    worker = make_user(kind=UserKind.SUPPORTER)
    response = login(client, worker.username, worker.password)
    page = client.get(response.headers["Location"])
    assert page.headers["Location"] == "/account/two-step"
    for url in ("/account", "/account/delete", "/plans/1"):
        assert client.get(url).headers["Location"] == "/account/two-step", url
    assert client.get("/help").status_code == 200
    html = client.get("/account/two-step").get_data(as_text=True)
    assert "Your organisation asks all support workers to use two-step login." in html
    assert "Not now" not in html

    secret = start_enrolment(client)
    post(client, "/account/two-step", {"code": code_at(secret, clock)})
    assert client.get("/account").status_code == 200
    refused = post(
        client,
        "/account/two-step/off",
        {"off-password": worker.password, "off-code": code_at(secret, clock, 1)},
    )
    assert refused.headers["Location"] == "/account"
    with app.app_context():
        assert db.session.get(User, worker.id).has_two_step


def test_required_two_step_leaves_young_people_free(app, client, login, make_user):
    app.config["REQUIRE_TWO_STEP_FOR_SUPPORTERS"] = True
    user = make_user()
    login(client, user.username, user.password)
    assert client.get("/account").status_code == 200
    assert client.get(f"/plans/{user.plan.id}").status_code == 200


def test_supporters_are_free_when_not_required(client, login, make_user):
    worker = make_user(kind=UserKind.SUPPORTER)
    login(client, worker.username, worker.password)
    assert client.get("/account").status_code == 200
