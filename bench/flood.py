"""Flood figures: one person sending too much at once, and what everyone else notices.

- `flood_figures`: a second young person (Daan) sends FLOOD_UPLOADS uploads of
  FLOOD_UPLOAD_MB at once, each on its own connection with its own form, as a script would;
  meanwhile Noor opens her plan home again and again. Reported: her page's median and 95th
  percentile alone and during the flood, how Daan's uploads were answered (stored, "wait a
  moment", refused) and how many were lost: no answer, a server error, or "stored" without
  the row and its file.
- `bomb_figures`: Daan sends BOMBS PNGs of BOMB_SIDE x BOMB_SIDE pixels at once (a few tens
  of kilobytes each, 49 megapixels decoded); reported is how far the resident memory of the
  gunicorn workers rose (their high-water mark, reset first) and how the uploads were
  answered.

Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import io
import secrets
import statistics
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask
from PIL import Image, ImageDraw

import video
from client import log_in, page_form
from report import BenchError, figure, log
from servers import Server
from toekomstplan.auth import services as auth_services
from toekomstplan.extensions import db
from toekomstplan.models import Media
from toekomstplan.storage import storage

FLOOD_LOGIN = "bench-flood"
FLOOD_UPLOADS = 50
FLOOD_UPLOAD_MB = 20
BOMBS = 8
BOMB_SIDE = 7000
PAGE_SAMPLES = 40
CLEAR_ANSWERS = {201, 413, 429, 507}  # stored, too big or full, wait a moment, no room


def add_flooder(app: Flask, password: str) -> int:
    """Create the young person who floods; return their plan's id."""
    with app.test_request_context():
        person = auth_services.register_youth(
            "Daan", FLOOD_LOGIN, password, locale="nl", plan_title="Mijn plan"
        )
        if person is None or person.plan is None:
            raise BenchError("could not make the second young person")
        return person.plan.id


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else 0


def _send_all(app: Server, plan_id: int, cookie: str, files: list[tuple[Path, str, str]]):
    """Open the gallery once per file (a form of its own each), then send all at once;
    return (status or None, answer) per file."""
    gallery = f"/plans/{plan_id}/media"
    forms = []
    for _ in files:
        token, cookie, _page = page_form(app.port, gallery, cookie)
        forms.append(token)

    def send(job):
        token, (path, name, content_type) = job
        try:
            status, answer, _seconds = video.upload(
                app.port, gallery, cookie, token, path, name, content_type
            )
        except OSError as error:  # no answer at all: lost
            return None, {"error": f"{type(error).__name__}: {error}"}
        return status, answer

    with ThreadPoolExecutor(max_workers=len(files)) as pool:
        return list(pool.map(send, zip(forms, files, strict=True)))


def _lost(app: Flask, answers: list[tuple[int | None, dict]]) -> int:
    """Answers that leave the person not knowing what happened, or that say "stored" while
    the row or its file is missing."""
    lost = 0
    with app.app_context():
        for status, answer in answers:
            if status not in CLEAR_ANSWERS or (status != 201 and not answer.get("error")):
                lost += 1
            elif status == 201:
                media = db.session.get(Media, answer.get("id"))
                if media is None or not media.files:
                    lost += 1
                elif not all(storage().exists(file.key) for file in media.files):
                    lost += 1
        db.session.remove()
    return lost


def _answers_text(answers) -> str:
    return ", ".join(
        f"{status}: {n}" for status, n in sorted(Counter(a[0] for a in answers).items(), key=str)
    )


