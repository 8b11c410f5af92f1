"""A stand-in during leave (orgs/standins.py): Mo asks once for Eva, a colleague of the
same organisation; each young person answers their own question; a yes is a share for Eva
with at most what Mo sees, until the date; a question expires, dies with either place, and
is answered once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from toekomstplan import clock
from toekomstplan.extensions import db
from toekomstplan.models import (
    HiddenGoal,
    MemberRole,
    Membership,
    Organisation,
    Share,
    ShareRole,
    StandIn,
    StandInAsk,
    UserKind,
)

from .conftest import PASSWORD
from .factories import new_goal
from .test_at_once import hidden_fields, together
from .test_sharing import count, scalar, text


@pytest.fixture
def team(app, person):
    """Jeugdformaat with Mo and Eva; Sanne and Lotte share with Mo through it, Sanne with a
    goal hidden from him and her photos off."""
    mo, eva, kees = person("Mo"), person("Eva"), person("Kees")
    sanne, lotte = person("Sanne", UserKind.YOUTH), person("Lotte", UserKind.YOUTH)
    hidden = new_goal(sanne.client, sanne.user.plan.id, "Mijn geheim", "")
    new_goal(sanne.client, sanne.user.plan.id, "Een bijbaan", "Cv maken")
    with app.app_context():
        org = Organisation(name="Jeugdformaat")
        places = [Membership(user_id=p.id, role=MemberRole.WORKER) for p in (mo, eva)]
        org.memberships = places
        db.session.add_all([org, Organisation(name="Elders", memberships=[
            Membership(user_id=kees.id, role=MemberRole.WORKER)])])  # fmt: skip
        db.session.flush()
        for youth in (sanne, lotte):
            db.session.add(Share(plan_id=youth.user.plan.id, user_id=mo.id,
                                 role=ShareRole.WORKER, membership_id=places[0].id,
                                 sees_media=youth is not sanne))  # fmt: skip
        db.session.flush()
        share = db.session.scalar(sa.select(Share).where(Share.plan_id == sanne.user.plan.id))
        share.hidden_goals = [HiddenGoal(goal_id=hidden)]
        db.session.commit()
        eva_place = places[1].id
        kees_place = db.session.scalar(
            sa.select(Membership.id).where(Membership.user_id == kees.id)
        )
    return mo, eva, sanne, lotte, eva_place, kees_place, hidden


def ask(post, mo, place: int, until: date):
    return post(mo.client, "/leave", {"colleague": str(place), "until": until.isoformat()})


def asks_of(app, plan_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(sa.select(StandInAsk.id).where(StandInAsk.plan_id == plan_id))
        )


def test_each_young_person_decides_and_a_yes_shares_at_most_what_mo_sees(app, team, post):
    mo, eva, sanne, lotte, eva_place, _, hidden = team
    until = date.today() + timedelta(days=30)
    assert ask(post, mo, eva_place, until).status_code == 302
    home = text(sanne.client.get(f"/plans/{sanne.user.plan.id}"))
    assert "Mo is on leave until" in home and "May Eva look along and react" in home
    [sanne_ask] = asks_of(app, sanne.user.plan.id)
    [lotte_ask] = asks_of(app, lotte.user.plan.id)
    assert post(sanne.client, f"/stand-in-asks/{sanne_ask}", {"answer": "yes"}).status_code == 302
    assert post(lotte.client, f"/stand-in-asks/{lotte_ask}", {"answer": "no"}).status_code == 302
    with app.app_context():
        share = db.session.scalar(sa.select(Share).where(Share.user_id == eva.id))
        assert share.plan_id == sanne.user.plan.id and share.last_day == until
        assert share.role == ShareRole.WORKER and not share.sees_media  # as Mo: photos off
        assert share.hidden_goal_ids == {hidden}
    page = text(eva.client.get(f"/plans/{sanne.user.plan.id}"))
    assert "Een bijbaan" in page and "Mijn geheim" not in page
    assert eva.client.get(f"/plans/{lotte.user.plan.id}").status_code == 404  # Lotte said no
    assert "May Eva" not in text(sanne.client.get(f"/plans/{sanne.user.plan.id}"))


def test_a_question_is_answered_once(app, team, post):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    ask(post, mo, eva_place, date.today() + timedelta(days=30))
    [question] = asks_of(app, sanne.user.plan.id)
    post(sanne.client, f"/stand-in-asks/{question}", {"answer": "yes"})
    again = post(
        sanne.client, f"/stand-in-asks/{question}", {"answer": "yes"}, follow_redirects=True
    )
    assert "This question is no longer open." in text(again)
    assert count(app, Share, Share.user_id == eva.id) == 1


def test_only_a_colleague_of_the_same_organisation_and_a_day_ahead(app, team, post):
    mo, eva, sanne, lotte, eva_place, kees_place, _ = team
    outsider = ask(post, mo, kees_place, date.today() + timedelta(days=30))
    assert outsider.status_code == 400
    assert "Choose a colleague of your organisation." in text(outsider)
    past = ask(post, mo, eva_place, date.today() - timedelta(days=1))
    assert past.status_code == 400 and "Choose a day from today" in text(past)
    assert count(app, StandInAsk) == 0


def test_a_young_person_cannot_answer_someone_elses_question(app, team, post):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    ask(post, mo, eva_place, date.today() + timedelta(days=30))
    [question] = asks_of(app, sanne.user.plan.id)
    assert post(lotte.client, f"/stand-in-asks/{question}", {"answer": "yes"}).status_code == 404
    assert count(app, Share, Share.user_id == eva.id) == 0


def test_a_question_dies_when_a_place_ends_and_expires_with_its_date(app, team, post, monkeypatch):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    until = date.today() + timedelta(days=10)
    ask(post, mo, eva_place, until)
    with app.app_context():
        db.session.get(Membership, eva_place).active = False
        db.session.commit()
    [question] = asks_of(app, sanne.user.plan.id)
    assert "May Eva" not in text(sanne.client.get(f"/plans/{sanne.user.plan.id}"))
    post(sanne.client, f"/stand-in-asks/{question}", {"answer": "yes"})
    assert count(app, Share, Share.user_id == eva.id) == 0
    with app.app_context():
        db.session.get(Membership, eva_place).active = True
        db.session.commit()
    later = datetime.combine(until + timedelta(days=1), time(9), ZoneInfo("Europe/Amsterdam"))
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "May Eva" not in text(lotte.client.get(f"/plans/{lotte.user.plan.id}"))


def test_the_stand_in_ends_after_the_date(app, team, post, monkeypatch):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    until = date.today() + timedelta(days=10)
    ask(post, mo, eva_place, until)
    [question] = asks_of(app, sanne.user.plan.id)
    post(sanne.client, f"/stand-in-asks/{question}", {"answer": "yes"})
    assert eva.client.get(f"/plans/{sanne.user.plan.id}").status_code == 200
    after = datetime.combine(until + timedelta(days=1), time(0, 0, 1), ZoneInfo("Europe/Amsterdam"))
    monkeypatch.setattr(clock, "now", lambda: after)
    assert eva.client.get(f"/plans/{sanne.user.plan.id}").status_code == 404


def test_deleting_an_account_takes_its_stand_ins_and_questions_along(app, team, post):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    ask(post, mo, eva_place, date.today() + timedelta(days=30))
    assert count(app, StandInAsk) == 2
    form = {"password": PASSWORD, "sure": "y"}
    assert post(lotte.client, "/account/delete", form).status_code == 302
    assert count(app, StandInAsk) == 1  # Lotte's question went with her plan
    assert post(mo.client, "/account/delete", form).status_code == 302
    assert count(app, StandIn) == count(app, StandInAsk) == 0  # with Mo's place


def test_once_the_young_person_stops_sharing_with_mo_the_question_closes(app, team, post):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    ask(post, mo, eva_place, date.today() + timedelta(days=30))
    [question] = asks_of(app, sanne.user.plan.id)
    mo_share = scalar(
        app, sa.select(Share.id).where(Share.user_id == mo.id, Share.plan_id == sanne.user.plan.id)
    )
    assert post(sanne.client, f"/shares/{mo_share}/revoke").status_code == 302
    assert "May Eva" not in text(sanne.client.get(f"/plans/{sanne.user.plan.id}"))
    post(sanne.client, f"/stand-in-asks/{question}", {"answer": "yes"})
    assert count(app, Share, Share.user_id == eva.id) == 0  # never more than Mo has: nothing


def test_a_yes_gives_nothing_once_mo_only_looks_along(app, team, post):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    ask(post, mo, eva_place, date.today() + timedelta(days=30))
    [question] = asks_of(app, sanne.user.plan.id)
    with app.app_context():
        share = db.session.scalar(
            sa.select(Share).where(Share.user_id == mo.id, Share.plan_id == sanne.user.plan.id)
        )
        share.role = ShareRole.VIEWER  # Sanne made Mo someone who only looks along
        db.session.commit()
    post(sanne.client, f"/stand-in-asks/{question}", {"answer": "yes"})
    assert count(app, Share, Share.user_id == eva.id) == 0


def test_a_double_tap_on_ask_asks_once(app, team):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    hidden = hidden_fields(mo.client.get("/leave").get_data(as_text=True), "/leave", "/leave")
    assert hidden.get("once"), "the form carries a one-time token"
    data = {
        **hidden,
        "colleague": str(eva_place),
        "until": (date.today() + timedelta(days=9)).isoformat(),
    }
    first, second = together(2, lambda _i: mo.client.post("/leave", data=data))
    assert {first.status_code, second.status_code} <= {302}, (first, second)
    assert count(app, StandInAsk) == 2  # Sanne and Lotte, each once


def test_a_worker_in_two_organisations_asks_from_the_one_they_choose(app, team, person, post):
    mo, eva, sanne, lotte, eva_place, _, _ = team
    fien, noor = person("Fien"), person("Noor", UserKind.YOUTH)
    with app.app_context():
        kompaan = Organisation(name="Kompaan")
        kompaan.memberships = [
            Membership(user_id=mo.id, role=MemberRole.WORKER),
            Membership(user_id=fien.id, role=MemberRole.WORKER),
        ]
        db.session.add(kompaan)
        db.session.flush()
        mo_there, fien_there = (m.id for m in kompaan.memberships)
        db.session.add(Share(plan_id=noor.user.plan.id, user_id=mo.id, role=ShareRole.WORKER,
                             membership_id=mo_there))  # fmt: skip
        db.session.commit()
        kompaan_id = kompaan.id
    page = text(mo.client.get(f"/leave?org={kompaan_id}"))
    assert "Fien" in page and "Eva" not in page and 'aria-current="page">Kompaan' in page
    until = (date.today() + timedelta(days=9)).isoformat()
    answer = post(
        mo.client, f"/leave?org={kompaan_id}", {"colleague": str(fien_there), "until": until}
    )
    assert answer.status_code == 302
    assert asks_of(app, noor.user.plan.id) and not asks_of(app, sanne.user.plan.id)
    assert mo.client.get("/leave?org=999999").status_code == 404  # not a place of theirs
    for crafted in ("abc", str(10**20), "-1"):
        assert mo.client.get(f"/leave?org={crafted}").status_code == 200  # the first place
