"""Sharing a plan through the app: invitations, what each person sees, revoking, previewing,
the access log, reactions and suggestions, the worker's overview and deleting accounts."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from toekomstplan.comments import notify
from toekomstplan.extensions import db
from toekomstplan.models import (
    AccessEvent,
    Attachment,
    Comment,
    Goal,
    Invite,
    Share,
    Step,
    Suggestion,
    User,
    UserKind,
)

from .conftest import PASSWORD, Person
from .factories import cover_form, new_goal, upload
from .mediafiles import jpeg_with_gps, png

LINK = re.compile(r"http://127\.0\.0\.1:5000/invite/([A-Za-z0-9_-]+)")
JSON = {"Accept": "application/json"}


def text(response) -> str:
    return response.get_data(as_text=True)


def rows(app, query) -> list:
    with app.app_context():
        return list(db.session.execute(query).all())


def scalar(app, query):
    with app.app_context():
        return db.session.scalar(query)


def count(app, model, *where) -> int:
    return scalar(app, sa.select(sa.func.count()).select_from(model).where(*where))


def fetch(client, url: str):
    """GET a URL and close the response (media files are streamed from disk)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def invite(post):
    """Return a function: the young person invites someone; returns the token of the link."""

    def make(client, plan_id: int, role: str = "worker", label: str = "Mo", email: str = ""):
        response = post(
            client, f"/plans/{plan_id}/sharing", {"label": label, "role": role, "email": email}
        )
        assert response.status_code == 200, text(response)
        match = LINK.search(text(response))
        assert match, "the page shows the link"
        return match.group(1)

    return make


@pytest.fixture
def join(app, invite, post):
    """Return a function: `youth` invites `who`, who accepts; returns the share's id."""

    def make(youth: Person, who: Person, role: str = "worker") -> int:
        token = invite(youth.client, youth.user.plan.id, role, who.user.name)
        response = post(who.client, f"/invite/{token}/accept")
        assert response.status_code == 302
        assert response.location.endswith(f"/plans/{youth.user.plan.id}")
        return scalar(
            app,
            sa.select(Share.id).where(Share.user_id == who.id, Share.plan_id == youth.user.plan.id),
        )

    return make


def step_ids(app, goal_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(sa.select(Step.id).where(Step.goal_id == goal_id).order_by(Step.id))
        )


@dataclass
class Sharing:
    """Amira's plan with two goals, the second hidden from Willem (her worker); Vera looks along."""

    youth: Person
    worker: Person
    viewer: Person
    plan: int
    goal: int
    hidden_goal: int
    worker_share: int
    viewer_share: int


@pytest.fixture
def sharing(app, person, join, post) -> Sharing:
    youth = person("Amira", UserKind.YOUTH)
    worker, viewer = person("Willem"), person("Vera")
    goal = new_goal(youth.client, youth.user.plan.id, "Find a side job", "Write my CV\nAsk around")
    hidden_goal = new_goal(youth.client, youth.user.plan.id, "Secret plan", "First step")
    worker_share = join(youth, worker)
    viewer_share = join(youth, viewer, "viewer")
    response = post(
        youth.client,
        f"/shares/{worker_share}",
        {
            "role": "worker",
            "sees_intro": "y",
            "sees_about": "y",
            "sees_media": "y",
            "goals": [str(goal)],
        },
    )
    assert response.status_code == 302
    return Sharing(
        youth, worker, viewer, youth.user.plan.id, goal, hidden_goal, worker_share, viewer_share
    )


def upload_photo(client, plan_id: int) -> str:
    response = upload(client, plan_id, jpeg_with_gps(), "me.jpg")
    assert response.status_code == 201
    return response.get_json()["id"]


