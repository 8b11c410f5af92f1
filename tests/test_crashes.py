"""Kill -9 in the middle of the work: real gunicorn and consumer processes, then a restart.

Each test starts the app's own gunicorn (gunicorn.conf.py, production settings, through the
bench's helpers) and the job queue's consumer on 127.0.0.1, in a temporary folder with its
own SQLite database, upload folder and queue, kills them with SIGKILL at the worst moment,
starts them again and checks: no raw file left, no row without its file or file without its
row, and a video whose job was killed becomes ready.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from toekomstplan import create_app
from toekomstplan.extensions import db
from toekomstplan.models import Media, MediaStatus, Plan, User, UserKind
from toekomstplan.passwords import hash_password

from .factories import wait_for
from .mediafiles import ffmpeg_exe, jpeg_with_gps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import procfs  # noqa: E402
from client import csrf_token, log_in, request  # noqa: E402
from sandbox import BIN, app_environment, migrate  # noqa: E402
from servers import Server  # noqa: E402

PASSWORD = "a walk along the river"
VIDEO_JOB_SECONDS = 3


@pytest.fixture
def site(tmp_path, redis_server):
    """The environment of a production-like site in `tmp_path`, migrated, with one account."""
    env = app_environment(tmp_path, redis_server.url())
    env["VIDEO_JOB_SECONDS"] = str(VIDEO_JOB_SECONDS)
    env["WEB_CONCURRENCY"] = "1"  # one worker: its process id names its work files
    migrate(env, tmp_path)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "UPLOAD_DIR": env["UPLOAD_DIR"]}
    )
    with app.app_context():
        user = User(
            kind=UserKind.YOUTH,
            name="Sam",
            username="sam2009",
            password_hash=hash_password(PASSWORD),
        )
        user.plan = Plan(cover_title="Mijn plan")
        db.session.add(user)
        db.session.commit()
        plan_id = user.plan.id
    yield {
        "env": env,
        "tmp": tmp_path,
        "app": app,
        "plan_id": plan_id,
        "uploads": Path(env["UPLOAD_DIR"]),
    }
    with app.app_context():
        db.engine.dispose()


def start_web(site) -> Server:
    server = Server("web", "wsgi:app", site["env"], site["tmp"])
    server.wait_ready("/help")
    return server


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the process and everything it started; return once all of them are gone."""
    group = [process.pid, *procfs.children(process.pid)]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    wait_for(lambda: not any(alive(pid) for pid in group), timeout=10, what="the kill")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def work_files(site, pattern: str) -> list[Path]:
    work = site["uploads"] / ".tmp"
    return sorted(work.rglob(pattern)) if work.exists() else []


def multipart(token: str, data: bytes, name: str, content_type: str) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    return (
        f"multipart/form-data; boundary={boundary}",
        head + data + f"\r\n--{boundary}--\r\n".encode(),
    )


