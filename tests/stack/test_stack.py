"""The single machine's path, through nginx to two app hosts on a shared PostgreSQL, Redis
and object store: register, upload a photo (served by nginx from the private bucket after
the app's check, with Range), make a goal and tick a step, the PDF, "download my data",
upload a video (prepared by the consumer), delete the account, and the deletion search finds
nothing of that person in any table, the bucket, Redis, or a file of a host. Each request
goes on a new connection, so one person's requests alternate between the hosts. Then one
host is killed with SIGKILL while young people keep writing (load.py): every reaction the
app said it saved is there afterwards."""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest

from ..factories import wait_for
from ..mediafiles import video
from . import leftovers
from .browser import PASSWORD, Browser, photo, register
from .load import Load

pytestmark = pytest.mark.stack


def test_one_persons_whole_path_through_nginx_and_two_hosts(stack, tmp_path):
    noor = Browser(stack.ports.nginx)
    login, name = f"noor{uuid.uuid4().hex[:6]}", f"Zwaantje {uuid.uuid4().hex[:6]}"
    plan_id = register(noor, login, name)

    status, reply = noor.upload(plan_id, photo(), "IMG_0001.jpg")
    assert status == 201, reply[:300]
    media_id = re.search(rb'"id":\s*"([^"]+)"', reply).group(1).decode()
    status, answer, whole = noor.get(f"/media/{media_id}/display")
    assert status == 200 and whole[:4] == b"RIFF"  # streamed by nginx from the bucket
    assert "private" in answer["Cache-Control"] and answer["X-Content-Type-Options"] == "nosniff"
    status, answer, part = noor.get(f"/media/{media_id}/display", {"Range": "bytes=0-99"})
    assert status == 206 and part == whole[:100]
    store = boto3.session.Session().client("s3", **stack.store.client_settings())
    listed = store.list_objects_v2(Bucket="toekomstplan-media", Prefix=f"{plan_id}/")
    keys = [item["Key"] for item in listed.get("Contents", [])]
    display = next(k for k in keys if "/display" in k)
    stored = store.get_object(Bucket="toekomstplan-media", Key=display)["Body"].read()
    assert hashlib.sha256(stored).digest() == hashlib.sha256(whole).digest()
    status, _, _ = Browser(stack.ports.nginx).get(f"/media/{media_id}/display")
    assert status == 302  # a stranger is sent to the log-in page
    status, reply = noor.upload(plan_id, video(tmp_path), "clip.mp4", "video/mp4")
    assert status == 201, reply[:300]
    video_id = re.search(rb'"id":\s*"([^"]+)"', reply).group(1).decode()
    wait_for(lambda: b'"ready"' in noor.get(f"/media/{video_id}/status")[2], 120, "the video")

    status, answer, _ = noor.post(
        f"/plans/{plan_id}/goals/new",
        {"title": "Een bijbaan vinden", "steps": "Mijn cv maken\nSolliciteren"},
        f"/plans/{plan_id}/goals/new",
    )
    assert status == 302
    goal = urlsplit(answer["Location"]).path
    _, _, page = noor.get(goal)
    step = re.search(rb'action="/steps/(\d+)/toggle"', page).group(1).decode()
    status, _, reply = noor.post(
        f"/steps/{step}/toggle", {"done": "1"}, goal, {"Accept": "application/json"}
    )
    assert status == 200 and b'"done":true' in reply.replace(b" ", b"")

    status, answer, pdf = noor.get(f"/plans/{plan_id}/plan.pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    status, _, data = noor.get("/account/my-data.zip")
    assert status == 200
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "plan.json" in names and any(n.endswith(".jpg") for n in names), names

    log = Path(stack.folder / "nginx" / "logs" / "toekomstplan.access.log").read_text()
    upstreams = set(re.findall(r"upstream=127\.0\.0\.1:(\d+)", log))
    assert {str(p) for p in stack.ports.hosts} <= upstreams, "both hosts answered"
    assert "/plans" not in log and "/media" not in log and "?" not in log  # no paths

    needles = [login, name, media_id, video_id]
    before = leftovers.found(stack, needles)
    assert any(hit.startswith("object") for hit in before), "the search finds them before"
    assert any(hit.startswith("table") for hit in before), before
    status, answer, _ = noor.post(
        "/account/delete", {"password": PASSWORD, "sure": "y"}, "/account/delete"
    )
    assert status == 302 and answer["Location"].endswith("/account/deleted")
    left = leftovers.found(stack, needles)  # the bucket, Redis, every table and host folder
    assert left == [], "\n".join(left)


def test_a_host_killed_under_load_loses_no_acknowledged_write(stack, users):
    sam = Browser(stack.ports.nginx)
    plan_id = register(sam, f"sam{uuid.uuid4().hex[:6]}")
    status, answer, _ = sam.post(
        f"/plans/{plan_id}/goals/new", {"title": "Sparen"}, f"/plans/{plan_id}/goals/new"
    )
    goal = urlsplit(answer["Location"]).path
    goal_id = goal.rsplit("/", 1)[-1]
    saved, failed = [], []
    with Load(stack, users) as load:
        for n in range(30):
            if n == 10:
                stack.kill_host(0)
            if n == 20:
                stack.start_host(0)
            text = f"reactie {n} {uuid.uuid4().hex[:8]}"
            try:
                status, _, _ = sam.post(f"/goals/{goal_id}/comments", {"body": text}, goal)
            except OSError as error:
                failed.append(f"{n}: {error!r}")
                continue
            (saved if status in (200, 302) else failed).append(text if status < 400 else n)
    _, _, page = sam.get(goal)
    missing = [text for text in saved if text.encode() not in page]
    assert not missing, missing
    assert len(saved) >= 28, failed  # only requests in flight on the killed host may fail
    assert load.saved and not load.missing()
    assert len(load.failures) <= len(users), load.failures  # one in flight per person at most
