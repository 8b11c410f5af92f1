"""Goals: progress arithmetic, history and chart, steps, conflicts, limits and evidence."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.goals import chart, services
from toekomstplan.models import Attachment, Goal, GoalStatus, ProgressEvent, Step

from .factories import statements_of
from .mediafiles import jpeg_with_gps

JSON = {"Accept": "application/json"}


def goal_with(steps_done: list[bool], status=GoalStatus.ACTIVE, estimate=0) -> Goal:
    return Goal(
        title="g",
        status=status,
        estimate=estimate,
        steps=[Step(text=f"s{i}", done=done) for i, done in enumerate(steps_done)],
    )


# Progress arithmetic


@pytest.mark.parametrize(
    ("done", "status", "estimate", "expected"),
    [
        ([True, False, False, False], GoalStatus.ACTIVE, 0, 25),
        ([True, True, False], GoalStatus.ACTIVE, 0, 67),
        ([True, True], GoalStatus.ACTIVE, 0, 100),
        ([], GoalStatus.ACTIVE, 50, 50),  # no steps: the young person's own estimate
        ([], GoalStatus.ACTIVE, 0, 0),
        ([False, False], GoalStatus.ACHIEVED, 0, 100),  # achieved is done, whatever the steps
        ([True, False], GoalStatus.PAUSED, 0, 50),  # a pause keeps what was done
    ],
)
def test_progress_of_a_goal(done, status, estimate, expected):
    assert services.progress(goal_with(done, status, estimate)) == expected


def test_overview_leaves_paused_goals_out_of_the_overall_progress():
    goals = [
        goal_with([True, False]),  # 50
        goal_with([], GoalStatus.ACHIEVED),  # 100
        goal_with([False, False], GoalStatus.PAUSED),  # not counted
    ]
    goals[0].rating = "good"
    summary = services.overview(goals)
    assert summary.overall == 75
    assert [len(summary.active), len(summary.achieved), len(summary.paused)] == [1, 1, 1]
    assert summary.going_well == 1
    assert services.overview([]).overall == 0


def test_chart_draws_a_step_line_over_time():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    events = [
        ProgressEvent(id=2, at=start + timedelta(days=5), progress=50, kind="step_done"),
        ProgressEvent(id=1, at=start, progress=0, kind="created"),
    ]
    data = chart.progress_chart(events, now=start + timedelta(days=10))
    assert [p.progress for p in data.points] == [0, 50]
    assert data.points[0].x == chart.PAD
    assert data.points[1].x == pytest.approx(chart.PAD + (chart.WIDTH - 2 * chart.PAD) / 2, 0.1)
    assert data.points[0].y == chart.y_of(0) and data.points[1].y == chart.y_of(50)
    assert data.line == f"M10.0,{chart.y_of(0)}H160.0V{chart.y_of(50)}H310.0"
    assert (data.first, data.last) == (0, 50)
    assert chart.progress_chart([], now=start) is None


# Through the app


def events_of(app, goal_id) -> list[tuple[str, int]]:
    with app.app_context():
        return [
            (e.kind, e.progress)
            for e in db.session.scalars(
                sa.select(ProgressEvent)
                .where(ProgressEvent.goal_id == goal_id)
                .order_by(ProgressEvent.id)
            )
        ]


def step_ids(app, goal_id) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Step.id).where(Step.goal_id == goal_id).order_by(Step.position)
            )
        )


def test_goal_from_an_inspiration_card_is_prefilled(client, youth):
    page = client.get(f"/plans/{youth.plan.id}/inspiration").get_data(as_text=True)
    key = re.search(r"goals/new\?card=([\w-]+)", page).group(1)
    form = client.get(f"/plans/{youth.plan.id}/goals/new?card={key}").get_data(as_text=True)
    title = re.search(r'name="title"[^>]*value="([^"]+)"', form)
    assert title and title.group(1)
    assert re.search(r'<textarea[^>]*name="steps"[^>]*>\s*\S', form)


def test_inspiration_has_at_least_24_cards(client, youth):
    page = client.get(f"/plans/{youth.plan.id}/inspiration").get_data(as_text=True)
    assert len(set(re.findall(r"goals/new\?card=([\w-]+)", page))) >= 24


def test_ticking_steps_moves_progress_and_history(app, client, post, youth, make_goal):
    goal_id = make_goal()
    first, second, _ = step_ids(app, goal_id)
    response = post(client, f"/steps/{first}/toggle", {"done": "1"}, headers=JSON)
    assert response.status_code == 200
    data = response.get_json()
    assert data["done"] is True and data["progress"] == 33
    assert "33%" in data["progress_html"] and "Write my CV" in data["event_html"]
    post(client, f"/steps/{second}/toggle", {"done": "1"})  # without script: a redirect
    post(client, f"/steps/{first}/toggle", {"done": "0"}, headers=JSON)
    assert events_of(app, goal_id) == [
        ("created", 0),
        ("step_done", 33),
        ("step_done", 67),
        ("step_undone", 33),
    ]
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert 'class="chart__line"' in page and "33%" in page


def test_estimate_rating_and_status_are_kept_with_their_date(app, client, post, make_goal):
    goal_id = make_goal(steps="")
    post(client, f"/goals/{goal_id}/estimate", {"estimate": "50"})
    post(client, f"/goals/{goal_id}/estimate", {"estimate": "60"})  # not on the scale: ignored
    post(client, f"/goals/{goal_id}/rating", {"rating": "bit"})
    post(client, f"/goals/{goal_id}/status", {"status": "paused"})
    response = post(client, f"/goals/{goal_id}/status", {"status": "achieved"})
    page = client.get(response.location).get_data(as_text=True)
    assert "You did it!" in page and "Achieved!" in page
    assert events_of(app, goal_id) == [
        ("created", 0),
        ("estimate", 50),
        ("rating", 50),
        ("status", 50),
        ("status", 100),
    ]


def test_achieved_goal_stays_visible_in_its_own_list(client, post, youth, make_goal):
    goal_id = make_goal(title="Learn to cook")
    make_goal(title="Save for a bike")
    post(client, f"/goals/{goal_id}/status", {"status": "achieved"})
    page = client.get(f"/plans/{youth.plan.id}/goals").get_data(as_text=True)
    achieved = page.split('id="achieved-title"', 1)[1]
    assert "Learn to cook" in achieved
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "You have not said yet how 1 goal is going." in home and "1 goal achieved!" in home


def test_the_summary_says_what_goes_well_first_and_never_counts_no_rating_as_bad(
    client, post, youth, make_goal, app
):
    goals = [make_goal(title=f"Goal {n}") for n in range(3)]
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "going well" not in home and "0 of your" not in home  # day one: nothing is bad
    assert "You have not said yet how 3 goals are going." in home
    post(client, f"/goals/{goals[0]}/rating", {"rating": "good"})
    post(client, f"/goals/{goals[1]}/rating", {"rating": "not_yet"})
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "1 of your 3 goals is going well." in home
    assert "You have not said yet how 1 goal is going." in home
    post(client, "/language", {"lang": "nl"})
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "1 van je 3 doelen gaat goed." in home
    assert "Bij 1 doel heb je nog niet gezegd hoe het gaat." in home


def test_achieving_a_goal_with_open_steps_asks_whether_they_were_done(
    app, client, post, youth, make_goal
):
    goal_id = make_goal(title="Learn to cook", steps="Pick recipes\nShop\nCook")
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert "3 steps are still open. Did you do them too?" in page
    post(client, f"/goals/{goal_id}/status", {"status": "achieved", "open_steps": "keep"})
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert "100% done" in page
    assert "the steps that are not ticked off were not needed in the end" in page
    with app.app_context():
        assert [s.done for s in db.session.get(Goal, goal_id).steps] == [False, False, False]

    other = make_goal(title="Save for a bike", steps="Open an account\nSave")
    post(client, f"/goals/{other}/status", {"status": "achieved", "open_steps": "done"})
    page = client.get(f"/goals/{other}").get_data(as_text=True)
    assert "were not needed" not in page
    with app.app_context():
        goal = db.session.get(Goal, other)
        assert goal.status == "achieved" and all(s.done for s in goal.steps)
        kinds = [e.kind for e in goal.events]
        assert kinds.count("step_done") == 2 and kinds[-1] == "status"


def test_second_device_gets_told_and_keeps_what_it_typed(
    app, client, post, login, new_client, youth, make_goal
):
    goal_id = make_goal()
    phone = new_client()
    login(phone, youth.username, youth.password)
    form = phone.get(f"/goals/{goal_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', form).group(1)
    fields = {"why": "", "helpers": "", "due": ""}
    saved = post(
        client, f"/goals/{goal_id}/edit", {**fields, "title": "Laptop title", "version": version}
    )
    assert saved.status_code == 302
    late = post(
        phone, f"/goals/{goal_id}/edit", {**fields, "title": "Phone title", "version": version}
    )
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "This goal just changed" in page
    assert "Laptop title" in page  # the newest version is shown
    assert re.search(r'name="title"[^>]*value="Phone title"', page)  # what they typed is kept
    with app.app_context():
        assert db.session.get(Goal, goal_id).title == "Laptop title"
    new_version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    again = post(
        phone, f"/goals/{goal_id}/edit", {**fields, "title": "Phone title", "version": new_version}
    )
    assert again.status_code == 302
    with app.app_context():
        assert db.session.get(Goal, goal_id).title == "Phone title"


def test_limits_on_goals_steps_and_lengths(app, client, post, youth, make_goal, monkeypatch):
    monkeypatch.setattr(services, "GOALS_MAX", 1)
    monkeypatch.setattr(services, "STEPS_MAX", 3)
    goal_id = make_goal()
    response = post(client, f"/plans/{youth.plan.id}/goals/new", {"title": "One more"})
    page = client.get(response.location).get_data(as_text=True)
    assert "that is the most" in page
    response = post(client, f"/goals/{goal_id}/steps", {"text": "A fourth step"})
    assert "at most 3 steps" in client.get(response.location).get_data(as_text=True)
    long = post(client, f"/plans/{youth.plan.id}/goals/new", {"title": "x" * 121})
    assert long.status_code == 400 and "Use at most 120 characters." in long.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Goal.id))) == 1


def test_steps_can_be_added_changed_moved_and_deleted(app, client, post, make_goal):
    goal_id = make_goal(steps="One\nTwo")
    post(client, f"/goals/{goal_id}/steps", {"text": "Three"})
    one, two, three = step_ids(app, goal_id)
    post(client, f"/steps/{three}/move", {"direction": "up"})
    post(client, f"/steps/{one}/edit", {"text": "First"})
    post(client, f"/steps/{two}/delete")
    with app.app_context():
        texts = db.session.scalars(
            sa.select(Step.text).where(Step.goal_id == goal_id).order_by(Step.position)
        ).all()
    assert texts == ["First", "Three"]


def test_goal_can_be_moved_and_deleted_with_confirmation(app, client, post, youth, make_goal):
    first = make_goal(title="First goal")
    second = make_goal(title="Second goal")
    post(client, f"/goals/{second}/move", {"direction": "up"})
    page = client.get(f"/plans/{youth.plan.id}/goals").get_data(as_text=True)
    assert page.index("Second goal") < page.index("First goal")
    assert "Delete this goal?" in client.get(f"/goals/{first}/delete").get_data(as_text=True)
    post(client, f"/goals/{first}/delete")
    with app.app_context():
        assert db.session.get(Goal, first) is None
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(ProgressEvent)
                .where(ProgressEvent.goal_id == first)
            )
            == 0
        )


def test_evidence_new_upload_and_existing_photo_on_goal_and_step(
    app, client, post, csrf_token, make_goal
):
    goal_id = make_goal()
    first = step_ids(app, goal_id)[0]
    response = client.post(
        f"/goals/{goal_id}/evidence",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(jpeg_with_gps()), "cv.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        media_id = db.session.scalar(sa.select(Attachment.media_id))
    post(client, f"/goals/{goal_id}/evidence", {"media": media_id, "step": str(first)})
    with app.app_context():
        targets = sorted(a.target for a in db.session.scalars(sa.select(Attachment)))
    assert targets == ["goal", "step"]
    assert [k for k, _ in events_of(app, goal_id)].count("evidence") == 2
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert page.count(f"/media/{media_id}/") >= 3  # shown with the goal, the step and the timeline


def test_a_bad_evidence_file_is_refused_with_its_message(app, client, csrf_token, make_goal):
    goal_id = make_goal()
    response = client.post(
        f"/goals/{goal_id}/evidence",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(b"not a photo"), "x.jpg")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "We cannot show this file" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_evidence_sent_by_the_upload_script_gets_json_answers(app, client, csrf_token, make_goal):
    goal_id = make_goal()
    first = step_ids(app, goal_id)[0]

    def send(data: bytes, name: str):
        form = {
            "csrf_token": csrf_token(client),
            "step": str(first),
            "file": (io.BytesIO(data), name),
        }
        return client.post(
            f"/goals/{goal_id}/evidence",
            data=form,
            headers={"Accept": "application/json"},
            content_type="multipart/form-data",
        )

    refused = send(b"not a photo", "x.jpg")
    assert refused.status_code == 400 and "We cannot show this file" in refused.get_json()["error"]
    added = send(jpeg_with_gps(), "cv.jpg")
    assert added.status_code == 201
    assert added.get_json()["location"] == f"/goals/{goal_id}#evidence"
    with app.app_context():
        (attachment,) = db.session.scalars(sa.select(Attachment))
        assert attachment.target == "step" and attachment.step_id == first
    # The flash waits for the page the script opens.
    assert "Added to what you learned." in client.get(f"/goals/{goal_id}").get_data(as_text=True)


def test_someone_elses_goal_and_step_are_404(client, post, login, make_user, new_client, make_goal):
    goal_id = make_goal()
    other = new_client()
    stranger = make_user(name="Kim")
    login(other, stranger.username, stranger.password)
    for path in (f"/goals/{goal_id}", f"/goals/{goal_id}/edit", f"/goals/{goal_id}/delete"):
        assert other.get(path).status_code == 404
    assert post(other, f"/goals/{goal_id}/status", {"status": "achieved"}).status_code == 404
    assert post(other, "/steps/1/toggle", {"done": "1"}).status_code == 404


def test_goals_overview_uses_a_fixed_number_of_queries(app, client, make_goal, youth):
    def count_queries() -> int:
        path = f"/plans/{youth.plan.id}/goals"
        return len(statements_of(app, lambda: client.get(path).close()))

    make_goal(title="one")
    few = count_queries()
    for i in range(8):
        make_goal(title=f"goal {i}")
    assert count_queries() == few
    assert few <= 5
