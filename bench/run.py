"""Benchmark the plan home against a bare Flask app, and weigh what a phone downloads.

Run with `make bench` (or `.venv/bin/python bench/run.py --help`). The bench

1. times the photo pipeline on a 12-megapixel phone photo (photos.py) and the PDF export of a
   standard plan of its own against headless Chromium (pdf.py), before anything else runs;
2. makes a temporary directory with its own SQLite database, migrated with `flask db upgrade`
   (sandbox.py), and has the project's plan builder fill it with one young person and a
   filled plan: 10 goals with their history, and photos as evidence (seed.py);
3. starts the real app (`wsgi:app`) and hello.py under gunicorn with the production
   `gunicorn.conf.py`, each on a free port on 127.0.0.1 (servers.py), logs in over HTTP like
   a browser and checks that the plan home shows the plan (client.py);
4. runs wrk against hello and the plan home in turns, and reports the medians and their
   ratios (load.py);
5. adds up the bytes of the plan home and every CSS, JS, font and icon it references
   (weight.py);
6. ticks steps like the goal page's script does, alone and while wrk loads the plan home,
   and reports the round-trip times (ticks.py); reads the caseload of a worker with 40 young
   people the same way, and counts its queries against a worker with one (caseload.py);
   stores a 12 MP photo in a real S3-compatible store and on the local disk in turns
   (s3_photos.py);
7. stores a real 45-50 MB H.264 video with the app's services, uploads a file just under
   UPLOAD_MAX_MB and reports how far the memory of the gunicorn worker that took it rose, and
   times the plan home while four slow clients download the video (video_figures.py);
8. has a second young person send 50 uploads of 20 MB at once and then eight 49-megapixel
   PNGs, and reports the first one's plan home meanwhile, the uploads lost and the workers'
   memory growth (flood.py);
9. starts the production shape (scripts/stack.py: PostgreSQL, Redis, SeaweedFS, two app
   hosts, a consumer, nginx) and loads it with 100 Locust users, once plainly and once with
   an app host killed and restarted (stack_load.py).

Every figure is printed on its own line as `name=value`; progress goes to stderr. Nothing
leaves 127.0.0.1, and the servers are stopped whatever happens.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import caseload
import flood
import load
import pdf
import photos
import redis_server
import s3_photos
import sandbox
import seed
import stack_load
import ticks
import video
import video_figures
import weight
from client import check_plan_home, log_in
from report import BenchError, figure, figures, log
from servers import GUNICORN_CONF, Server


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per server (3)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per server, alternating (3)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--toggles", type=int, default=200, help="step toggles under load (200)")
    parser.add_argument(
        "--toggles-idle", type=int, default=40, help="step toggles before the load (40)"
    )
    parser.add_argument(
        "--toggle-connections", type=int, default=8, help="wrk connections while toggling (8)"
    )
    parser.add_argument(
        "--toggle-pause", type=float, default=0.02, help="seconds between toggles (0.02)"
    )
    parser.add_argument(
        "--caseload-requests", type=int, default=200, help="caseloads read under load (200)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args()


def child_figures(script: str, what: str, measure) -> None:
    """Report the figures of photos.py or pdf.py, which measure in a child process."""
    log(f"timing {what}")
    try:
        figures(measure())
    except subprocess.CalledProcessError as error:  # the child failed: show what it said
        raise BenchError(f"bench/{script} failed:\n{(error.stderr or '')[-3000:]}") from error
    except subprocess.SubprocessError as error:  # a child that took too long
        raise BenchError(f"bench/{script} failed: {error}") from error


def run(args: argparse.Namespace, tmp: Path, servers: list) -> None:
    started = time.monotonic()
    redis = redis_server.start(tmp / "redis")
    servers.append(redis)
    env = sandbox.app_environment(tmp, redis.url())
    log(f"temporary directory {tmp}")
    # On a quiet machine, before anything else runs.
    child_figures("photos.py", "the photo pipeline on a 12-megapixel photo", photos.run)
    child_figures(
        "pdf.py",
        "the PDF export of a standard plan (30 photos of 12 megapixels, 2 videos)",
        pdf.run,
    )
    sandbox.migrate(env, tmp)
    plan = seed.seed(env, tmp)  # from here on this process has the bench's env
    log(f"giving a worker {caseload.PLANS} young people and another one")
    workers_password = caseload.seed(plan.app, tmp)
    log("storing a 12 MP photo in object storage and on the local disk, in turns")
    s3_photos.figures_for(plan.app, plan.plan_id, tmp, servers)
    bench_video, big_upload = video_figures.make_video_files(env, tmp)
    plan_path = f"/plans/{plan.plan_id}"
    log(f"seeded plan {plan.plan_id}; starting gunicorn twice with {GUNICORN_CONF.name}")

    app = Server("app", "wsgi:app", env, tmp)
    servers.append(app)
    hello = Server("hello", "bench.hello:app", env, tmp)
    servers.append(hello)
    app.wait_ready("/login")
    hello.wait_ready("/")

    cookie = log_in(app.port, seed.YOUTH_LOGIN, plan.password)
    check_plan_home(app.port, plan_path, cookie, seed.PLAN_TITLE)
    log("logged in; the plan home shows the plan")

    script = load.write_script(tmp)
    load.setting_figures(args)
    load.throughput_figures(hello, app, plan_path, cookie, args, script)
    # Still logged in: the runs measured the page, not a redirect to the login page.
    check_plan_home(app.port, plan_path, cookie, seed.PLAN_TITLE)
    weight.weight_figures(app.port, plan_path, cookie)

    ticks.step_toggle_figures(app, plan_path, cookie, plan.toggle_steps, args, script)
    check_plan_home(app.port, plan_path, cookie, seed.PLAN_TITLE)
    caseload.time_figures(app, plan_path, cookie, workers_password, args, script)
    caseload.query_figures(plan.app, workers_password)

    # Only now: the figures above need the plan as seeded (see seed.store_ready_video).
    media_id, video_bytes = seed.store_ready_video(plan.app, plan.plan_id, bench_video)
    log(f"stored and prepared a {video_bytes / 1024 / 1024:.1f} MB video ({media_id})")
    cookie = video_figures.upload_memory_figures(app, plan.plan_id, cookie, big_upload)
    video_figures.slow_video_figures(app, plan_path, media_id, cookie)
    check_plan_home(app.port, plan_path, cookie, seed.PLAN_TITLE)

    # Last: a second young person floods the app; Noor's page is timed meanwhile.
    head = video.ftyp_box(bench_video)
    flood_plan, flood_cookie = flood.flood_figures(app, plan.app, plan_path, cookie, tmp, head)
    flood.bomb_figures(app, plan.app, flood_plan, flood_cookie, tmp)
    check_plan_home(app.port, plan_path, cookie, seed.PLAN_TITLE)

    # Last of all, with the single-host servers stopped: the production shape under load.
    for server in servers:
        server.stop()
    servers.clear()
    stack_load.figures(tmp, servers)
    figure("bench_seconds", f"{time.monotonic() - started:.0f}")


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        print(
            "bench: wrk is not installed. Install it with: sudo apt-get install -y wrk",
            file=sys.stderr,
        )
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="toekomstplan-bench-"))
    servers: list = []  # gunicorns and Redis, stopped whatever happens
    try:
        run(args, tmp, servers)
    except (BenchError, OSError, http.client.HTTPException) as error:
        log(f"FAILED: {error}")
        for server in servers:
            log(f"--- {server.name} log ---\n{server.log_tail()}")
        return 1
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