def start_upload(port: int, cookie: str, plan_id: int, data: bytes, name: str, kind: str):
    """Send the headers and the first half of an upload, as a phone whose line then stops."""
    status, _, page = request(port, "GET", f"/plans/{plan_id}/media", {"Cookie": cookie})
    assert status == 200
    content_type, body = multipart(csrf_token("/media", page), data, name, kind)
    sock = socket.create_connection(("127.0.0.1", port))
    head = (
        f"POST /plans/{plan_id}/media HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: {cookie}\r\nContent-Type: {content_type}\r\nAccept: application/json\r\n"
        f"Origin: http://127.0.0.1:{port}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock.sendall(head + body[: len(body) // 2])
    return sock


def upload(port: int, cookie: str, plan_id: int, data: bytes, name: str, kind: str) -> dict:
    import json

    status, _, page = request(port, "GET", f"/plans/{plan_id}/media", {"Cookie": cookie})
    content_type, body = multipart(csrf_token("/media", page), data, name, kind)
    headers = {
        "Cookie": cookie,
        "Content-Type": content_type,
        "Accept": "application/json",
        "Origin": f"http://127.0.0.1:{port}",
    }
    status, _, answer = request(port, "POST", f"/plans/{plan_id}/media", headers, body)
    assert status == 201, answer[:300]
    return json.loads(answer)


def media_check(site) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "flask"), "media", "check"],
        cwd=ROOT,
        env=site["env"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def rows(site, *where) -> list[Media]:
    with site["app"].app_context():
        found = list(db.session.scalars(sa.select(Media).where(*where)))
        db.session.expunge_all()
        return found


def big_photo() -> bytes:
    """A phone photo of a few megabytes, with its GPS position."""
    return jpeg_with_gps(size=(4000, 3000)) + os.urandom(3_000_000)  # noise after the image


def slow_video(tmp_path: Path) -> bytes:
    """A VP9 WebM that must be transcoded (not just remuxed): some seconds of work."""
    target = tmp_path / "long.webm"
    subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-y", "-loglevel", "error",
         "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi",
         "-i", "sine=frequency=440", "-t", "12", "-c:v", "libvpx-vp9", "-deadline", "realtime",
         "-cpu-used", "8", "-c:a", "libopus", "-metadata", "location=+52.52+013.40/",
         str(target)],
        check=True, timeout=120,
    )  # fmt: skip
    return target.read_bytes()


def test_a_web_server_killed_mid_upload_leaves_no_raw_photo_or_video(site, tmp_path):
    web = start_web(site)
    try:
        cookie = log_in(web.port, "sam2009", PASSWORD)
        photo = start_upload(
            web.port, cookie, site["plan_id"], big_photo(), "strand.jpg", "image/jpeg"
        )
        clip = start_upload(
            web.port, cookie, site["plan_id"], slow_video(tmp_path), "a.webm", "video/webm"
        )
        raw = wait_for(
            lambda: len(work_files(site, "upload-*")) == 2 and work_files(site, "upload-*"),
            what="both uploads half received",
        )
        kill(web.process)
        photo.close()
        clip.close()
        assert all(p.exists() for p in raw), "the crash left the raw files (the test's premise)"
        assert media_check(site).returncode == 1, "media check sees what the crash left"
    finally:
        web.stop()
    web = start_web(site)  # the new worker sweeps what the killed one left
    try:
        assert work_files(site, "*") == []
        assert rows(site) == []
        check = media_check(site)
        assert check.returncode == 0, check.stdout
    finally:
        web.stop()


def start_consumer(site, tmp_path) -> subprocess.Popen:
    with (tmp_path / "consumer.log").open("ab") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [str(BIN / "huey_consumer"), "toekomstplan.consumer.huey", "--workers", "1"],
            cwd=ROOT,
            env=site["env"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def test_a_consumer_killed_mid_transcode_leaves_nothing_and_the_video_gets_ready(site, tmp_path):
    web = start_web(site)
    try:
        cookie = log_in(web.port, "sam2009", PASSWORD)
        media_id = upload(
            web.port, cookie, site["plan_id"], slow_video(tmp_path), "a.webm", "video/webm"
        )["id"]
    finally:
        web.stop()
    consumer = start_consumer(site, tmp_path)
    try:
        partial = wait_for(
            lambda: work_files(site, ".video.partial.mp4"),
            timeout=60,
            what="the transcode to start",
        )
        kill(consumer)
    finally:
        if consumer.poll() is None:
            kill(consumer)
    assert all(p.exists() for p in partial), "the kill left half a video (the test's premise)"
    (video,) = rows(site, Media.id == media_id)
    assert video.status == MediaStatus.PROCESSING
    time.sleep(VIDEO_JOB_SECONDS + 1)  # longer than its job can take: the job was lost
    consumer = start_consumer(site, tmp_path)
    try:
        wait_for(
            lambda: rows(site, Media.id == media_id, Media.status == MediaStatus.READY),
            timeout=120,
            what="the video to be ready:\n" + (tmp_path / "consumer.log").read_text()[-2000:],
        )
    finally:
        kill(consumer)
    assert work_files(site, "*") == []
    check = media_check(site)
    assert check.returncode == 0, check.stdout
