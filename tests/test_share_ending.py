"""Shares that end after a last day (sharing/ending.py), with a frozen clock: refused from
the first second after the last day, both sides told once, a week's warning with a
one-tap extension that a double tap does once, and the caseload's "ends soon"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from toekomstplan import clock
from toekomstplan.models import AccessEvent, Invite, Notice, Share, UserKind
from toekomstplan.sharing import ending, tasks

from .factories import new_goal
from .test_sharing import LINK, count, scalar, text

DUTCH = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def at(monkeypatch):
    """Freeze the app's clock at a Dutch wall-clock moment on `day`."""

    def freeze(day: date, hour: int = 12, minute: int = 0, second: int = 0) -> None:
        moment = datetime.combine(day, time(hour, minute, second), DUTCH)
        monkeypatch.setattr(clock, "now", lambda: moment)

    return freeze


@pytest.fixture
def shared(app, person, post):
    """Amira shares with Mo until ten days from now (chosen when inviting); Mo accepted."""
    amira = person("Amira", UserKind.YOUTH)
    mo = person("Mo")
    last = clock_today(app) + timedelta(days=10)
    plan_id = amira.user.plan.id
    fields = {"label": "Mo", "role": "worker", "email": "", "last_day": last.isoformat()}
    page = post(amira.client, f"/plans/{plan_id}/sharing", fields)
    assert page.status_code == 200, text(page)
    token = LINK.search(text(page)).group(1)
    assert post(mo.client, f"/invite/{token}/accept").status_code == 302
    share_id = scalar(app, sa.select(Share.id).where(Share.user_id == mo.id))
    return amira, mo, plan_id, share_id, last


def clock_today(app) -> date:
    with app.test_request_context():
        return clock.today()


def test_a_share_is_refused_from_the_first_second_after_its_last_day(app, shared, at):
    amira, mo, plan_id, share_id, last = shared
    assert scalar(app, sa.select(Share.last_day).where(Share.id == share_id)) == last
    at(last, 23, 59, 59)
    assert mo.client.get(f"/plans/{plan_id}").status_code == 200
    at(last + timedelta(days=1), 0, 0, 1)
    assert mo.client.get(f"/plans/{plan_id}").status_code == 404  # like a revoke
    assert "Amira" not in text(mo.client.get("/"))  # not in the caseload either


def test_when_a_share_ends_both_sides_are_told_once(app, shared, at, mails):
    amira, mo, plan_id, share_id, last = shared
    before = len(mails())
    at(last + timedelta(days=1), 0, 0, 1)
    with app.app_context():
        assert tasks.run() == (1, 0)
        assert tasks.run() == (0, 0)  # twice, or two consumers: once
    assert count(app, Share, Share.id == share_id) == 0
    assert count(app, Notice, Notice.kind == "share_ended", Notice.user_id == amira.id) == 1
    assert (
        count(app, AccessEvent, AccessEvent.action == "revoked", AccessEvent.target == "ended") == 1
    )
    sent = mails()[before:]
    assert [m["To"] for m in sent] == ["mo@example.org"]
    assert "Amira" in sent[0].get_content()
    home = text(amira.client.get(f"/plans/{plan_id}"))
    assert "Mo cannot see your plan anymore." in home
    caseload = text(mo.client.get("/"))
    assert "Amira" in caseload and "/plans/" + str(plan_id) not in caseload


def test_a_week_before_the_young_person_can_extend_with_one_tap_once(app, shared, at, post):
    amira, mo, plan_id, share_id, last = shared
    at(last - timedelta(days=7))
    with app.app_context():
        assert tasks.run() == (0, 1)
        assert tasks.run() == (0, 0)
    home = text(amira.client.get(f"/plans/{plan_id}"))
    assert "Mo can look at your plan until" in home and "3 months longer" in home
    tap = {"last_day": last.isoformat()}
    first = post(amira.client, f"/shares/{share_id}/extend", tap)
    second = post(amira.client, f"/shares/{share_id}/extend", tap)  # a double tap
    assert first.status_code == second.status_code == 302
    longer = scalar(app, sa.select(Share.last_day).where(Share.id == share_id))
    assert longer == ending.add_months(last, 3)  # three months, once
    assert count(app, Notice, Notice.share_id == share_id) == 0  # the warning is gone
    at(last + timedelta(days=1), 0, 0, 1)
    assert mo.client.get(f"/plans/{plan_id}").status_code == 200  # still sharing
    with app.app_context():
        assert tasks.run() == (0, 0)


