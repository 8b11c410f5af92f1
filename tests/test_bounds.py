"""Bounded work: one person cannot stall the rest, the quota holds at once, crashes clean up.

Requests at once come from threads (tests/test_at_once.py's `together`), each with a browser
of its own; the photos are made here (tests/mediafiles.py).
"""

from __future__ import annotations

import errno
import io
import os
import socket
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis.exceptions
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.jobs import huey
from toekomstplan.media import consistency, housekeeping, images, video_jobs
from toekomstplan.models import FormUse, Media, MediaFile, MediaStatus, UploadSlot
from toekomstplan.storage import storage

from .factories import CSRF_INPUT, JSON
from .mediafiles import flat_png, png, video
from .test_at_once import together


def media_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Media.id)))


def stored_bytes(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Media.size_bytes), 0)))


def work_files(app) -> list[Path]:
    work = Path(app.config["UPLOAD_DIR"]) / ".tmp"
    return sorted(p for p in work.rglob("*")) if work.exists() else []


def browsers(youth, new_client, login, count: int):
    """`count` logged-in browsers of one person, with their CSRF tokens."""
    result = []
    for _ in range(count):
        browser = new_client()
        login(browser, youth.username, youth.password)
        token = CSRF_INPUT.search(browser.get("/help").get_data(as_text=True)).group(1)
        result.append((browser, token))
    return result


def send(browser_and_token, plan_id: int, data: bytes, name: str):
    browser, token = browser_and_token
    response = browser.post(
        f"/plans/{plan_id}/media",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        headers=JSON,
        content_type="multipart/form-data",
    )
    response.close()
    return response


# Decoding


def test_a_transparent_png_too_big_to_decode_whole_is_refused_from_its_header(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(flat_png(7000, 7000))  # 200 KB; 196 MB of pixels decoded
    with pytest.raises(images.MediaRefused) as refused:
        images.process_photo(bomb, tmp_path)
    assert refused.value.reason == images.Refusal.TOO_MANY_PIXELS


def test_a_large_image_without_transparency_is_still_taken(tmp_path):
    photo = tmp_path / "wide.png"
    photo.write_bytes(flat_png(5000, 4000, alpha=False))  # 20 MP: over the large-decode line
    variants = images.process_photo(photo, tmp_path)
    assert variants[0].width == images.MASTER_LONG_SIDE


def test_large_decodes_take_turns_and_small_ones_do_not_wait(tmp_path, monkeypatch):
    large, small = tmp_path / "large.png", tmp_path / "small.png"
    large.write_bytes(flat_png(2600, 2000, alpha=False))  # 5.2 MP
    small.write_bytes(flat_png(800, 600, alpha=False))
    running, most = {"large": 0, "small": 0}, {"large": 0, "small": 0}
    lock = threading.Lock()
    real = images._variants

    def watched(src, workdir, max_pixels):
        kind = "large" if src == large else "small"
        with lock:
            running[kind] += 1
            most[kind] = max(most[kind], running[kind])
        try:
            time.sleep(0.2)  # long enough for the others to arrive
            return real(src, workdir, max_pixels)
        finally:
            with lock:
                running[kind] -= 1

    monkeypatch.setattr(images, "_variants", watched)

    def work(index: int):
        out = tmp_path / f"out{index}"
        out.mkdir()
        return images.process_photo(large if index < 4 else small, out)

    results = together(8, work)
    assert all(isinstance(r, list) for r in results), results
    assert most == {"large": 1, "small": 4}


def test_eight_png_bombs_at_once_are_refused_kindly_and_leave_nothing(
    app, youth, new_client, login
):
    bomb = flat_png(7000, 7000)
    people = browsers(youth, new_client, login, 8)
    answers = together(8, lambda i: send(people[i], youth.plan.id, bomb, f"bomb{i}.png"))
    assert all(a.status_code in (400, 429) for a in answers), answers
    assert all(a.get_json()["error"] for a in answers)
    assert media_count(app) == 0 and work_files(app) == []


# Uploads in flight and the quota


def test_twenty_uploads_at_once_never_take_the_plan_over_its_quota(app, youth, new_client, login):
    photo = flat_png(1200, 900, alpha=False)
    app.config["UPLOADS_IN_FLIGHT"] = 20  # here only the quota is under test
    app.config["MEDIA_QUOTA_BYTES"] = 5 * (len(photo) + 400)  # about five uploads fit
    people = browsers(youth, new_client, login, 20)
    answers = together(20, lambda i: send(people[i], youth.plan.id, photo, f"p{i}.png"))
    codes = [a.status_code for a in answers]
    assert set(codes) <= {201, 400}, codes
    assert 1 <= codes.count(201) <= 5
    assert stored_bytes(app) <= app.config["MEDIA_QUOTA_BYTES"]
    assert media_count(app) == codes.count(201)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(UploadSlot.id))) == 0


