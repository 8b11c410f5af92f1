"""A forgotten password without e-mail, with the worker there: a one-time code of 15 minutes
that only a worker the young person shares with can make."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import (
    AccessEvent,
    HelpedReset,
    MemberRole,
    Membership,
    Notice,
    Organisation,
    Share,
    ShareRole,
    User,
    UserSession,
)

from .conftest import PASSWORD
from .factories import post_form

CODE = re.compile(r'<p class="spare-key"[^>]*>([A-Z0-9-]+)</p>')
NEW_PASSWORD = "een nieuw wachtwoord 7"


@dataclass
class People:
    youth: User
    worker: User
    viewer: User
    admin: User


@pytest.fixture
def people(app, make_user) -> People:
    youth = make_user(name="Sanne", login="sanne2009")
    worker = make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo")
    viewer = make_user(kind="supporter", login="ilse@example.org", name="Ilse")
    admin = make_user(kind="supporter", login="beheer@jeugdformaat.example", name="Anja")
    with app.app_context():
        org = Organisation(name="Jeugdformaat")
        db.session.add(org)
        db.session.flush()
        db.session.add_all(
            [
                Membership(organisation_id=org.id, user_id=admin.id, role=MemberRole.ADMIN),
                Share(plan_id=youth.plan.id, user_id=worker.id, role=ShareRole.WORKER),
                Share(plan_id=youth.plan.id, user_id=viewer.id, role=ShareRole.VIEWER),
            ]
        )
        db.session.commit()
    return People(youth, worker, viewer, admin)


def _code(client, plan_id: int) -> str:
    page = post_form(client, f"/plans/{plan_id}/password-help")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    return CODE.search(page.get_data(as_text=True)).group(1)


def _reset(client, login: str, code: str, password: str = NEW_PASSWORD):
    return post_form(
        client,
        "/forgot/with-help",
        {"help-login": login, "help-code": code, "help-password": password},
    )


def test_the_worker_helps_and_the_young_person_is_told_at_the_next_log_in(
    app, client, new_client, login, people
):
    plan_id = people.youth.plan.id
    login(client, people.worker.email)
    home = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert f"/plans/{plan_id}/password-help" in home
    assert "Help Sanne with a forgotten password" in client.get(
        f"/plans/{plan_id}/password-help"
    ).get_data(as_text=True)
    first = _code(client, plan_id)
    code = _code(client, plan_id)  # a new code stops the old one
    sanne_phone = new_client()
    login(sanne_phone, "sanne2009")  # still logged in somewhere with the old password
    phone = new_client()
    assert "With your support worker" in phone.get("/forgot").get_data(as_text=True)
    refused = _reset(phone, "sanne2009", first)
    assert refused.status_code == 400
    assert "do not belong together" in refused.get_data(as_text=True)
    done = _reset(phone, "sanne2009", code.lower().replace("-", " "))
    assert done.status_code == 302 and done.location.endswith("/login")
    assert _reset(phone, "sanne2009", code).status_code == 400  # it works once
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(UserSession.id)).where(
                    UserSession.user_id == people.youth.id
                )
            )
            == 0
        )
        actions = db.session.scalars(
            sa.select(AccessEvent.action).where(AccessEvent.user_id == people.worker.id)
        ).all()
        assert actions.count("reset_code_made") == 2 and "reset_helped" in actions
    assert sanne_phone.get(f"/plans/{plan_id}").status_code == 302  # logged out everywhere
    assert login(phone, "sanne2009").status_code == 401  # the old password is gone
    welcome = login(phone, "sanne2009", NEW_PASSWORD, follow_redirects=True)
    text = welcome.get_data(as_text=True)
    assert "Your password was set again with help from Mo on" in text
    log = phone.get(f"/plans/{plan_id}/log").get_data(as_text=True)
    assert "Mo made a code to help you make a new password. <span" in log
    assert "Your password was set again with help from Mo. All your log-ins ended." in log
    # It stays on her plan home until she says OK, on any phone: whoever logs in first with
    # the new password cannot make it go unnoticed.
    again = new_client()
    text = login(again, "sanne2009", NEW_PASSWORD, follow_redirects=True).get_data(as_text=True)
    assert "Your password was set again with help from Mo on" in text
    with app.app_context():
        notice = db.session.scalar(sa.select(Notice.id).where(Notice.kind == "password_helped"))
    assert post_form(again, f"/notices/{notice}/seen").status_code == 302
    assert "with help from" not in again.get(f"/plans/{plan_id}").get_data(as_text=True)


def test_a_code_stops_working_when_the_worker_no_longer_shares(
    app, client, new_client, login, people
):
    login(client, people.worker.email)
    code = _code(client, people.youth.plan.id)
    with app.app_context():
        db.session.execute(sa.delete(Share).where(Share.user_id == people.worker.id))
        db.session.commit()
    assert _reset(new_client(), "sanne2009", code).status_code == 400


def test_only_a_worker_the_young_person_shares_with_can_make_a_code(
    app, client, new_client, login, people
):
    plan_id = people.youth.plan.id
    for who in (people.viewer.email, people.admin.email, "sanne2009"):
        other = new_client()
        login(other, who)
        assert other.get(f"/plans/{plan_id}/password-help").status_code == 404, who
        assert post_form(other, f"/plans/{plan_id}/password-help").status_code == 404, who
        assert "password-help" not in other.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert client.get(f"/plans/{plan_id}/password-help").status_code == 302  # log in first
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(HelpedReset.id))) == 0


def test_a_code_is_for_its_young_person_only_and_expires(app, client, new_client, login, people):
    login(client, people.worker.email)
    code = _code(client, people.youth.plan.id)
    phone = new_client()
    assert _reset(phone, people.worker.email, code).status_code == 400  # not the worker's own
    assert _reset(phone, "nobody-here", code).status_code == 400
    with app.app_context():
        db.session.execute(
            sa.update(HelpedReset).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    assert "older than 15 minutes" in _reset(phone, "sanne2009", code).get_data(as_text=True)
    assert login(phone, "sanne2009").status_code == 302  # the password did not change


def test_the_code_form_says_what_is_missing(client, people):
    answer = _reset(client, "", "", "kort")
    assert answer.status_code == 400
    assert "Forgot your password?" in answer.get_data(as_text=True)


def test_deleting_an_account_removes_its_codes_and_keeps_the_young_persons_told_without_name(
    app, client, new_client, login, people
):
    login(client, people.worker.email)
    _code(client, people.youth.plan.id)
    assert post_form(
        client, "/account/delete", {"password": PASSWORD, "sure": "y"}
    ).status_code in (
        200,
        302,
    )
    with app.app_context():
        assert db.session.scalar(sa.select(HelpedReset.helper_id)) is None  # the helper is gone
    sanne = new_client()
    login(sanne, "sanne2009")
    assert post_form(sanne, "/account/delete", {"password": PASSWORD, "sure": "y"}).status_code in (
        200,
        302,
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(HelpedReset.id))) == 0
