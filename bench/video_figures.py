"""Video figures: the memory a big upload costs a worker, and the plan home beside slow videos.

The measurements themselves are in bench/video.py; this module prepares the files, runs them
against the running app and reports their figures.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import video
from client import page_form, request
from report import BenchError, figure, log
from servers import Server, gunicorn_settings

SLOW_VIDEO_CLIENTS = 4
SLOW_VIDEO_RATE = 1024 * 1024  # bytes per second per client: a phone on a middling connection
PAGE_SAMPLES = 30


def make_video_files(env: dict[str, str], tmp: Path) -> tuple[Path, Path]:
    """Make the bench video and, once, the big upload that starts like it."""
    bench_video = tmp / "bench-video.mp4"
    log("making a 20 s 1280x720 H.264 video with ffmpeg")
    video.make_video(bench_video)
    # The whole request body must stay under UPLOAD_MAX_MB; the form around the file
    # takes a few hundred bytes.
    limit = int(env.get("UPLOAD_MAX_MB") or 500) * 1024 * 1024
    big_upload = tmp / "big-upload.mp4"
    log(f"writing a {limit / 1024 / 1024:.0f} MB upload that starts like an MP4")
    video.make_big_upload(big_upload, video.ftyp_box(bench_video), limit - 64 * 1024)
    return bench_video, big_upload


def upload_memory_figures(app: Server, plan_id: int, cookie: str, big_upload: Path) -> str:
    """Upload the big file as the gallery does and report how far the worker's memory rose;
    return the Cookie header (the gallery may have refreshed the session)."""
    gallery = f"/plans/{plan_id}/media"
    token, cookie, _ = page_form(app.port, gallery, cookie)
    memory = video.WorkerMemory(app.workers())
    memory.start()
    if not memory.reset:
        log("the kernel refused to reset VmHWM: the upload's growth may be understated")
    size_mb = big_upload.stat().st_size / 1024 / 1024
    log(f"uploading {size_mb:.0f} MB to {gallery}")
    status, answer, seconds = video.upload(
        app.port, gallery, cookie, token, big_upload, "big-video.mp4"
    )
    growth = memory.growth_mb()
    big_upload.unlink()  # half a gigabyte the disk needs back
    if status != 201 or answer.get("status") != "processing":
        raise BenchError(f"the {size_mb:.0f} MB upload answered {status}: {answer}")
    status, _, body = request(app.port, "GET", f"/media/{answer['id']}/status", {"Cookie": cookie})
    if status != 200 or json.loads(body).get("status") != "processing":
        raise BenchError(f"the uploaded video is not waiting for its job: {status} {body[:300]}")
    per_worker = ", ".join(f"{pid}: {mb:+.1f} MB" for pid, mb in growth.items())
    log(f"upload took {seconds:.1f} s; peak memory growth per worker: {per_worker}")
    figure("video_upload_mb", f"{size_mb:.1f}")
    figure("video_upload_seconds", f"{seconds:.1f}")
    figure("video_upload_rss_growth_mb", f"{max(growth.values()):.1f}")
    return cookie


def slow_video_figures(app: Server, plan_path: str, media_id: str, cookie: str) -> None:
    """Time the plan home alone, then while slow clients download the video."""
    alone, failed = video.page_times(app.port, plan_path, cookie, PAGE_SAMPLES)
    if failed:
        raise BenchError(f"{failed} of {len(alone)} plan home requests failed before the test")
    result = video.during_slow_downloads(
        app.port,
        plan_path,
        f"/media/{media_id}/video",
        cookie,
        clients=SLOW_VIDEO_CLIENTS,
        rate=SLOW_VIDEO_RATE,
        requests=PAGE_SAMPLES,
        max_seconds=40,
        workers=app.workers(),
        log=log,
    )
    times = result["times_ms"]
    log(
        f"{len(times)} plan home requests in {result['seconds']:.1f} s beside the downloads: "
        f"median {result['median_ms']:.1f} ms, max {max(times):.0f} ms, "
        f"{result['failed']} not answered in time; downloaded MB per client: "
        f"{result['received_mb']}"
    )
    if result["finished_early"]:
        log(f"WARNING: {result['finished_early']} downloads ended before the measurement did")
    threads = gunicorn_settings()["threads"]
    for pid, held in result["per_worker"].items():
        if held >= threads:
            log(
                f"WARNING: worker {pid} spends all its {threads} threads on slow downloads; "
                "plan pages it accepts meanwhile wait until one download ends"
            )
    figure("slow_video_clients", SLOW_VIDEO_CLIENTS)
    per_worker = sorted(result["per_worker"].values(), reverse=True)
    figure("slow_video_downloads_per_worker", ",".join(map(str, per_worker)) or "unknown")
    figure("page_ms_without_slow_video", f"{statistics.median(alone):.1f}")
    figure("page_ms_during_slow_video", f"{result['median_ms']:.1f}")
    figure("page_max_ms_during_slow_video", f"{max(times):.0f}")
    figure("page_failures_during_slow_video", result["failed"])