def test_more_uploads_at_once_than_a_person_may_send_are_told_to_wait(
    app, youth, new_client, login, monkeypatch
):
    real = images._variants

    def slow(*args):
        time.sleep(0.3)  # every upload is still in flight when the others come
        return real(*args)

    monkeypatch.setattr(images, "_variants", slow)
    people = browsers(youth, new_client, login, 6)
    answers = together(6, lambda i: send(people[i], youth.plan.id, png(), f"p{i}.png"))
    codes = sorted(a.status_code for a in answers)
    assert codes.count(201) >= 1 and set(codes) <= {201, 429}, codes
    assert codes.count(201) <= app.config["UPLOADS_IN_FLIGHT"]
    busy = next(a for a in answers if a.status_code == 429)
    assert busy.headers["Retry-After"] == "3"
    assert "your other files are still being processed" in busy.get_json()["error"]
    assert media_count(app) == codes.count(201)


def test_a_big_upload_that_must_wait_is_answered_before_its_body_is_parsed(app, client, youth):
    with app.app_context():
        for _ in range(app.config["UPLOADS_IN_FLIGHT"]):
            db.session.add(UploadSlot(user_id=youth.id, plan_id=youth.plan.id, size_bytes=1))
        db.session.commit()
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\nnot-read\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        ).encode()
        + os.urandom(2_000_000)
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def post(headers):
        return client.post(
            f"/plans/{youth.plan.id}/media",
            data=body,
            headers=headers,
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    # The CSRF check (which parses the whole body) would say 400: the answer came first.
    busy = post(JSON)
    assert busy.status_code == 429, busy.get_data(as_text=True)[:300]
    assert "still being processed" in busy.get_json()["error"]
    page = post({"Referer": f"http://localhost/plans/{youth.plan.id}/media"})
    assert page.status_code == 302 and page.location == f"/plans/{youth.plan.id}/media"
    assert media_count(app) == 0 and work_files(app) == []
    with app.app_context():
        db.session.execute(sa.delete(UploadSlot))
        db.session.commit()
    assert post(JSON).status_code == 400  # free slots: the CSRF check answers as always


def test_a_full_disk_says_there_is_no_room_and_keeps_nothing(
    app, client, youth, upload, monkeypatch
):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with app.app_context():
        monkeypatch.setattr(type(storage()), "save", full)
    response = upload(youth, png(), "a.png")
    assert response.status_code == 507
    assert "no room to save this" in response.get_json()["error"]
    assert media_count(app) == 0
    assert not list((Path(app.config["UPLOAD_DIR"]) / str(youth.plan.id)).rglob("*"))


# What a crash leaves


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_leftovers_of_a_crash_are_swept_and_media_check_sees_them(app, youth, upload, runner):
    upload(youth, png(), "kept.png")
    work = Path(app.config["UPLOAD_DIR"]) / ".tmp"
    work.mkdir(exist_ok=True)
    raw = work / "upload-crashed"
    raw.write_bytes(b"a raw photo with its location")
    _age(raw, 2 * 3600)
    half = work / "work-crashed"
    half.mkdir()
    (half / ".video.partial.mp4").write_bytes(b"half a video")
    _age(half / ".video.partial.mp4", 2 * 3600)
    _age(half, 2 * 3600)
    fresh = work / "upload-in-progress"
    fresh.write_bytes(b"still arriving")
    plan_folder = next((Path(app.config["UPLOAD_DIR"]) / str(youth.plan.id)).iterdir())
    part = plan_folder / ".part-crashed"
    part.write_bytes(b"half a variant")
    _age(part, 2 * 3600)

    result = runner.invoke(args=["media", "check"])
    assert result.exit_code == 1
    assert "upload-crashed" in result.output and "work-crashed" in result.output
    assert ".part-crashed" in result.output and "upload-in-progress" not in result.output
    with app.app_context():
        assert consistency.check().leftover_work
        housekeeping.run()
        assert consistency.check().all_match
    assert not raw.exists() and not half.exists() and not part.exists()
    assert fresh.exists(), "work still in progress stays"
    assert runner.invoke(args=["media", "check"]).exit_code == 0


def test_slots_and_form_tokens_past_their_use_are_deleted(app, youth):
    with app.app_context():
        old = datetime.now(UTC) - timedelta(days=2)
        db.session.add(
            UploadSlot(user_id=youth.id, plan_id=youth.plan.id, size_bytes=1, created_at=old)
        )
        db.session.add(FormUse(token="x" * 32, user_id=youth.id, created_at=old))
        db.session.commit()
        housekeeping.run()
        assert db.session.scalar(sa.select(sa.func.count(UploadSlot.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(FormUse.token))) == 0


# A lost video job


@pytest.fixture
def lost_video(app, youth, upload, tmp_path, monkeypatch):
    """A video whose job was lost: uploaded while no consumer took the job."""
    monkeypatch.setattr(huey, "immediate", False)
    monkeypatch.setattr(huey, "enqueue", lambda task: None)  # the consumer is gone
    media_id = upload(youth, video(tmp_path), "clip.mp4").get_json()["id"]
    monkeypatch.setattr(huey, "immediate", True)
    monkeypatch.undo()
    huey.immediate = True
    with app.app_context():
        media = db.session.get(Media, media_id)
        assert media.status == MediaStatus.PROCESSING
        media.processing_since = datetime.now(UTC) - timedelta(hours=1)
        db.session.commit()
    return media_id


def status_of(app, media_id: str) -> str:
    with app.app_context():
        return db.session.get(Media, media_id).status


def test_the_periodic_check_queues_a_video_whose_job_was_lost(app, lost_video):
    with app.app_context():
        housekeeping.run()
        files = db.session.scalars(
            sa.select(MediaFile.variant).where(MediaFile.media_id == lost_video)
        ).all()
    assert status_of(app, lost_video) == MediaStatus.READY
    assert "incoming" not in files and "video" in files


def test_a_video_that_waits_too_long_can_be_tried_again_by_the_young_person(
    app, client, lost_video, post
):
    page = client.get(f"/media/{lost_video}").get_data(as_text=True)
    assert "takes too long" in page and f"/media/{lost_video}/retry" in page
    assert post(client, f"/media/{lost_video}/retry").status_code == 302
    assert status_of(app, lost_video) == MediaStatus.READY


def held_by(app, media_id: str, pid: int | str, host: str | None = None) -> None:
    """The video's job was taken by consumer `pid` on this machine a moment ago."""
    with app.app_context():
        media = db.session.get(Media, media_id)
        media.processing_since = datetime.now(UTC)
        media.processing_by = f"{host or video_jobs._host()}{pid}"
        db.session.commit()


def test_a_consumer_starting_again_queues_the_video_its_killed_predecessor_held(app, lost_video):
    gone = subprocess.Popen(["true"])
    gone.wait()  # a consumer that was killed mid-transcode: its process id runs no more
    held_by(app, lost_video, gone.pid)
    with app.app_context():
        housekeeping.run()  # what a consumer does when it starts
    assert status_of(app, lost_video) == MediaStatus.READY


def test_a_video_held_by_a_consumer_from_before_a_restart_of_the_machine_is_queued(app, lost_video):
    held_by(app, lost_video, os.getpid(), host=f"{socket.gethostname()}:oldboot0:")
    with app.app_context():
        housekeeping.run()
    assert status_of(app, lost_video) == MediaStatus.READY


def test_a_video_a_running_consumer_prepares_is_not_taken_from_it(app, lost_video):
    running = subprocess.Popen(["sleep", "30"])
    try:
        held_by(app, lost_video, running.pid)
        with app.app_context():
            housekeeping.run()
        assert status_of(app, lost_video) == MediaStatus.PROCESSING
    finally:
        running.kill()
        running.wait()


def test_a_video_still_being_prepared_is_not_queued_twice(
    app, client, youth, upload, tmp_path, post, monkeypatch
):
    queued = []
    monkeypatch.setattr(huey, "immediate", False)
    monkeypatch.setattr(huey, "enqueue", queued.append)
    media_id = upload(youth, video(tmp_path), "clip.mp4").get_json()["id"]
    assert len(queued) == 1
    post(client, f"/media/{media_id}/retry")
    with app.app_context():
        housekeeping.run()
    assert len(queued) == 1, "a job on its way is not doubled"


def test_work_of_a_process_that_is_gone_is_swept_at_once(app):
    gone = subprocess.Popen(["true"])
    gone.wait()
    work = Path(app.config["UPLOAD_DIR"]) / ".tmp"
    work.mkdir(parents=True, exist_ok=True)
    killed = work / f"upload-{gone.pid}-abc123"
    killed.write_bytes(b"a raw photo of a killed worker")
    mine = work / f"upload-{os.getpid()}-def456"
    mine.write_bytes(b"still arriving in this process")
    with app.app_context():
        assert storage().sweep() == [killed.name]
    assert mine.exists()


def test_a_video_uploaded_while_the_job_queue_is_away_is_prepared_once_it_is_back(
    app, youth, upload, tmp_path, monkeypatch
):
    def unreachable(task):
        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(huey, "enqueue", unreachable)
    response = upload(youth, video(tmp_path), "clip.mp4")
    assert response.status_code == 201, response.get_data(as_text=True)
    media_id = response.get_json()["id"]
    monkeypatch.undo()
    assert status_of(app, media_id) == MediaStatus.PROCESSING
    with app.app_context():
        housekeeping.run()
    assert status_of(app, media_id) == MediaStatus.READY
