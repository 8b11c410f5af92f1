"""My account: the interface language, and deleting the account with everything in it."""

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import (
    AboutItem,
    Attachment,
    LoginToken,
    Media,
    MediaFile,
    Plan,
    RecoveryCode,
    User,
    UserSession,
)

from .conftest import read_csrf_token
from .mediafiles import png


def page_language(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert match, "no <html lang>"
    return match.group(1)


def field_errors(response) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>([^<]*)<', response.get_data(as_text=True))


# Language


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        (None, "nl"),
        ("en-GB,en;q=0.9", "en"),
        ("nl-NL,nl;q=0.9,en;q=0.8", "nl"),
        ("de-DE,de;q=0.9", "nl"),
        ("de;q=0.9,en;q=0.5", "en"),
    ],
)
def test_browser_language_decides_for_visitors_with_dutch_as_default(
    client, accept_language, expected
):
    del client.environ_base["HTTP_ACCEPT_LANGUAGE"]
    headers = {"Accept-Language": accept_language} if accept_language else {}
    assert page_language(client.get("/", headers=headers)) == expected


def test_visitor_language_choice_is_kept_in_the_session(client, post):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    response = post(client, "/language", {"lang": "en", "next": "/help"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/help"
    assert page_language(client.get("/help")) == "en"
    post(client, "/language", {"lang": "nl"})
    assert page_language(client.get("/help")) == "nl"


def test_unknown_language_is_ignored(client, post):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    post(client, "/language", {"lang": "fr"})
    assert page_language(client.get("/help")) == "nl"


def test_language_switch_goes_back_only_to_a_local_page(client, post):
    response = post(client, "/language", {"lang": "en", "next": "//evil.com/"})
    assert response.headers["Location"] == "/"


def test_language_choice_is_stored_on_the_account(app, client, new_client, post, login, make_user):
    user = make_user(locale="nl")
    login(client, user.username, user.password)
    assert page_language(client.get("/account")) == "nl"

    post(client, "/language", {"lang": "en", "next": "/account"})
    assert page_language(client.get("/account")) == "en"
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"

    elsewhere = new_client()
    elsewhere.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    login(elsewhere, user.username, user.password)
    assert page_language(elsewhere.get("/account")) == "en", "the account's choice wins"


def test_visitor_language_choice_survives_logging_in(client, post, login, make_user):
    user = make_user()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    post(client, "/language", {"lang": "en"})
    login(client, user.username, user.password)
    assert page_language(client.get("/account")) == "en"


# Deleting the account


def rows_of(app, user_id: int) -> dict[str, int]:
    """Count the rows in every table that belong to one account."""
    with app.app_context():
        plan_ids = sa.select(Plan.id).where(Plan.owner_id == user_id).scalar_subquery()
        queries = {
            "users": sa.select(sa.func.count()).select_from(User).where(User.id == user_id),
            "plans": sa.select(sa.func.count()).select_from(Plan).where(Plan.owner_id == user_id),
            "about_items": sa.select(sa.func.count())
            .select_from(AboutItem)
            .where(AboutItem.plan_id.in_(plan_ids)),
            "user_sessions": sa.select(sa.func.count())
            .select_from(UserSession)
            .where(UserSession.user_id == user_id),
            "login_tokens": sa.select(sa.func.count())
            .select_from(LoginToken)
            .where(LoginToken.user_id == user_id),
            "media": sa.select(sa.func.count())
            .select_from(Media)
            .where(Media.plan_id.in_(plan_ids)),
            "media_files": sa.select(sa.func.count())
            .select_from(MediaFile)
            .join(Media)
            .where(Media.plan_id.in_(plan_ids)),
            "attachments": sa.select(sa.func.count())
            .select_from(Attachment)
            .where(Attachment.plan_id.in_(plan_ids)),
            "recovery_codes": sa.select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user_id),
        }
        return {table: db.session.scalar(query) for table, query in queries.items()}


def total_rows(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


@pytest.fixture
def filled_account(app, new_client, post, login, make_user):
    """Return a function making a young person with a full plan, two sessions and links."""

    def make(email: str):
        user = make_user(login=email)
        clients = [new_client(), new_client()]
        for c in clients:
            login(c, email, user.password)
        for kind, text in [("quality", "Eerlijk"), ("talent", "Tekenen"), ("hobby", "Gitaar")]:
            post(clients[0], f"/plans/{user.plan.id}/about", {"kind": kind, "text": text})
        post(clients[0], f"/plans/{user.plan.id}/intro", {"text": "Hoi, ik ben Sam."})
        photo = (
            clients[0]
            .post(
                f"/plans/{user.plan.id}/media",
                data={
                    "csrf_token": read_csrf_token(clients[0]),
                    "file": (io.BytesIO(png()), "a.png"),
                },
                headers={"Accept": "application/json"},
                content_type="multipart/form-data",
            )
            .get_json()["id"]
        )
        post(clients[0], f"/media/{photo}/attach", {"intro": "y"})
        goal = post(
            clients[0],
            f"/plans/{user.plan.id}/goals/new",
            {"title": "Bijbaan", "steps": "Cv maken\nSolliciteren"},
        ).location.rsplit("/", 1)[-1]
        post(clients[0], f"/goals/{goal}/evidence", {"media": photo})
        post(new_client(), "/forgot", {"email": email})  # leaves a reset link
        with app.app_context():  # as if two-step login had been turned on
            db.session.add(RecoveryCode(user_id=user.id, code_hash="0" * 64))
            db.session.commit()
        rows = rows_of(app, user.id)
        assert all(rows.values()), rows
        return user, clients

    return make


def test_deleting_the_account_removes_every_row_of_the_user_only(app, post, filled_account):
    user, (browser, other_browser) = filled_account("sam@example.org")
    bystander, _ = filled_account("kim@example.org")
    bystander_before = rows_of(app, bystander.id)
    totals_before = total_rows(app)

    response = post(
        browser, "/account/delete", {"password": user.password, "sure": "y"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert response.request.path == "/account/deleted"

    assert rows_of(app, user.id) == {
        "users": 0,
        "plans": 0,
        "about_items": 0,
        "user_sessions": 0,
        "login_tokens": 0,
        "media": 0,
        "media_files": 0,
        "attachments": 0,
        "recovery_codes": 0,
    }
    assert rows_of(app, bystander.id) == bystander_before
    removed = {
        table: totals_before[table] - count
        for table, count in total_rows(app).items()
        if table in totals_before and totals_before[table] != count
    }
    assert removed == {
        "users": 1,
        "plans": 1,
        "about_items": 3,
        "user_sessions": 2,
        "login_tokens": 1,
        "media": 1,
        "media_files": 4,
        "attachments": 2,
        "goals": 1,
        "steps": 2,
        "progress_events": 2,
        "recovery_codes": 1,
    }
    uploads = Path(app.config["UPLOAD_DIR"])
    assert not (uploads / str(user.plan.id)).exists(), "the plan's files are gone"
    assert any((uploads / str(bystander.plan.id)).rglob("*.webp")), "the other plan keeps its"
    assert other_browser.get("/account").status_code == 302, "every session is gone"


def test_account_deletion_with_wrong_password_is_refused(app, post, filled_account):
    user, (browser, _) = filled_account("sam@example.org")
    before = rows_of(app, user.id)
    response = post(browser, "/account/delete", {"password": "not my password at all", "sure": "y"})
    assert response.status_code == 200
    assert "This is not your password." in field_errors(response)
    assert rows_of(app, user.id) == before
    assert browser.get("/account").status_code == 200


def test_account_deletion_without_the_checkbox_is_refused(app, post, filled_account):
    user, (browser, _) = filled_account("sam@example.org")
    before = rows_of(app, user.id)
    response = post(browser, "/account/delete", {"password": user.password})
    assert response.status_code == 200
    assert "Tick this box if you are sure." in field_errors(response)
    assert rows_of(app, user.id) == before


def test_deleted_account_cannot_log_in_again(app, client, new_client, post, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    post(client, "/account/delete", {"password": user.password, "sure": "y"})
    assert login(new_client(), user.username, user.password).status_code == 401


def test_account_pages_need_a_login(client):
    for path in ("/account", "/account/delete"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