def flood_figures(
    app: Server, plan: Flask, plan_path: str, cookie: str, tmp: Path, head: bytes
) -> tuple[int, str]:
    """Run the upload flood; return Daan's plan id and Cookie header for `bomb_figures`."""
    password = "bench-" + secrets.token_urlsafe(12)
    flood_plan = add_flooder(plan, password)
    flood_cookie = log_in(app.port, FLOOD_LOGIN, password)
    upload = tmp / "flood-upload.mp4"
    video.make_big_upload(upload, head, FLOOD_UPLOAD_MB * 1024 * 1024)
    alone, failed = video.page_times(app.port, plan_path, cookie, PAGE_SAMPLES)
    if failed:
        raise BenchError(f"{failed} of {len(alone)} plan home requests failed before the flood")

    log(f"Daan sends {FLOOD_UPLOADS} uploads of {FLOOD_UPLOAD_MB} MB at once; Noor's plan home")
    files = [(upload, f"film-{n}.mp4", "video/mp4") for n in range(FLOOD_UPLOADS)]
    with ThreadPoolExecutor(max_workers=1) as runner:
        flood = runner.submit(_send_all, app, flood_plan, flood_cookie, files)
        during, failed_during = video.page_times(
            app.port, plan_path, cookie, 1000, pause=0.02, keep_going=lambda: not flood.done()
        )
        answers = flood.result()
    upload.unlink()
    if len(during) < 5:
        raise BenchError(f"only {len(during)} plan home requests ran during the flood")
    lost = _lost(plan, answers)
    log(
        f"{len(during)} plan home requests during the flood: median "
        f"{statistics.median(during):.1f} ms, p95 {p95(during):.1f} ms, max {max(during):.0f} ms, "
        f"{failed_during} not answered 200; Daan's uploads answered {_answers_text(answers)}"
    )
    figure("flood_uploads", FLOOD_UPLOADS)
    figure("flood_upload_mb", FLOOD_UPLOAD_MB)
    figure("flood_other_user_median_ms_alone", f"{statistics.median(alone):.1f}")
    figure("flood_other_user_p95_ms_alone", f"{p95(alone):.1f}")
    figure("flood_other_user_median_ms", f"{statistics.median(during):.1f}")
    figure("flood_other_user_p95_ms", f"{p95(during):.1f}")
    figure("flood_other_user_failures", failed_during)
    figure("flood_uploads_stored", sum(status == 201 for status, _ in answers))
    figure("flood_uploads_wait", sum(status == 429 for status, _ in answers))
    figure("flood_uploads_lost", lost)
    return flood_plan, flood_cookie


def make_bombs(tmp: Path) -> list[Path]:
    """PNGs of BOMB_SIDE x BOMB_SIDE pixels that compress to a few tens of kilobytes."""
    bombs = []
    for number in range(BOMBS):
        picture = Image.new("RGB", (BOMB_SIDE, BOMB_SIDE), (40 + number * 20, 120, 200))
        ImageDraw.Draw(picture).ellipse((1000, 1000, 6000, 6000), fill=(250, 200, 40))
        buffer = io.BytesIO()
        picture.save(buffer, "PNG", optimize=True)
        path = tmp / f"bomb-{number}.png"
        path.write_bytes(buffer.getvalue())
        bombs.append(path)
    return bombs


def bomb_figures(app: Server, plan: Flask, plan_id: int, cookie: str, tmp: Path) -> None:
    bombs = make_bombs(tmp)
    total_kb = sum(path.stat().st_size for path in bombs) / 1024
    log(f"Daan sends {BOMBS} PNGs of {BOMB_SIDE}x{BOMB_SIDE} ({total_kb:.0f} KB in all) at once")
    memory = video.WorkerMemory(app.workers())
    memory.start()
    if not memory.reset:
        log("the kernel refused to reset VmHWM: the growth may be understated")
    answers = _send_all(app, plan_id, cookie, [(p, p.name, "image/png") for p in bombs])
    growth = memory.growth_mb()
    lost = _lost(plan, answers)
    for path in bombs:
        path.unlink()
    per_worker = ", ".join(f"{pid}: {mb:+.1f} MB" for pid, mb in growth.items())
    log(f"answered {_answers_text(answers)}; peak memory growth per worker: {per_worker}")
    if lost:
        raise BenchError(f"{lost} of the {BOMBS} PNG uploads got no clear answer: {answers}")
    figure("png_bombs", BOMBS)
    figure("png_bomb_kb", f"{total_kb:.0f}")
    figure("png_bomb_stored", sum(status == 201 for status, _ in answers))
    figure("png_bomb_rss_growth_mb", f"{max(growth.values()):.1f}")
