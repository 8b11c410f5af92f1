"""Faults while the stack serves, each while young people keep using it (load.py): Redis
down for a few seconds and restarted empty (the app stays up, their reactions are saved, the
throttles count in Redis again), the object store stopped for ten seconds (uploads meanwhile
get "probeer het zo nog eens", nothing is half saved, uploads work again once it is back),
and the consumer killed mid-transcode (the video is ready after its restart)."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from toekomstplan.media.videos import ffmpeg_exe

from ..factories import wait_for
from .browser import Browser, photo, register
from .load import Load

pytestmark = pytest.mark.stack


def test_redis_restarted_under_load_the_app_stays_up_and_the_throttles_carry_on(stack, users):
    noor = Browser(stack.ports.nginx)
    login = f"noor{uuid.uuid4().hex[:6]}"
    register(noor, login)
    store = redis.Redis.from_url(stack.redis.url(0))
    with Load(stack, users) as load:
        stack.redis.restart(down_seconds=3)  # every throttle count is gone, as after a crash
        guesser = Browser(stack.ports.nginx)
        statuses = []
        for _ in range(20):  # until the throttles count in Redis again (reconnected)
            status, _, _ = guesser.post("/login", {"login": login, "password": "not it"}, "/login")
            statuses.append(status)
            if store.keys("*"):
                break
            time.sleep(0.5)
    assert store.keys("*"), "the throttles count in Redis again"
    assert all(status in (401, 429) for status in statuses), statuses  # never a 5xx
    assert not load.failures, load.failures
    assert load.saved and not load.missing()


def test_the_object_store_stopped_under_load_uploads_wait_and_nothing_is_half_saved(stack, users):
    sam = Browser(stack.ports.nginx)
    plan_id = register(sam, f"sam{uuid.uuid4().hex[:6]}")
    with Load(stack, users) as load:
        stack.stop_store()
        stopped = time.monotonic()
        try:
            status, reply = sam.upload(plan_id, photo(), "IMG_0002.jpg")
            assert status == 503, reply[:300]
            assert b"probeer het zo nog eens" in reply
            status, _, _ = sam.get(f"/plans/{plan_id}")
            assert status == 200  # the plan itself is in the database: still there
            time.sleep(max(0.0, 10 - (time.monotonic() - stopped)))
        finally:
            stack.start_store()
    assert not load.failures, load.failures  # plans and reactions never needed the store
    assert load.saved and not load.missing()
    status, reply = sam.upload(plan_id, photo(), "IMG_0002.jpg")
    assert status == 201, reply[:300]
    assert stack.media_check().strip() == "All stored files and rows match."


def long_video(folder: Path) -> bytes:
    """Half a minute of moving picture with sound: a transcode that takes some seconds."""
    target = folder / "long.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-y", "-loglevel", "error",
         "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
         "-f", "lavfi", "-i", "sine=frequency=440",
         "-t", "30", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", str(target)],
        check=True, timeout=120,
    )  # fmt: skip
    return target.read_bytes()


def _transcoding(consumer_pid: int) -> bool:
    """Whether an ffmpeg runs in the consumer's process group."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, _, rest = stat.read_text().rpartition(")")
        except OSError:  # ended meanwhile
            continue
        if "ffmpeg" in name and int(rest.split()[2]) == consumer_pid:  # state, ppid, pgrp
            return True
    return False


def test_the_consumer_killed_mid_transcode_the_video_is_ready_after_its_restart(
    stack, users, tmp_path
):
    ana = Browser(stack.ports.nginx)
    plan_id = register(ana, f"ana{uuid.uuid4().hex[:6]}")
    engine = sa.create_engine(stack.database_url)
    try:
        with Load(stack, users) as load:
            status, reply = ana.upload(plan_id, long_video(tmp_path), "clip.mp4", "video/mp4")
            assert status == 201, reply[:300]
            media_id = reply.split(b'"id":')[1].split(b'"')[1].decode()
            consumer = stack.processes["consumer"].pid
            wait_for(lambda: _transcoding(consumer), 120, "the transcode")
            stack.kill("consumer")  # with the ffmpeg it started
            stack.start_consumer()

            def ready():
                _, _, answer = ana.get(f"/media/{media_id}/status")
                return b'"ready"' in answer

            wait_for(ready, 180, "the video being ready")
        with engine.connect() as connection:
            variants = set(
                connection.scalars(
                    sa.text("SELECT variant FROM media_files WHERE media_id = :id"),
                    {"id": media_id},
                )
            )
    finally:
        engine.dispose()
    assert "video" in variants and "incoming" not in variants, variants
    status, _, served = ana.get(f"/media/{media_id}/video", {"Range": "bytes=0-11"})
    assert status == 206 and served[4:8] == b"ftyp"
    assert not load.failures, load.failures
    assert load.saved and not load.missing()
    assert stack.media_check().strip() == "All stored files and rows match."
