"""Start links: a worker of an organisation makes a one-time link; a young person makes an
account through it, sees what the worker will see, may change it, and confirms."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import (
    AuditRecord,
    MemberRole,
    Membership,
    Organisation,
    Share,
    StartLink,
    Team,
    User,
)

from .factories import post_form

LINK = re.compile(r'value="http://[^"]+(/start/[^"]+)"')


@dataclass
class World:
    org: int
    worker: User
    place: int
    outsider: User


@pytest.fixture
def world(app, make_user) -> World:
    worker = make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo")
    outsider = make_user(kind="supporter", login="ilse@example.org", name="Ilse")
    with app.app_context():
        org = Organisation(name="Jeugdformaat", teams=[Team(name="Noord")])
        db.session.add(org)
        db.session.flush()
        place = Membership(organisation_id=org.id, user_id=worker.id, role=MemberRole.WORKER)
        place.teams = list(org.teams)
        db.session.add(place)
        db.session.commit()
        return World(org.id, worker, place.id, outsider)


def _make_link(client) -> str:
    page = post_form(client, "/start-links")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    return LINK.search(page.get_data(as_text=True)).group(1)


def _register(client, path: str, login: str):
    return post_form(
        client,
        f"/register?next={path}",
        {"name": "Noor", "login": login, "password": "een lang wachtwoord 1"},
    )


def test_a_young_person_starts_through_the_worker_and_confirms_what_they_see(
    app, client, new_client, login, world
):
    login(client, world.worker.email)
    assert "Make a start link" in client.get("/").get_data(as_text=True)
    path = _make_link(client)
    phone = new_client()
    landing = phone.get(path).get_data(as_text=True)
    assert "Mo, support worker at Jeugdformaat (team Noord)" in landing
    assert f"/register?next={path}" in landing
    welcome = _register(phone, path, "noor2010")
    assert f'href="{path}"' in welcome.get_data(as_text=True)  # after the spare key: back here
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Share.id))) == 0  # nothing yet
    confirm = phone.get(path).get_data(as_text=True)
    assert "What may Mo see?" in confirm
    assert "Yes, share my plan with Mo" in confirm
    done = post_form(phone, path, {"sees_intro": "y"})
    assert done.status_code == 302
    with app.app_context():
        noor = db.session.scalar(sa.select(User).where(User.username == "noor2010"))
        share = db.session.scalar(sa.select(Share))
        assert (share.plan_id, share.user_id) == (noor.plan.id, world.worker.id)
        assert share.membership_id == world.place
        assert (share.sees_intro, share.sees_about, share.sees_media) == (True, False, False)
        events = db.session.scalars(sa.select(AuditRecord.event).order_by(AuditRecord.id)).all()
        assert events == ["start_link_made", "share_given"]
        plan_id = noor.plan.id
    assert "Works at Jeugdformaat" in phone.get(f"/plans/{plan_id}/sharing").get_data(as_text=True)
    assert client.get(f"/plans/{plan_id}").status_code == 200  # Mo sees the plan now
    again = post_form(phone, path, {"sees_intro": "y"})
    assert again.status_code == 404
    assert "already used" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Share.id))) == 1


def test_with_an_e_mail_address_the_confirmation_leads_back_to_the_link(
    client, new_client, login, world, mails
):
    login(client, world.worker.email)
    path = _make_link(client)
    phone = new_client()
    phone.get(path)
    assert "Check your e-mail" in _register(phone, path, "noor@example.org").get_data(as_text=True)
    confirmed = phone.get(mails.link(mails()[-1]))
    assert confirmed.status_code == 302 and confirmed.location == path


def test_only_a_member_makes_a_start_link_and_only_a_young_person_uses_it(
    app, client, new_client, login, make_user, world
):
    youth = make_user(name="Sam")
    for who in (world.outsider.email, youth.username):
        other = new_client()
        login(other, who)
        assert "Make a start link" not in other.get("/").get_data(as_text=True)
        assert post_form(other, "/start-links").status_code == 404
    login(client, world.worker.email)
    path = _make_link(client)
    supporter = new_client()
    login(supporter, world.outsider.email)
    page = supporter.get(path).get_data(as_text=True)
    assert "You are logged in as a supporter" in page
    post_form(supporter, path, {"sees_intro": "y"})
    assert client.get(path).status_code == 200  # the worker themself: told it is for a young person
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Share.id))) == 0
        assert db.session.scalar(sa.select(StartLink.used_at)) is None


def test_a_link_of_a_worker_who_left_or_an_unknown_one_says_so(
    app, client, new_client, login, world
):
    login(client, world.worker.email)
    path = _make_link(client)
    with app.app_context():
        db.session.get(Membership, world.place).active = False
        db.session.commit()
    youth = new_client()
    gone = youth.get(path)
    assert gone.status_code == 404
    assert "does not work at their organisation anymore" in gone.get_data(as_text=True)
    assert youth.get("/start/not-a-token").status_code == 404
