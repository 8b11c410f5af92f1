"""Mail about new reactions: per reaction, or once a day; nothing for who turned it off."""

from datetime import UTC, datetime, timedelta

import pytest
import redis.exceptions
import sqlalchemy as sa

from toekomstplan.comments import notify
from toekomstplan.extensions import db
from toekomstplan.jobs import huey
from toekomstplan.media import housekeeping
from toekomstplan.models import Comment, Share, ShareRole, User, UserKind, WaitingJob


@pytest.fixture
def world(app, client, new_client, login, post, make_user):
    youth = make_user(login="sam@example.org", name="Sam")
    worker = make_user(kind=UserKind.SUPPORTER, login="mo@example.org", name="Mo")
    with app.app_context():
        db.session.add(Share(plan_id=youth.plan.id, user_id=worker.id, role=ShareRole.WORKER))
        db.session.get(User, worker.id).notify_by_mail = True
        db.session.commit()
    login(client, "sam@example.org", youth.password)
    goal = post(client, f"/plans/{youth.plan.id}/goals/new", {"title": "Find a side job"})
    goal_id = int(goal.location.rsplit("/", 1)[-1])
    worker_client = new_client()
    login(worker_client, "mo@example.org", worker.password)
    return youth, worker, goal_id, worker_client


def test_reaction_mails_the_worker_who_wants_it_and_not_the_author(app, client, post, mails, world):
    youth, worker, goal_id, _ = world
    before = len(mails())
    post(client, f"/goals/{goal_id}/comments", {"body": "I wrote my CV!"})
    new = mails()[before:]
    assert [m["To"] for m in new] == ["mo@example.org"]
    body = new[0].get_content()
    assert f"/goals/{goal_id}" in body
    assert "I wrote my CV" not in body, "mails carry no plan content"


def test_young_person_gets_no_mail_unless_they_turn_it_on(app, client, post, mails, world):
    youth, worker, goal_id, worker_client = world
    before = len(mails())
    post(worker_client, f"/goals/{goal_id}/comments", {"body": "Well done"})
    assert [m["To"] for m in mails()[before:]] == []  # off by default for young people
    post(client, "/account/notifications", {"by_mail": "y"})
    post(worker_client, f"/goals/{goal_id}/comments", {"body": "Again"})
    assert [m["To"] for m in mails()[before:]] == ["sam@example.org"]


def test_worker_who_chose_a_daily_mail_gets_one_digest(app, client, post, mails, world):
    youth, worker, goal_id, worker_client = world
    post(worker_client, "/account/notifications", {"by_mail": "y", "daily": "y"})
    before = len(mails())
    post(client, f"/goals/{goal_id}/comments", {"body": "One"})
    post(client, f"/goals/{goal_id}/comments", {"body": "Two"})
    assert len(mails()) == before, "no mail per reaction"
    with app.app_context():
        assert notify.send_digests(datetime.now(UTC) + timedelta(minutes=1)) == 1
        assert notify.send_digests(datetime.now(UTC) + timedelta(minutes=2)) == 0  # nothing new
    (digest,) = mails()[before:]
    assert digest["To"] == "mo@example.org" and "Sam: 2" in digest.get_content()


def test_hidden_goal_sends_no_mail_to_the_worker(app, client, post, mails, world):
    youth, worker, goal_id, _ = world
    with app.app_context():
        share = db.session.scalar(sa.select(Share).where(Share.user_id == worker.id))
        share_id = share.id
    post(client, f"/shares/{share_id}", {"role": "worker", "sees_intro": "y"})  # no goals ticked
    before = len(mails())
    post(client, f"/goals/{goal_id}/comments", {"body": "Private"})
    assert mails()[before:] == []


def test_a_reaction_while_the_job_queue_is_away_is_saved_and_mailed_once_it_is_back(
    app, client, post, mails, world, monkeypatch
):
    youth, worker, goal_id, _ = world
    before = len(mails())

    def unreachable(task):
        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(huey, "enqueue", unreachable)  # Redis restarting
    response = post(client, f"/goals/{goal_id}/comments", {"body": "Saved anyway"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(WaitingJob.id))) == 1
        housekeeping.run()  # still away: the job stays
        assert db.session.scalar(sa.select(sa.func.count(WaitingJob.id))) == 1
    assert mails()[before:] == []
    monkeypatch.undo()
    with app.app_context():
        housekeeping.run()  # the consumer's next round, with the queue back
        assert db.session.scalar(sa.select(sa.func.count(WaitingJob.id))) == 0
        housekeeping.run()
    assert [m["To"] for m in mails()[before:]] == ["mo@example.org"]  # once
