"""Deleting an account erases the person: no file, no table and no queue keeps anything of them.

The search is for what identifies the person: their e-mail address, login, name and the ids
of their photos and videos, in every file under the upload folder, the instance folder and
the outbox, in the database file itself (SQLite keeps deleted rows in free pages unless told
not to), and in every text column of every table.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from huey import SqliteHuey

from toekomstplan import jobs
from toekomstplan.extensions import db
from toekomstplan.models import MemberRole, Organisation, WaitingJob
from toekomstplan.orgs import services as orgs

from .conftest import TEST_DATABASE_URL
from .factories import JSON, new_goal, post_form, read_csrf_token
from .mediafiles import jpeg_with_gps, video

NAME = "Zwaantje Pietersma"
EMAIL = "zwaantje.p@example.org"
WORKER_NAME = "Mohammed Oudkerk"
WORKER_EMAIL = "m.oudkerk@example.org"


def files_under(*folders) -> list[Path]:
    return sorted(p for folder in folders for p in Path(folder).rglob("*") if p.is_file())


def found_in_files(app, tmp_path, needles: list[str]) -> list[str]:
    folders = [app.config["UPLOAD_DIR"], app.instance_path, app.config["MAIL_OUTBOX"]]
    paths = files_under(*(f for f in folders if Path(f).exists()))
    if not TEST_DATABASE_URL:
        paths += [p for p in tmp_path.glob("test.sqlite*")]  # the database file and its log
    found = []
    for path in paths:
        data = path.read_bytes()
        for needle in needles:
            for form in {needle, needle.lower()}:
                if form.encode() in data or form.encode("utf-16-le") in data or form in path.name:
                    found.append(f"{path.relative_to(tmp_path)}: {needle}")
    return found


def found_in_tables(app, needles: list[str]) -> list[str]:
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            texts = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
            for column in texts:
                for needle in needles:
                    hits = db.session.scalar(
                        sa.select(sa.func.count())
                        .select_from(table)
                        .where(sa.func.lower(column).contains(needle.lower(), autoescape=True))
                    )
                    if hits:
                        found.append(f"{table.name}.{column.name}: {needle}")
    return found


def upload(client, plan_id: int, data: bytes, name: str) -> str:
    form = {"csrf_token": read_csrf_token(client), "file": (io.BytesIO(data), name)}
    response = client.post(
        f"/plans/{plan_id}/media", data=form, headers=JSON, content_type="multipart/form-data"
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


@pytest.fixture
def world(app, tmp_path, make_user, new_client, login):
    """A young person with photo, video, goal, reactions, invites and a worker who joined."""
    youth = make_user(login=EMAIL, name=NAME)
    phone = new_client()
    login(phone, EMAIL)
    plan_id = youth.plan.id
    photo = upload(phone, plan_id, jpeg_with_gps(), "zwaantje-op-het-strand.jpg")
    clip = upload(phone, plan_id, video(tmp_path), "zwaantje.mp4")
    post_form(phone, f"/plans/{plan_id}/intro", {"text": f"Hoi, ik ben {NAME}."})
    goal = new_goal(phone, plan_id, "Zwemdiploma", "Les nemen")
    post_form(
        phone,
        f"/plans/{plan_id}/sharing",
        {"label": "Mama", "role": "viewer", "email": "mama@example.org"},
    )
    page = post_form(
        phone, f"/plans/{plan_id}/sharing", {"label": "Mo", "role": "worker", "email": WORKER_EMAIL}
    )
    assert page.status_code == 200
    worker = make_user(kind="supporter", login=WORKER_EMAIL, name=WORKER_NAME)
    with app.test_request_context():  # the worker's organisation invites them (used below)
        org = Organisation(name="Jeugdformaat")
        db.session.add(org)
        db.session.flush()
        member_link = orgs.invite_member(org, WORKER_EMAIL, MemberRole.WORKER)
        orgs.invite_member(org, WORKER_EMAIL, MemberRole.TEAM_LEAD)  # a second, never used
    laptop = new_client()
    login(laptop, WORKER_EMAIL)
    assert (
        post_form(laptop, "/join/" + member_link.rsplit("/", 1)[1] + "/accept").status_code == 302
    )
    token = page.get_data(as_text=True).split("/invite/")[-1].split('"')[0].split("<")[0]
    assert post_form(laptop, f"/invite/{token}/accept").status_code == 302
    # An invitation to the worker's address that was never used stays open.
    post_form(
        phone,
        f"/plans/{plan_id}/sharing",
        {"label": "Mo (2)", "role": "worker", "email": WORKER_EMAIL},
    )
    post_form(laptop, f"/goals/{goal}/comments", {"body": "Goed bezig!"})
    post_form(phone, f"/goals/{goal}/comments", {"body": "Dank je, Mo"})
    return {
        "youth": youth,
        "phone": phone,
        "worker": worker,
        "laptop": laptop,
        "media": [photo, clip],
        "plan_id": plan_id,
    }


def test_after_a_data_download_a_broken_off_one_and_deletion_nothing_of_the_young_person_is_left(
    app, tmp_path, world
):
    phone = world["phone"]
    whole = phone.get("/account/my-data.zip")
    assert whole.status_code == 200 and whole.data[:2] == b"PK"
    whole.close()
    broken = phone.get("/account/my-data.zip", buffered=False)
    next(iter(broken.response))  # the phone goes off-line after the first part
    broken.close()
    needles = [EMAIL, NAME, *world["media"]]
    assert found_in_files(app, tmp_path, needles), "the search itself finds them before"
    response = post_form(
        phone, "/account/delete", {"password": world["youth"].password, "sure": "y"}
    )
    assert response.status_code == 302
    left = found_in_files(app, tmp_path, needles) + found_in_tables(app, needles)
    assert left == [], "\n".join(left)


def test_after_a_worker_deletes_their_account_nothing_of_them_is_left(app, tmp_path, world):
    laptop = world["laptop"]
    needles = [WORKER_EMAIL, WORKER_NAME]
    assert found_in_tables(app, needles), "the search itself finds them before"
    response = post_form(
        laptop, "/account/delete", {"password": world["worker"].password, "sure": "y"}
    )
    assert response.status_code == 302
    left = found_in_files(app, tmp_path, needles) + found_in_tables(app, needles)
    assert left == [], "\n".join(left)


def test_the_job_queue_forgets_the_jobs_of_deleted_media(app, tmp_path):
    queue = SqliteHuey("erasure-test", filename=str(tmp_path / "queue.sqlite"))

    @queue.task()
    def prepare(media_id):
        return media_id

    prepare("keep-this-one")
    prepare("gone-0123456789")
    prepare.schedule(("gone-0123456789",), delay=3600)
    with app.app_context():
        db.session.add(WaitingJob(task="prepare", arguments='["gone-0123456789"]'))
        db.session.add(WaitingJob(task="prepare", arguments='["keep-this-one"]'))
        db.session.commit()
        assert jobs.forget(["gone-0123456789"], queue) == 3  # queued, scheduled, waiting
        assert db.session.scalars(sa.select(WaitingJob.arguments)).all() == ['["keep-this-one"]']
    assert [t.args for t in queue.pending()] == [("keep-this-one",)]
    assert queue.scheduled() == []