def add_evidence(app, client, csrf_token, goal_id: int) -> str:
    response = client.post(
        f"/goals/{goal_id}/evidence",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(png()), "proof.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return scalar(app, sa.select(Attachment.media_id).where(Attachment.goal_id == goal_id))


# Invitations


def test_invite_link_is_shown_once_and_only_its_hash_is_stored(app, client, person, invite):
    youth = person("Amira", UserKind.YOUTH)
    token = invite(youth.client, youth.user.plan.id, "worker", "Mo")
    (invitation,) = rows(app, sa.select(Invite))
    invitation = invitation[0]
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = rows(app, sa.text("SELECT * FROM invites"))
    assert all(token not in str(value) for row in stored for value in row)
    assert invitation.expires_at - datetime.now(UTC) > timedelta(days=6, hours=23)
    assert invitation.expires_at - datetime.now(UTC) <= timedelta(days=7)
    again = text(youth.client.get(f"/plans/{youth.user.plan.id}/sharing"))
    assert token not in again  # shown once, when it is made
    assert "Mo" in again  # the open invitation is listed, by its label


def test_invite_by_mail_sends_the_link(app, person, invite, mails):
    youth = person("Amira", UserKind.YOUTH)
    token = invite(youth.client, youth.user.plan.id, "viewer", "Mum", "mum@example.org")
    (message,) = mails.to("mum@example.org")
    assert mails.link(message) == f"/invite/{token}"
    assert "Amira" in message["Subject"]
    page = text(youth.client.get(f"/invite/{token}"))
    assert "Amira invites you" in page


def test_someone_new_makes_an_account_from_the_link_and_sees_the_plan(
    app, new_client, person, invite, csrf_token, mails
):
    youth = person("Amira", UserKind.YOUTH)
    token = invite(youth.client, youth.user.plan.id, "worker", "Mo", "mo@example.org")
    mo = new_client()
    landing = text(mo.get(f"/invite/{token}"))
    assert "Amira invites you" in landing and f"/invite/{token}/register" in landing
    form = text(mo.get(f"/invite/{token}/register"))
    assert 'value="mo@example.org"' in form  # the address the invitation went to
    response = mo.post(
        f"/invite/{token}/register",
        data={
            "csrf_token": csrf_token(mo, f"/invite/{token}/register"),
            "name": "Mo",
            "email": "mo@example.org",
            "password": "a long walk along the sea",
        },
    )
    assert response.status_code == 302
    assert response.location == f"/plans/{youth.user.plan.id}"
    assert "Welcome! You can now see the plan of Amira." in text(mo.get(response.location))
    (user,) = rows(app, sa.select(User).where(User.email == "mo@example.org"))
    assert user[0].kind == UserKind.SUPPORTER
    (share,) = rows(app, sa.select(Share))
    assert share[0].role == "worker" and share[0].user_id == user[0].id
    assert scalar(app, sa.select(Invite.used_at)) is not None


def test_someone_with_an_account_logs_in_from_the_link_and_accepts(
    app, new_client, person, make_user, invite, post
):
    youth = person("Amira", UserKind.YOUTH)
    token = invite(youth.client, youth.user.plan.id, "viewer", "Mum")
    mum = make_user(kind=UserKind.SUPPORTER, login="mum@example.org", name="Mum")
    browser = new_client()
    landing = text(browser.get(f"/invite/{token}"))
    assert f'href="/login?next=/invite/{token}"' in landing
    response = post(
        browser,
        f"/login?next=/invite/{token}",
        {"login": "mum@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.location == f"/invite/{token}"
    page = text(browser.get(response.location))
    assert f'action="/invite/{token}/accept"' in page
    response = post(browser, f"/invite/{token}/accept")
    assert response.location == f"/plans/{youth.user.plan.id}"
    assert browser.get(response.location).status_code == 200
    (share,) = rows(app, sa.select(Share))
    assert (share[0].user_id, share[0].role) == (mum.id, "viewer")


def test_a_young_person_cannot_accept_an_invitation(app, person, invite, post):
    youth = person("Amira", UserKind.YOUTH)
    other_youth = person("Bo", UserKind.YOUTH)
    token = invite(youth.client, youth.user.plan.id)
    for who in (youth, other_youth):
        response = post(who.client, f"/invite/{token}/accept")
        assert response.status_code == 302
        assert response.location == f"/invite/{token}"
        assert "This invitation is for someone else." in text(who.client.get(response.location))
    assert count(app, Share) == 0
    assert scalar(app, sa.select(Invite.used_at)) is None


def test_expired_used_and_taken_back_invitations_are_refused(app, person, invite, post, new_client):
    youth = person("Amira", UserKind.YOUTH)
    plan_id = youth.user.plan.id
    first, second = person("Willem"), person("Rob")

    expired = invite(youth.client, plan_id, label="Late")
    with app.app_context():
        db.session.execute(
            sa.update(Invite).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        db.session.commit()
    used = invite(youth.client, plan_id, label="Willem")
    assert post(first.client, f"/invite/{used}/accept").status_code == 302
    taken_back = invite(youth.client, plan_id, label="Wrong person")
    invite_id = scalar(app, sa.select(Invite.id).where(Invite.label == "Wrong person"))
    assert post(youth.client, f"/invites/{invite_id}/revoke").status_code == 302

    messages = {
        expired: "This invitation is older than 7 days, so it does not work anymore.",
        used: "This invitation was already used. An invitation works once.",
        taken_back: "We do not know this invitation. Maybe it was taken back.",
        "made-up-token": "We do not know this invitation. Maybe it was taken back.",
    }
    anonymous = new_client()
    for token, message in messages.items():
        for response in (
            anonymous.get(f"/invite/{token}"),
            anonymous.get(f"/invite/{token}/register"),
            post(second.client, f"/invite/{token}/accept"),
        ):
            assert response.status_code == 404, token
            assert message in text(response), token
    assert rows(app, sa.select(Share.user_id)) == [(first.id,)]


# What a worker sees


def test_a_hidden_goal_is_absent_for_the_worker_everywhere(app, sharing, csrf_token, post):
    youth, worker = sharing.youth, sharing.worker
    photo = add_evidence(app, youth.client, csrf_token, sharing.hidden_goal)
    for path in (f"/plans/{sharing.plan}", f"/plans/{sharing.plan}/goals"):
        own, theirs = text(youth.client.get(path)), text(worker.client.get(path))
        assert "Secret plan" in own and "You have not said yet how 2 goals are going." in own
        assert "Find a side job" in theirs
        assert "Secret plan" not in theirs and f"/goals/{sharing.hidden_goal}" not in theirs
        assert "Amira has not said yet how 1 goal is going." in theirs
        assert photo not in theirs  # not among the thumbnails either
    assert worker.client.get(f"/goals/{sharing.hidden_goal}").status_code == 404
    for url in (f"/media/{photo}", f"/media/{photo}/display", f"/media/{photo}/status"):
        assert fetch(worker.client, url).status_code == 404, url
        assert fetch(sharing.viewer.client, url).status_code == 200, url
    assert "Secret plan" in text(sharing.viewer.client.get(f"/plans/{sharing.plan}"))

    # Changes on the hidden goal do not count in the worker's overview.
    assert "Nothing new since your last visit." in text(worker.client.get("/"))
    (hidden_step,) = step_ids(app, sharing.hidden_goal)
    post(youth.client, f"/steps/{hidden_step}/toggle", {"done": "1"})
    post(youth.client, f"/goals/{sharing.hidden_goal}/status", {"status": "achieved"})
    post(youth.client, f"/goals/{sharing.hidden_goal}/comments", {"body": "Only for me and Vera"})
    overview = text(worker.client.get("/"))
    assert "Nothing new since your last visit." in overview
    post(youth.client, f"/steps/{step_ids(app, sharing.goal)[0]}/toggle", {"done": "1"})
    overview = text(worker.client.get("/"))
    assert "1 new" in overview and "1 step forward" in overview
    assert "goal achieved" not in overview and "new reaction" not in overview


def test_without_photos_and_videos_no_photo_or_video_loads_anywhere(app, sharing, csrf_token, post):
    youth, worker = sharing.youth, sharing.worker
    in_intro = upload_photo(youth.client, sharing.plan)
    post(youth.client, f"/plans/{sharing.plan}/intro", {"text": "Hi, I am Amira."})
    assert post(youth.client, f"/media/{in_intro}/attach", {"intro": "y"}).status_code == 302
    gallery_only = upload_photo(youth.client, sharing.plan)
    home = text(worker.client.get(f"/plans/{sharing.plan}"))
    assert 'id="media"' in home and gallery_only in home  # photos and videos are on

    settings = {"role": "worker", "sees_intro": "y", "sees_about": "y", "goals": [sharing.goal]}
    assert post(youth.client, f"/shares/{sharing.worker_share}", settings).status_code == 302
    home = text(worker.client.get(f"/plans/{sharing.plan}"))
    assert 'id="media"' not in home and "thumb-row" not in home
    # "Photos and videos" off means none at all: not in the gallery, not with the
    # introduction, not on the cover, not as evidence on a goal they see.
    assert (
        post(youth.client, f"/plans/{sharing.plan}/cover", cover_form(in_intro)).status_code == 302
    )
    evidence = add_evidence(app, youth.client, csrf_token, sharing.goal)
    home = text(worker.client.get(f"/plans/{sharing.plan}"))
    assert "Hi, I am Amira." in home
    assert gallery_only not in home and in_intro not in home
    assert evidence not in text(worker.client.get(f"/goals/{sharing.goal}"))
    for media_id in (in_intro, gallery_only, evidence):
        for url in (f"/media/{media_id}", f"/media/{media_id}/display"):
            assert fetch(worker.client, url).status_code == 404, url
    pdf = worker.client.get(f"/plans/{sharing.plan}/plan.pdf")
    assert pdf.status_code == 200 and b"/Subtype /Image" not in pdf.data
    # On again: each shows where the young person put it.
    settings["sees_media"] = "y"
    post(youth.client, f"/shares/{sharing.worker_share}", settings)
    home = text(worker.client.get(f"/plans/{sharing.plan}"))
    assert in_intro in home and gallery_only in home
    assert fetch(worker.client, f"/media/{evidence}/display").status_code == 200


def test_revoking_counts_from_the_next_request_of_an_open_session(app, sharing, post):
    worker = sharing.worker
    assert worker.client.get(f"/plans/{sharing.plan}").status_code == 200
    assert worker.client.get(f"/goals/{sharing.goal}").status_code == 200
    response = post(sharing.youth.client, f"/shares/{sharing.worker_share}/revoke")
    assert response.status_code == 302
    assert "Willem cannot see your plan anymore." in text(
        sharing.youth.client.get(response.location)
    )
    assert worker.client.get(f"/plans/{sharing.plan}").status_code == 404
    assert worker.client.get(f"/goals/{sharing.goal}").status_code == 404
    assert post(worker.client, f"/goals/{sharing.goal}/comments", {"body": "Hi"}).status_code == 404
    caseload = text(worker.client.get("/"))
    assert f"/plans/{sharing.plan}" not in caseload
    assert "Amira no longer shares their plan with you." in caseload  # not "nobody shared"
    assert count(app, Share, Share.user_id == worker.id) == 0


def test_preview_shows_exactly_what_that_person_sees(app, sharing, person, join, post):
    youth, worker = sharing.youth, sharing.worker
    post(youth.client, f"/plans/{sharing.plan}/intro", {"text": "Hi, I am Amira."})
    # Vera sees only the second goal and no introduction.
    viewer_settings = {"role": "viewer", "sees_about": "y", "goals": [sharing.hidden_goal]}
    assert post(youth.client, f"/shares/{sharing.viewer_share}", viewer_settings).status_code == 302
    events_before = count(app, AccessEvent, AccessEvent.action == "view")

    preview = text(youth.client.get(f"/plans/{sharing.plan}?as={sharing.worker_share}"))
    assert "This is how Willem sees your plan." in preview
    assert "Find a side job" in preview and "Secret plan" not in preview
    assert "Hi, I am Amira." in preview
    as_vera = text(youth.client.get(f"/plans/{sharing.plan}?as={sharing.viewer_share}"))
    assert "Secret plan" in as_vera and "Find a side job" not in as_vera
    assert "Hi, I am Amira." not in as_vera
    own = text(youth.client.get(f"/plans/{sharing.plan}"))
    assert "Secret plan" in own and "Find a side job" in own and "This is how" not in own
    # Previewing is the young person's own look: not logged, not a visit of Willem.
    assert count(app, AccessEvent, AccessEvent.action == "view") == events_before
    assert (
        scalar(app, sa.select(Share.last_visit_at).where(Share.id == sharing.worker_share)) is None
    )

    # What Willem gets is what the preview showed.
    def goal_links(page: str) -> set[str]:
        return set(re.findall(r'href="(/goals/\d+)"', page))

    theirs = text(worker.client.get(f"/plans/{sharing.plan}"))
    assert goal_links(theirs) == goal_links(preview) == {f"/goals/{sharing.goal}"}

    # Someone else cannot use ?as=: it changes nothing for them, or it is a 404.
    with_as = text(worker.client.get(f"/plans/{sharing.plan}?as={sharing.viewer_share}"))
    assert "This is how" not in with_as
    assert goal_links(with_as) == {f"/goals/{sharing.goal}"}
    stranger = person("Xandra")
    other_youth = person("Bo", UserKind.YOUTH)
    other_share = join(other_youth, stranger)
    assert (
        stranger.client.get(f"/plans/{sharing.plan}?as={sharing.worker_share}").status_code == 404
    )
    # And the young person can only look as someone they share with themselves.
    assert youth.client.get(f"/plans/{sharing.plan}?as={other_share}").status_code == 404
    assert youth.client.get(f"/plans/{sharing.plan}?as=999999").status_code == 404


def test_the_access_log_shows_what_others_did_without_content_or_tokens(
    app, sharing, invite, post, person
):
    youth, worker = sharing.youth, sharing.worker
    secret = "My secret reaction 4711"
    worker.client.get(f"/plans/{sharing.plan}")
    worker.client.get(f"/goals/{sharing.goal}")
    assert (
        post(worker.client, f"/goals/{sharing.goal}/comments", {"body": secret}).status_code == 302
    )
    post(worker.client, f"/plans/{sharing.plan}/suggestions", {"text": "Learn to cook 4712"})
    assert worker.client.get(f"/goals/{sharing.hidden_goal}").status_code == 404
    youth.client.get(f"/plans/{sharing.plan}")
    youth.client.get(f"/goals/{sharing.goal}")
    token = invite(youth.client, sharing.plan, "viewer", "Mum")
    post(person("Mum").client, f"/invite/{token}/accept")

    page = text(youth.client.get(f"/plans/{sharing.plan}/log"))
    for words in (
        "Willem looked at your plan.",
        "Willem looked at your goal “",
        "Willem reacted on your goal “",
        "Willem suggested a new goal.",
        "Willem tried to open something you do not share with Willem.",
        "Mum accepted your invitation to look along.",
    ):
        assert words in page, words
    assert secret not in page and "4712" not in page
    # Plain words: no ids, no paths, no roles as the log stores them.
    for raw in ("goal:", "media:", "role:", "/goals/", "/media/", "pdf:"):
        assert raw not in page, raw

    events = rows(app, sa.select(AccessEvent.user_id, AccessEvent.action, AccessEvent.target))
    actions = {action for user_id, action, _ in events if user_id == worker.id}
    assert {"view", "comment", "suggest", "refused"} <= actions
    assert all(user_id != youth.id for user_id, _, _ in events)  # not the owner's own views
    stored = rows(app, sa.text("SELECT * FROM access_events"))
    dump = " ".join(str(value) for row in stored for value in row)
    assert "secret" not in dump.lower() and "4711" not in dump and "4712" not in dump
    assert token not in dump and token[:12] not in dump
    # Another worker's refused look at this plan is logged for its owner as well.
    stranger = person("Xandra")
    assert stranger.client.get(f"/goals/{sharing.goal}").status_code == 404
    assert "Xandra tried to open something" in text(youth.client.get(f"/plans/{sharing.plan}/log"))
    # The log is the young person's: nobody else reads it.
    assert worker.client.get(f"/plans/{sharing.plan}/log").status_code == 404


# Reactions


def test_reactions_thread_and_who_may_change_them(app, sharing, post):
    youth, worker, viewer = sharing.youth, sharing.worker, sharing.viewer
    goal = sharing.goal
    assert post(worker.client, f"/goals/{goal}/comments", {"body": "Nice goal!"}).status_code == 302
    first = scalar(app, sa.select(Comment.id))
    response = post(youth.client, f"/goals/{goal}/comments", {"body": "Thanks!", "parent": first})
    assert response.status_code == 302
    reply = scalar(app, sa.select(sa.func.max(Comment.id)))
    page = text(worker.client.get(f"/goals/{goal}"))
    replies = page[page.index("comments--replies") :]
    assert "Nice goal!" in page and "Thanks!" in replies and "Amira" in replies

    assert (
        post(worker.client, f"/comments/{first}/edit", {"body": "Great goal!"}).status_code == 302
    )
    assert scalar(app, sa.select(Comment.body).where(Comment.id == first)) == "Great goal!"
    for path, data in (
        (f"/comments/{reply}/edit", {"body": "Changed by Willem"}),
        (f"/comments/{reply}/delete", {}),
    ):
        assert post(worker.client, path, data).status_code == 404
    assert post(youth.client, f"/comments/{first}/edit", {"body": "By Amira"}).status_code == 404
    assert post(youth.client, f"/comments/{first}/delete").status_code == 404
    assert post(viewer.client, f"/goals/{goal}/comments", {"body": "Me too"}).status_code == 404
    assert 'name="body"' not in text(viewer.client.get(f"/goals/{goal}"))
    assert count(app, Comment) == 2
    assert scalar(app, sa.select(Comment.body).where(Comment.id == reply)) == "Thanks!"

    assert post(worker.client, f"/comments/{first}/delete").status_code == 302
    assert count(app, Comment, Comment.id == first) == 0


def test_a_reply_needs_a_reaction_on_the_same_goal(app, sharing, post):
    worker = sharing.worker
    post(sharing.youth.client, f"/goals/{sharing.hidden_goal}/comments", {"body": "Elsewhere"})
    elsewhere = scalar(app, sa.select(Comment.id))
    for parent in (str(elsewhere), "not-a-number", "99999"):
        response = post(
            worker.client, f"/goals/{sharing.goal}/comments", {"body": "Hi", "parent": parent}
        )
        assert response.status_code == 302, parent
    parents = rows(app, sa.select(Comment.parent_id).where(Comment.goal_id == sharing.goal))
    assert parents == [(None,)] * 3


def test_unread_reactions_are_counted_until_the_goal_is_opened(app, sharing, post):
    youth = sharing.youth
    overview = f"/plans/{sharing.plan}/goals"
    assert "new reaction" not in text(youth.client.get(overview))
    post(sharing.worker.client, f"/goals/{sharing.goal}/comments", {"body": "How is it going?"})
    assert "1 new reaction" in text(youth.client.get(overview))
    assert "new reaction" not in text(sharing.worker.client.get(overview))  # their own
    youth.client.get(f"/goals/{sharing.goal}")
    assert "new reaction" not in text(youth.client.get(overview))


# Suggestions and the worker's view


def test_the_young_person_accepts_or_declines_suggestions(app, sharing, post):
    youth, worker = sharing.youth, sharing.worker
    response = post(
        worker.client,
        f"/plans/{sharing.plan}/suggestions",
        {"text": "Learn to cook", "why": "Handy when you live alone"},
    )
    assert response.status_code == 302
    assert "Your suggestion is sent." in text(worker.client.get(response.location))
    post(worker.client, f"/goals/{sharing.goal}/suggestions", {"text": "Ask your mentor"})
    goal_suggestion, step_suggestion = (
        scalar(app, sa.select(Suggestion.id).where(where))
        for where in (Suggestion.goal_id.is_(None), Suggestion.goal_id == sharing.goal)
    )
    assert "Learn to cook" in text(youth.client.get(f"/plans/{sharing.plan}/goals"))
    assert "Ask your mentor" in text(youth.client.get(f"/goals/{sharing.goal}"))

    for action in ("accept", "decline"):
        response = post(worker.client, f"/suggestions/{goal_suggestion}/{action}")
        assert response.status_code == 404
    assert (
        post(sharing.viewer.client, f"/plans/{sharing.plan}/suggestions", {"text": "x"}).status_code
        == 404
    )
    assert (
        post(youth.client, f"/plans/{sharing.plan}/suggestions", {"text": "x"}).status_code == 404
    )

    response = post(
        youth.client, f"/suggestions/{goal_suggestion}/accept", {"text": "Cook once a week"}
    )
    assert response.status_code == 302
    titles = rows(app, sa.select(Goal.title).where(Goal.plan_id == sharing.plan))
    assert ("Cook once a week",) in titles and ("Learn to cook",) not in titles
    assert post(youth.client, f"/suggestions/{step_suggestion}/decline").status_code == 302
    steps = rows(app, sa.select(Step.text).where(Step.goal_id == sharing.goal))
    assert ("Ask your mentor",) not in steps
    statuses = dict(rows(app, sa.select(Suggestion.id, Suggestion.status)))
    assert statuses == {goal_suggestion: "accepted", step_suggestion: "declined"}
    # A decided suggestion cannot be decided again.
    assert post(youth.client, f"/suggestions/{step_suggestion}/accept").status_code == 404

    # Accepting a step suggestion makes it a step, with the young person's words.
    post(worker.client, f"/goals/{sharing.goal}/suggestions", {"text": "Call the shop"})
    latest = scalar(app, sa.select(sa.func.max(Suggestion.id)))
    post(youth.client, f"/suggestions/{latest}/accept", {"text": "Call the bakery"})
    steps = rows(app, sa.select(Step.text).where(Step.goal_id == sharing.goal))
    assert ("Call the bakery",) in steps and ("Call the shop",) not in steps


def test_the_workers_view_sits_beside_the_young_persons_rating(app, sharing, post):
    youth, worker = sharing.youth, sharing.worker
    assert (
        post(youth.client, f"/goals/{sharing.goal}/rating", {"rating": "good"}).status_code == 302
    )
    response = post(worker.client, f"/goals/{sharing.goal}/worker-rating", {"rating": "not_yet"})
    assert response.status_code == 302
    assert scalar(app, sa.select(Goal.rating).where(Goal.id == sharing.goal)) == "good"
    page = text(youth.client.get(f"/goals/{sharing.goal}"))
    assert 'value="good" class="rating-choice" aria-pressed="true"' in page
    assert "Willem thinks:" in page and "rating--not_yet" in page
    # The young person cannot give a "worker's view", a viewer neither.
    for who in (youth, sharing.viewer):
        response = post(who.client, f"/goals/{sharing.goal}/worker-rating", {"rating": "bit"})
        assert response.status_code == 404


# The worker's overview


def test_the_worker_overview_lists_every_young_person_newest_change_first(app, person, join, post):
    worker = person("Willem")
    amira, bo = person("Amira", UserKind.YOUTH), person("Bo", UserKind.YOUTH)
    goals = {}
    for youth in (amira, bo):
        goals[youth.user.name] = new_goal(
            youth.client, youth.user.plan.id, f"Goal of {youth.user.name}", "One\nTwo"
        )
        join(youth, worker)
        worker.client.get(f"/plans/{youth.user.plan.id}")  # a visit
    page = text(worker.client.get("/"))
    assert "Amira" in page and "Bo" in page
    assert page.count("Nothing new since your last visit.") == 2

    def tick(youth: Person, index: int) -> None:
        step = step_ids(app, goals[youth.user.name])[index]
        assert post(youth.client, f"/steps/{step}/toggle", {"done": "1"}).status_code == 302

    def order(page: str) -> list[str]:
        names = re.findall(r'<span class="shared__name">([^<]+)</span>', page)
        return names

    tick(bo, 0)
    tick(amira, 0)
    page = text(worker.client.get("/"))
    assert order(page) == ["Amira", "Bo"]
    assert page.count("1 new") == 2 and page.count("1 step forward") == 2
    tick(bo, 1)
    page = text(worker.client.get("/"))
    assert order(page) == ["Bo", "Amira"]
    assert "2 new" in page and "2 steps forward" in page
    worker.client.get(f"/plans/{bo.user.plan.id}")
    page = text(worker.client.get("/"))
    assert page.count("Nothing new since your last visit.") == 1


# Deleting accounts


def test_deleting_the_young_persons_account_removes_everything_shared(
    app, sharing, invite, post, csrf_token
):
    youth, worker = sharing.youth, sharing.worker
    post(worker.client, f"/goals/{sharing.goal}/comments", {"body": "Hi"})
    post(worker.client, f"/plans/{sharing.plan}/suggestions", {"text": "Cook"})
    post(worker.client, f"/goals/{sharing.goal}/worker-rating", {"rating": "bit"})
    worker.client.get(f"/goals/{sharing.goal}")
    invite(youth.client, sharing.plan, "viewer", "Mum")
    assert all(count(app, model) > 0 for model in (Share, Invite, Comment, Suggestion, AccessEvent))
    response = post(youth.client, "/account/delete", {"password": PASSWORD, "sure": "y"})
    assert response.status_code == 302
    for model in (Share, Invite, Comment, Suggestion, AccessEvent, Goal):
        assert count(app, model) == 0, model.__tablename__
    for table in ("worker_ratings", "read_marks", "hidden_goals"):
        assert scalar(app, sa.text(f"SELECT count(*) FROM {table}")) == 0, table  # noqa: S608
    assert worker.client.get(f"/plans/{sharing.plan}").status_code == 404
    assert "No young person has shared a plan with you yet." in text(worker.client.get("/"))


def test_a_supporter_deleting_their_account_leaves_their_reactions_anonymous(
    app, sharing, person, join, post
):
    worker = sharing.worker
    other_youth = person("Bo", UserKind.YOUTH)
    join(other_youth, worker)
    post(worker.client, f"/goals/{sharing.goal}/comments", {"body": "Keep going!"})
    post(worker.client, f"/plans/{sharing.plan}/suggestions", {"text": "Cook"})
    worker.client.get(f"/plans/{sharing.plan}")
    assert count(app, Share, Share.user_id == worker.id) == 2
    response = post(worker.client, "/account/delete", {"password": PASSWORD, "sure": "y"})
    assert response.status_code == 302
    assert count(app, User, User.id == worker.id) == 0
    assert count(app, Share, Share.user_id == worker.id) == 0
    assert rows(app, sa.select(Comment.author_id, Comment.body)) == [(None, "Keep going!")]
    page = text(sharing.youth.client.get(f"/goals/{sharing.goal}"))
    assert "Keep going!" in page and "deleted account" in page
    assert "deleted account" in text(sharing.youth.client.get(f"/plans/{sharing.plan}/goals"))
    log = text(sharing.youth.client.get(f"/plans/{sharing.plan}/log"))
    assert "Someone whose account is deleted reacted on your goal" in log
    manage = text(sharing.youth.client.get(f"/plans/{sharing.plan}/sharing"))
    assert "Willem" not in manage


# What is new, where the young person lands


def test_the_plan_home_flags_new_reactions_and_suggestions_until_they_are_read(app, sharing, post):
    youth, worker = sharing.youth, sharing.worker
    home = f"/plans/{sharing.plan}"
    assert "New for you" not in text(youth.client.get(home))  # warms the page cache too
    post(worker.client, f"/goals/{sharing.goal}/comments", {"body": "Well done!"})
    post(worker.client, f"/plans/{sharing.plan}/suggestions", {"text": "Learn to cook"})
    page = text(youth.client.get(home))  # the cached page, with what is new punched in
    assert "1 new reaction on “Find a side job”" in page
    assert "1 new suggestion is waiting for you." in page
    goal = text(youth.client.get(f"/goals/{sharing.goal}"))
    assert 'class="comment comment--new"' in goal and ">New</span>" in goal
    # Read now: the home says no more, and the goal page no longer marks it new.
    page = text(youth.client.get(home))
    assert "new reaction" not in page and "1 new suggestion is waiting for you." in page
    assert "comment--new" not in text(youth.client.get(f"/goals/{sharing.goal}"))
    # The worker is told of the young person's reply, not of suggestions.
    post(youth.client, f"/goals/{sharing.goal}/comments", {"body": "Thanks!"})
    theirs = text(worker.client.get(home))
    assert "1 new reaction on “Find a side job”" in theirs and "waiting for you" not in theirs


def test_a_new_reaction_on_a_hidden_goal_is_not_news_for_the_worker(app, sharing, post):
    post(sharing.youth.client, f"/goals/{sharing.hidden_goal}/comments", {"body": "Note to me"})
    assert "New for you" not in text(sharing.worker.client.get(f"/plans/{sharing.plan}"))


# What a viewer reads of the conversation


def test_a_viewer_reads_the_conversation_only_when_the_young_person_switches_it_on(
    app, sharing, post
):
    youth, worker, viewer = sharing.youth, sharing.worker, sharing.viewer
    goal, home = f"/goals/{sharing.goal}", f"/plans/{sharing.plan}"
    only_goal = {"role": "viewer", "goals": [str(sharing.goal)]}
    assert post(youth.client, f"/shares/{sharing.viewer_share}", only_goal).status_code == 302
    post(worker.client, f"{goal}/comments", {"body": "Talk between us 4711"})
    post(worker.client, f"{goal}/suggestions", {"text": "A step Willem thought of 4712"})
    post(worker.client, f"{goal}/worker-rating", {"rating": "not_yet"})
    post(youth.client, f"{goal}/comments", {"body": "My answer 4713"})
    with app.app_context():
        notify_me = db.session.get(User, viewer.id)
        notify_me.notify_by_mail = notify_me.notify_daily = True
        db.session.commit()

    def seen_by_viewer(*urls: str) -> str:
        return "".join(text(viewer.client.get(url)) for url in urls)

    secrets = ("4711", "4712", "4713", "Willem thinks:", "new reaction", "Reactions</h2>")
    pages = (home, f"{home}/goals", goal, "/")
    off = seen_by_viewer(*pages)
    assert "Find a side job" in off  # the goal itself, yes
    assert not [s for s in secrets if s in off]
    assert "waiting for you" in text(youth.client.get(home))
    assert "waiting for you" not in text(youth.client.get(f"{home}?as={sharing.viewer_share}"))
    with app.app_context():
        assert notify.send_digests(datetime.now(UTC)) == 0

    share_page = text(youth.client.get(f"/shares/{sharing.viewer_share}"))
    assert 'name="sees_reactions"' in share_page and 'id="sees_reactions" checked' not in share_page
    settings = {"role": "viewer", "sees_reactions": "y", "goals": [str(sharing.goal)]}
    assert post(youth.client, f"/shares/{sharing.viewer_share}", settings).status_code == 302
    on = seen_by_viewer(home, f"{home}/goals", goal)
    assert [s for s in secrets if s not in on] == []
    assert "reactions" in text(youth.client.get(f"{home}/sharing"))
    post(worker.client, f"{goal}/comments", {"body": "One more"})
    with app.app_context():
        assert notify.send_digests(datetime.now(UTC) + timedelta(minutes=1)) == 1
    # Reading is all: a viewer still cannot write in the conversation.
    assert post(viewer.client, f"{goal}/comments", {"body": "Hi"}).status_code == 404
