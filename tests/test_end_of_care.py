"""End of care (orgs/care.py): Mo marks the help through Jeugdformaat finished. Sanne is
told once and chooses; the organisation's shares end 30 days later unless she renews them;
a share of someone outside the organisation is untouched, and nothing of the plan goes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from toekomstplan import clock
from toekomstplan.extensions import db
from toekomstplan.models import (
    AuditRecord,
    Goal,
    MemberRole,
    Membership,
    Notice,
    Organisation,
    Share,
    ShareRole,
    UserKind,
)
from toekomstplan.sharing import tasks

from .factories import new_goal
from .test_at_once import together
from .test_sharing import count, scalar, text


@pytest.fixture
def care(app, person):
    """Sanne shares with Mo and Eva through Jeugdformaat, and with Ilse, her mother."""
    mo, eva, ilse = person("Mo"), person("Eva"), person("Ilse")
    sanne = person("Sanne", UserKind.YOUTH)
    new_goal(sanne.client, sanne.user.plan.id, "Een bijbaan", "Cv maken")
    with app.app_context():
        org = Organisation(name="Jeugdformaat")
        places = [Membership(user_id=p.id, role=MemberRole.WORKER) for p in (mo, eva)]
        org.memberships = places
        db.session.add(org)
        db.session.flush()
        for who, place in ((mo, places[0]), (eva, places[1]), (ilse, None)):
            db.session.add(Share(plan_id=sanne.user.plan.id, user_id=who.id,
                                 role=ShareRole.VIEWER if place is None else ShareRole.WORKER,
                                 membership_id=place and place.id))  # fmt: skip
        db.session.commit()
    return sanne, mo, eva, ilse


def last_days(app, plan_id: int) -> dict[int, date | None]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Share.user_id, Share.last_day).where(Share.plan_id == plan_id)
        )
        return dict(rows.all())


def test_the_help_ends_the_organisations_shares_in_30_days_and_sanne_is_told_once(
    app, care, post, monkeypatch
):
    sanne, mo, eva, ilse = care
    plan_id = sanne.user.plan.id
    assert "/end-of-care" in text(mo.client.get(f"/plans/{plan_id}"))
    assert "/end-of-care" not in text(ilse.client.get(f"/plans/{plan_id}"))  # not a worker
    assert post(mo.client, f"/plans/{plan_id}/end-of-care").status_code == 302
    again = post(eva.client, f"/plans/{plan_id}/end-of-care", follow_redirects=True)
    assert "This was done already." in text(again)
    in_30 = date.today() + timedelta(days=30)
    assert last_days(app, plan_id) == {mo.id: in_30, eva.id: in_30, ilse.id: None}
    assert count(app, Notice, Notice.kind == "care_ended") == 1
    assert count(app, AuditRecord, AuditRecord.event == "care_ended") == 1
    home = text(sanne.client.get(f"/plans/{plan_id}"))
    assert "Jeugdformaat" in home and "my-data" in home and "/account/delete" in home
    # 30 days on, the organisation's people are refused; Ilse and the plan stay.
    later = datetime.combine(in_30 + timedelta(days=1), time(9), ZoneInfo("Europe/Amsterdam"))
    monkeypatch.setattr(clock, "now", lambda: later)
    assert mo.client.get(f"/plans/{plan_id}").status_code == 404
    assert ilse.client.get(f"/plans/{plan_id}").status_code == 200
    with app.app_context():
        assert tasks.run()[0] == 2
        assert db.session.scalar(sa.select(sa.func.count(Goal.id))) == 1


def test_sanne_renews_and_nothing_ends(app, care, post, monkeypatch):
    sanne, mo, eva, ilse = care
    plan_id = sanne.user.plan.id
    post(mo.client, f"/plans/{plan_id}/end-of-care")
    notice = scalar(app, sa.select(Notice.id).where(Notice.kind == "care_ended"))
    assert post(sanne.client, f"/notices/{notice}/renew").status_code == 302
    assert last_days(app, plan_id) == {mo.id: None, eva.id: None, ilse.id: None}
    assert "Jeugdformaat" not in text(sanne.client.get(f"/plans/{plan_id}"))  # told, done
    later = datetime.combine(
        date.today() + timedelta(days=40), time(9), ZoneInfo("Europe/Amsterdam")
    )
    monkeypatch.setattr(clock, "now", lambda: later)
    assert mo.client.get(f"/plans/{plan_id}").status_code == 200


def test_only_the_young_person_renews_and_only_a_worker_of_the_plan_ends_care(app, care, post):
    sanne, mo, eva, ilse = care
    plan_id = sanne.user.plan.id
    assert post(ilse.client, f"/plans/{plan_id}/end-of-care").status_code == 404
    post(mo.client, f"/plans/{plan_id}/end-of-care")
    notice = scalar(app, sa.select(Notice.id).where(Notice.kind == "care_ended"))
    assert post(mo.client, f"/notices/{notice}/renew").status_code == 404
    assert set(last_days(app, plan_id).values()) == {date.today() + timedelta(days=30), None}


def test_renewing_keeps_a_stand_ins_own_end_and_two_taps_at_once_tell_once(app, care, post):
    sanne, mo, eva, ilse = care
    plan_id = sanne.user.plan.id
    soon = date.today() + timedelta(days=10)
    with app.app_context():
        share = db.session.scalar(sa.select(Share).where(Share.user_id == eva.id))
        share.last_day = soon  # Eva stands in for ten days
        db.session.commit()
    token = mo.client.get(f"/plans/{plan_id}/end-of-care")  # each worker has the page open
    assert token.status_code == 200
    taps = together(2, lambda i: post((mo, eva)[i].client, f"/plans/{plan_id}/end-of-care"))
    assert all(t.status_code == 302 for t in taps), taps
    assert count(app, Notice, Notice.kind == "care_ended") == 1
    notice = scalar(app, sa.select(Notice.id).where(Notice.kind == "care_ended"))
    post(sanne.client, f"/notices/{notice}/renew")
    assert last_days(app, plan_id) == {mo.id: None, eva.id: soon, ilse.id: None}