def test_the_caseload_says_a_share_ends_soon(app, shared, at):
    amira, mo, plan_id, share_id, last = shared
    at(last - timedelta(days=20))
    assert "Sharing ends soon" not in text(mo.client.get("/?signal=ends_soon"))
    at(last - timedelta(days=3))
    page = text(mo.client.get("/?signal=ends_soon"))
    assert "Amira" in page and "Shares until" in page


@pytest.mark.parametrize(
    "value, message",
    [
        ("2020-01-01", "Choose today or a day after today."),
        ("2031-01-01", "Choose a day within two years."),
        ("2026-02-31", "Not a valid date value."),
        ("morgen", "Not a valid date value."),
    ],
)
def test_a_last_day_that_cannot_be_is_refused_and_nothing_is_made(
    app, person, post, value, message
):
    amira = person("Amira", UserKind.YOUTH)
    fields = {"label": "Mo", "role": "worker", "email": "", "last_day": value}
    page = post(amira.client, f"/plans/{amira.user.plan.id}/sharing", fields)
    assert page.status_code == 400
    assert message in text(page)
    assert count(app, Invite) == 0


def test_the_young_person_changes_or_removes_the_last_day_on_the_share_page(app, shared, post):
    amira, mo, plan_id, share_id, last = shared
    form = {"role": "worker", "sees_intro": "y", "goals": [], "last_day": ""}
    assert post(amira.client, f"/shares/{share_id}", form).status_code == 302
    assert scalar(app, sa.select(Share.last_day).where(Share.id == share_id)) is None
    later = (last + timedelta(days=30)).isoformat()
    assert post(amira.client, f"/shares/{share_id}", {**form, "last_day": later}).status_code == 302
    assert scalar(app, sa.select(Share.last_day).where(Share.id == share_id)).isoformat() == later


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
    ],
)
def test_months_are_added_as_people_count_them(day, months, expected):
    assert ending.add_months(day, months) == expected


def test_the_caseload_works_while_an_ended_share_waits_for_the_job(app, shared, at):
    amira, mo, plan_id, share_id, last = shared
    new_goal(amira.client, plan_id, "Een bijbaan", "Cv maken")
    at(last + timedelta(days=1), 0, 0, 1)  # ended, the sharing job has not run yet
    page = mo.client.get("/")
    assert page.status_code == 200 and "Een bijbaan" not in text(page)


def test_an_invitation_taken_after_its_last_day_makes_no_share(app, person, post, at):
    amira, mo = person("Amira", UserKind.YOUTH), person("Mo")
    last = clock_today(app) + timedelta(days=1)
    fields = {"label": "Mo", "role": "worker", "email": "", "last_day": last.isoformat()}
    page = post(amira.client, f"/plans/{amira.user.plan.id}/sharing", fields)
    token = LINK.search(text(page)).group(1)
    at(last + timedelta(days=1))
    answer = post(mo.client, f"/invite/{token}/accept")
    assert answer.status_code == 404 and count(app, Share) == 0


def test_a_last_day_kept_as_it_is_never_blocks_saving_the_share(app, shared, post, at):
    amira, mo, plan_id, share_id, last = shared
    at(last - timedelta(days=1))  # tomorrow it ends; today it is still fine to keep
    form = {"role": "worker", "goals": [], "last_day": last.isoformat()}
    at(last)
    assert post(amira.client, f"/shares/{share_id}", form).status_code == 302
