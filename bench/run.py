"""Benchmark the plan home against a bare Flask app, and weigh what a phone downloads.

Run with `make bench` (or `.venv/bin/python bench/run.py --help`). The bench

1. makes a temporary directory with its own SQLite database (migrated with `flask db upgrade`)
   and fills it, through the app's own services, with one young person and a filled plan:
   cover, introduction, "about me", and 10 goals of 3-6 steps with a history of ticked
   steps and ratings, and photos (drawn with Pillow, stored with `store_upload`, so every
   variant exists) shown as evidence on goals and steps;
2. starts the real app (`wsgi:app`) and `bench/hello.py` under gunicorn with the production
   `gunicorn.conf.py`, each on a free port on 127.0.0.1;
3. logs in over HTTP like a browser and checks that the plan home shows the plan;
4. runs wrk against hello and the plan home in turns, and reports the medians and their ratio;
5. adds up the bytes of the plan home and every CSS, JS, font and icon it references;
   then ticks steps like the goal page's script does (POST /steps/<id>/toggle, Accept:
   application/json), 40 times alone and 200 times from a client thread while wrk loads
   the plan home with 8 connections, and reports the round-trip times on 127.0.0.1 (the app
   sends no server timing; loopback adds well under a millisecond);
6. times the photo pipeline on a 12-megapixel phone photo (bench/photos.py), before the
   servers start;
7. stores a real 45-50 MB H.264 video with the app's services (its job run at once, in this
   process), then, against the running app (bench/video.py): uploads a file just under
   UPLOAD_MAX_MB that starts like an MP4 and reports how far the memory of the gunicorn
   worker that took it rose; and times the plan home while four slow clients (about 1 MB/s
   each) download the video;
8. times the PDF export of a standard plan of its own (bench/pdf.py: cover photo, 10 goals,
   30 photos of 12 megapixels, 2 videos) in a child process, against headless Chromium
   printing the same HTML, before the servers start.

Every figure is printed on its own line as `name=value`; progress goes to stderr. Nothing
leaves 127.0.0.1, and the servers are stopped whatever happens.
"""

from __future__ import annotations

import argparse
import gzip
import html
import http.client
import json
import os
import re
import runpy
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pdf
import photos
import video

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
HOST = "127.0.0.1"

YOUTH_LOGIN = "bench-youth"
PLAN_TITLE = "Mijn toekomst in Zwolle"
INTRO = """Hoi! Ik ben Noor, ik ben 17 jaar en ik woon sinds een jaar in Zwolle, in een \
groep met vijf andere jongeren. Ik zit op het mbo en ik doe de opleiding helpende zorg en welzijn.

Ik hou van tekenen, van muziek maken en van lange wandelingen met de hond van mijn tante. \
Als het even niet goed gaat, helpt het mij om buiten te zijn of om iets te maken met mijn handen.

Later wil ik graag met kinderen werken, misschien op een kinderopvang of op een basisschool. \
Eerst wil ik mijn diploma halen en een bijbaan vinden, zodat ik kan sparen voor een eigen kamer.

Dit plan is van mij. Hier staat wat ik wil, wat ik goed kan en hoe ver ik al ben."""
ABOUT = [
    ("quality", "Ik ben eerlijk, ook als dat moeilijk is"),
    ("quality", "Ik help mijn vrienden als het tegenzit"),
    ("quality", "Ik geef niet snel op"),
    ("quality", "Ik kan goed luisteren"),
    ("talent", "Tekenen, vooral mensen en dieren"),
    ("talent", "Ik kan goed met kleine kinderen omgaan"),
    ("talent", "Koken voor de hele groep"),
    ("hobby", "Gitaar spelen 🎸"),
    ("hobby", "Wandelen met de hond van mijn tante"),
    ("hobby", "Series kijken met mijn zus"),
]

# Ten goals of 3-6 steps. "done" steps are ticked while seeding, "undo" of them unticked
# and ticked again, "ratings" set one after the other; "evidence" puts photos (indices into
# PHOTOS) on the goal (None) or on a step (its index). The last two goals are achieved and
# paused; the step the bench ticks during the load is the first one left open in the goals
# marked "toggle".
GOALS = [
    {
        "title": "Ik wil een bijbaan vinden",
        "why": "Dan heb ik mijn eigen geld en leer ik nieuwe mensen kennen.",
        "helpers": "Mo, mijn begeleider",
        "steps": ["Mijn cv maken", "Vacatures zoeken", "Een brief sturen naar de bakker",
                  "Een gesprek oefenen met Mo", "Op gesprek gaan"],
        "done": 2, "undo": 1, "ratings": ["not_yet", "bit", "good"],
        "evidence": [(0, None), (1, 0)], "toggle": True,
    },
    {
        "title": "Ik wil mijn diploma helpende zorg en welzijn halen",
        "why": "Dan kan ik later met kinderen werken.",
        "helpers": "Mijn mentor, juf Sanne",
        "steps": ["Elke week mijn planning maken", "Mijn stage-uren bijhouden",
                  "Het verslag van mijn stage schrijven", "Het examen oefenen"],
        "done": 2, "ratings": ["bit", "good"],
        "evidence": [(2, 1)], "toggle": True,
    },
    {
        "title": "Ik wil leren koken voor mezelf",
        "why": "Later woon ik op mezelf en wil ik niet elke dag patat.",
        "helpers": "Tante Ria",
        "steps": ["Drie makkelijke recepten kiezen", "Samen boodschappen doen",
                  "Eén keer per week zelf koken", "Een keer koken voor de groep"],
        "done": 3, "undo": 1, "ratings": ["not_yet", "bit"],
        "evidence": [(3, None), (3, 2)], "toggle": True,
    },
    {
        "title": "Ik wil sparen voor een eigen kamer",
        "why": "Ik wil een plek voor mezelf, met mijn eigen spullen.",
        "helpers": "Mo, mijn begeleider",
        "steps": ["Een spaarrekening openen", "Elke maand 50 euro opzij zetten",
                  "Uitzoeken wat een kamer kost"],
        "done": 1, "ratings": ["bit"], "toggle": True,
    },
    {
        "title": "Ik wil beter slapen",
        "why": "Dan ben ik op school minder moe.",
        "helpers": "De huisarts",
        "steps": ["Om elf uur mijn telefoon wegleggen", "Een slaapdagboek bijhouden",
                  "Met de huisarts praten"],
        "done": 1, "undo": 1, "ratings": ["not_yet", "bit", "not_yet"],
    },
    {
        "title": "Ik wil mijn rijbewijs voor de scooter halen",
        "why": "Dan kan ik zelf naar mijn stage en naar mijn tante.",
        "helpers": "Mijn oom",
        "steps": ["Het theorieboek lenen", "Elke dag tien vragen oefenen",
                  "Een proefexamen doen", "Het theorie-examen aanvragen",
                  "Rijlessen plannen", "Het praktijkexamen doen"],
        "done": 2, "ratings": ["bit", "good"],
        "evidence": [(4, 1)],
    },
    {
        "title": "Ik wil elke week sporten",
        "why": "Als ik beweeg, voel ik me beter.",
        "helpers": "Mijn vriendin Lotte",
        "steps": ["Een sport kiezen", "Een proefles doen", "Lid worden van de club"],
        "done": 1, "ratings": ["good", "bit"],
    },
    {
        "title": "Ik wil mijn tekeningen laten zien",
        "why": "Ik ben trots op wat ik maak.",
        "helpers": "De juf van tekenen",
        "steps": ["Mijn beste tekeningen kiezen", "Een map maken", "Ze ophangen in de gang",
                  "Een tekening geven aan oma"],
        "done": 2, "ratings": ["good"],
        "evidence": [(5, None), (0, 0)],
    },
    {
        "title": "Ik wil elke week gitaar spelen",
        "why": "Muziek maken maakt me rustig.",
        "helpers": "",
        "steps": ["Een gitaar lenen", "Drie akkoorden leren", "Een heel liedje spelen"],
        "done": 3, "ratings": ["bit", "good"], "status": "achieved",
        "evidence": [(5, 2)],
    },
    {
        "title": "Ik wil vrijwilligerswerk doen bij de kinderboerderij",
        "why": "Ik ben graag buiten en bij dieren.",
        "helpers": "Mo, mijn begeleider",
        "steps": ["Bellen met de kinderboerderij", "Een middag meelopen",
                  "Afspreken welke dag ik kom"],
        "done": 1, "ratings": ["not_yet"], "status": "paused",
    },
]  # fmt: skip
# Photos the young person took, drawn on the spot: (file name, caption, colours).
PHOTOS = [
    ("cv.jpg", "Mijn cv, af!", ((46, 106, 79), (244, 162, 89))),
    ("vacature.jpg", "De vacature bij de bakker", ((29, 78, 137), (255, 226, 120))),
    ("stage.jpg", "Op mijn stage", ((168, 218, 220), (200, 110, 40))),
    ("lasagne.jpg", "Mijn eerste lasagne", ((200, 80, 40), (255, 240, 200))),
    ("theorie.jpg", "Proefexamen: 32 van de 35 goed", ((90, 50, 120), (240, 240, 240))),
    ("tekening.jpg", "Mijn tekening van Lotte", ((255, 248, 231), (120, 70, 20))),
]
PHOTO_SIZE = (1600, 1200)  # a photo a phone resized before upload, or a scanned drawing

# wrk counts 3xx as success, so a lost session (a redirect to the login page) would look
# like a very fast plan home. This script counts every status other than 200.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not200 = 0 end
function response(status, headers, body)
  if status ~= 200 then not200 = not200 + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("not200") end
  io.write(string.format("not200=%d\\n", total))
end
"""

TEXT_TYPES = ("text/", "javascript", "json", "svg", "xml")


class BenchError(RuntimeError):
    """Something is wrong with the app or the set-up: the figures would mean nothing."""


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def figure(name: str, value) -> None:
    print(f"{name}={value}", flush=True)


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
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args()


# --- set-up: database, data, servers ----------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def app_environment(tmp: Path) -> dict[str, str]:
    """Production settings, pointed at the bench's own database and folders."""
    env = {k: v for k, v in os.environ.items() if k not in {"BIND", "PORT", "FLASK_DEBUG"}}
    env.update(
        TOEKOMSTPLAN_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        TRUSTED_HOSTS=f"{HOST},localhost",
        SESSION_COOKIE_SECURE="0",  # plain http on loopback
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite'}",
        UPLOAD_DIR=str(tmp / "uploads"),
        # The job queue too: an upload must never land in the real instance's queue.
        HUEY_DB=str(tmp / "huey.sqlite"),
        BASE_URL=f"http://{HOST}",
        FLASK_APP="wsgi.py",
        PYTHONUNBUFFERED="1",
    )
    return env


def migrate(env: dict[str, str], tmp: Path) -> None:
    result = subprocess.run(
        [str(BIN / "flask"), "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    (tmp / "migrate.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        raise BenchError(f"flask db upgrade failed:\n{result.stderr[-3000:]}")


def seed(env: dict[str, str], tmp: Path):
    """Create the young person and a filled plan with the app's services; return (plan id,
    password, app, the (goal id, step id) pairs the toggle measurement ticks)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from toekomstplan import create_app
    from toekomstplan.auth import services as auth_services
    from toekomstplan.extensions import db
    from toekomstplan.plan import services as plan_services

    password = "bench-" + secrets.token_urlsafe(12)
    app = create_app()
    with app.test_request_context():
        registration = auth_services.register_youth(
            "Noor", YOUTH_LOGIN, password, locale="nl", plan_title="Mijn plan"
        )
        plan = registration.user.plan
        plan_services.update_cover(
            plan,
            title=PLAN_TITLE,
            subtitle="Stap voor stap naar een eigen plek",
            theme="ocean",
            color=None,
            layout="band",
        )
        plan_services.update_intro(plan, INTRO)
        for kind, text in ABOUT:
            plan_services.add_about_item(plan, kind, text)
        toggle_steps = seed_goals(plan, tmp)
        plan_id = plan.id
        db.session.remove()
        db.engine.dispose()
    return plan_id, password, app, toggle_steps


def draw_photo(path: Path, number: int, colours: tuple) -> None:
    """Write a photo-like JPEG: a gradient, a few shapes and sensor noise, so it is as big
    and as slow to process as a real photo of its size."""
    from PIL import Image, ImageChops, ImageDraw

    width, height = PHOTO_SIZE
    top, bottom = colours
    image = Image.composite(
        Image.new("RGB", PHOTO_SIZE, bottom),
        Image.new("RGB", PHOTO_SIZE, top),
        Image.linear_gradient("L").resize(PHOTO_SIZE),
    )
    draw = ImageDraw.Draw(image)
    for i in range(8):
        x = (number * 379 + i * 211) % width
        y = (number * 173 + i * 307) % height
        r = 80 + (number * 53 + i * 97) % 220
        colour = ((number * 71 + i * 40) % 256, (i * 90 + 30) % 256, (number * 30 + i * 15) % 256)
        shape = draw.ellipse if (number + i) % 2 else draw.rectangle
        shape((x - r, y - r, x + r, y + r), fill=colour)
    noise = Image.merge("RGB", [Image.effect_noise(PHOTO_SIZE, 20 + band) for band in range(3)])
    ImageChops.add(image, noise, 1.0, -128).save(path, "JPEG", quality=90)


def seed_goals(plan, tmp: Path) -> list[tuple[int, int]]:
    """Store the photos, add GOALS with their history and evidence, and date that history
    over the last eight weeks; return the (goal id, step id) pairs to tick under load."""
    import sqlalchemy as sa

    from toekomstplan.extensions import db
    from toekomstplan.goals import services as goal_services
    from toekomstplan.media import services as media_services
    from toekomstplan.models import ProgressEvent

    photos = []
    for number, (name, caption, colours) in enumerate(PHOTOS):
        path = tmp / name
        draw_photo(path, number, colours)
        media = media_services.store_upload(plan, path, label=name, caption=caption)
        path.unlink()
        if media.file("thumb") is None:
            raise BenchError(f"the stored photo {name} has no thumbnail")
        photos.append(media)

    toggle_steps, goal_ids = [], []
    for spec in GOALS:
        goal = goal_services.create_goal(
            plan, title=spec["title"], why=spec["why"], helpers=spec["helpers"], steps=spec["steps"]
        )
        goal_ids.append(goal.id)
        steps = list(goal.steps)
        ratings = list(spec.get("ratings", []))
        for index, step in enumerate(steps[: spec["done"]]):
            goal_services.toggle_step(step, True)
            if index < len(ratings):  # a rating now and then between the ticks
                goal_services.set_rating(goal, ratings[index])
        for rating in ratings[spec["done"] :]:
            goal_services.set_rating(goal, rating)
        for step in steps[: spec.get("undo", 0)]:  # ticked too soon, and later again
            goal_services.toggle_step(step, False)
            goal_services.toggle_step(step, True)
        for photo, step_index in spec.get("evidence", []):
            step = None if step_index is None else steps[step_index]
            if not goal_services.add_evidence(goal, photos[photo], step):
                raise BenchError(f"could not add photo {photo} as evidence to {goal.title!r}")
        if spec.get("status"):
            goal_services.set_status(goal, spec["status"])
        if spec.get("toggle"):
            toggle_steps.append((goal.id, steps[spec["done"]].id))

    # Date each goal's history as if it happened over the last eight weeks, goal after goal.
    now = datetime.now(UTC)
    for number, goal_id in enumerate(goal_ids):
        events = db.session.scalars(
            sa.select(ProgressEvent)
            .where(ProgressEvent.goal_id == goal_id)
            .order_by(ProgressEvent.id)
        ).all()
        begin = now - timedelta(days=56 - 2 * number)
        for index, event in enumerate(events):
            event.at = begin + (now - begin) * index / len(events)
            if event.kind == "status" and event.value == "achieved":
                event.goal.achieved_at = event.at
    db.session.commit()
    return toggle_steps


def store_ready_video(app, plan_id: int, source: Path) -> tuple[str, int]:
    """Store `source` in the plan with the app's services and prepare it at once, in this
    process (the job queue runs its tasks immediately); return (media id, MP4 bytes).

    Done after the wrk runs: the plan home shows recent videos, and the figures above stay
    comparable with earlier runs only if the plan is the same as before.
    """
    from toekomstplan.extensions import db
    from toekomstplan.jobs import huey
    from toekomstplan.media import services as media_services
    from toekomstplan.models import MediaStatus, Plan

    huey.immediate = True
    with app.test_request_context():
        try:
            plan = db.session.get(Plan, plan_id)
            media = media_services.store_upload(plan, source, label="bench-video.mp4")
            db.session.refresh(media)
            if media.status != MediaStatus.READY:
                raise BenchError(f"the bench video is {media.status} ({media.failure})")
            stored = media.file("video")
            if stored is None:
                raise BenchError("the prepared bench video has no 'video' file")
            return media.id, stored.size
        finally:
            db.session.remove()
            db.engine.dispose()


class Server:
    """One gunicorn with gunicorn.conf.py, in its own process group so it can be stopped."""

    def __init__(self, name: str, app: str, env: dict[str, str], tmp: Path):
        self.name = name
        self.port = free_port()
        self.log_path = tmp / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(GUNICORN_CONF), "--chdir", str(ROOT), app],
            cwd=ROOT,
            # Same config for both servers. Worker recycling is off: hello serves ~50,000
            # requests a run, and a restart in a 10-second sample would skew it.
            env={**env, "BIND": f"{HOST}:{self.port}", "GUNICORN_MAX_REQUESTS": "0"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def wait_ready(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} server exited early:\n{self.log_tail()}")
            try:
                status, _, _ = request(self.port, "GET", path)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise BenchError(f"{self.name} server answered {path} with {status}")
        raise BenchError(f"{self.name} server not ready after {timeout}s:\n{self.log_tail()}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers (user + system)."""
        pids = [self.process.pid] + children(self.process.pid)
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # exited in between
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def log_tail(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # the group this bench started
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._log.close()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


# --- HTTP: log in, check the page ---------------------------------------------------------


def request(port: int, method: str, path: str, headers=None, body: bytes | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=15)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class Cookies:
    def __init__(self):
        self.values: dict[str, str] = {}

    def update(self, headers) -> None:
        for line in headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                self.values[name] = morsel.value

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.values.items())


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.inputs[a["name"]] = a.get("value") or ""


def log_in(port: int, login: str, password: str) -> str:
    """Log in like a browser; return the Cookie header of the logged-in session."""
    cookies = Cookies()
    status, headers, body = request(port, "GET", "/login")
    if status != 200:
        raise BenchError(f"GET /login answered {status}")
    cookies.update(headers)
    parser = FormParser()
    parser.feed(body.decode())
    token = parser.inputs.get("csrf_token")
    if not token:
        raise BenchError("GET /login has no csrf_token field")
    form = urlencode({"csrf_token": token, "login": login, "password": password}).encode()
    status, headers, body = request(
        port,
        "POST",
        "/login",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookies.header(),
            "Origin": f"http://{HOST}:{port}",
        },
        form,
    )
    location = headers.get("Location", "")
    if status not in (302, 303) or "/login" in location:
        snippet = body.decode(errors="replace")[:500]
        raise BenchError(f"POST /login answered {status} (Location {location!r}):\n{snippet}")
    cookies.update(headers)
    # Like a browser: follow the redirects to the plan and keep the cookies each page sets.
    for _ in range(5):
        status, headers, body = request(
            port, "GET", urlsplit(location).path or "/", {"Cookie": cookies.header()}
        )
        cookies.update(headers)
        location = headers.get("Location", "")
        if status not in (301, 302, 303):
            break
    return cookies.header()


def gallery_form(port: int, plan_id: int, cookie: str) -> tuple[str, str]:
    """Open the gallery like a browser; return its upload form's csrf_token and the Cookie
    header with whatever the page set."""
    token, cookie, _ = page_form(port, f"/plans/{plan_id}/media", cookie)
    return token, cookie


def page_form(port: int, path: str, cookie: str) -> tuple[str, str, bytes]:
    """Open a page with forms like a browser; return its csrf_token, the Cookie header with
    whatever the page set, and the page."""
    status, headers, body = request(port, "GET", path, {"Cookie": cookie})
    if status != 200:
        raise BenchError(f"GET {path} answered {status} {headers.get('Location', '')}")
    cookies = Cookies()
    cookies.values.update(p.split("=", 1) for p in cookie.split("; ") if "=" in p)
    cookies.update(headers)
    parser = FormParser()
    parser.feed(body.decode())
    token = parser.inputs.get("csrf_token")
    if not token:
        raise BenchError(f"GET {path} has no csrf_token field")
    return token, cookies.header(), body


def check_plan_home(port: int, path: str, cookie: str) -> None:
    status, headers, body = request(port, "GET", path, {"Cookie": cookie})
    if status != 200:
        raise BenchError(f"GET {path} answered {status} {headers.get('Location', '')}")
    if html.escape(PLAN_TITLE).encode() not in body:
        raise BenchError(f"GET {path} does not show the plan title {PLAN_TITLE!r}")


# --- wrk ----------------------------------------------------------------------------------


def wrk_command(
    url: str, cookie: str, seconds: int, threads: int, connections: int, script: Path
) -> list[str]:
    return [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]


def wrk(
    server: Server, path: str, cookie: str, seconds: int, args: argparse.Namespace, script: Path
) -> dict:
    """Load `path` for `seconds`; return requests per second, latency and server CPU time
    per request (the CPU figure holds steadier than req/s on a busy machine)."""
    url = server.url(path)
    command = wrk_command(url, cookie, seconds, args.threads, args.connections, script)
    cpu_before = server.cpu_seconds()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish on {url}") from None
    cpu = server.cpu_seconds() - cpu_before
    return wrk_result(url, result.returncode, result.stdout, result.stderr, cpu)


def wrk_result(url: str, returncode: int, out: str, err: str, cpu: float) -> dict:
    """Read wrk's report; refuse a run that failed or saw a status other than 200."""
    if returncode != 0 or "Requests/sec:" not in out:
        raise BenchError(f"wrk failed on {url}:\n{out}\n{err}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    not200 = re.search(r"not200=(\d+)", out)
    bad = int(not200.group(1)) if not200 else int(errors.group(1)) if errors else 0
    if bad:
        raise BenchError(f"{bad} responses other than 200 from {url}:\n{out}")
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        log(f"socket errors on {url}: {socket_errors.group(1)}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "cpu_ms": cpu * 1000 / max(requests, 1),
        "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
    }


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


# --- page weight ------------------------------------------------------------------------


class AssetParser(HTMLParser):
    """Collect what a browser fetches for a page, photos excluded."""

    LINK_RELS = {
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "mask-icon",
        "manifest",
        "preload",
        "modulepreload",
    }

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and self.LINK_RELS & set(a.get("rel", "").lower().split()):
            if a.get("href"):
                self.urls.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "img" and a.get("src", "").startswith("/static/"):
            # Icons and illustrations are static files; photos come from the upload routes.
            self.urls.append(a["src"])
        elif tag == "use":
            href = a.get("href") or a.get("xlink:href") or ""
            if href and not href.startswith("#"):
                self.urls.append(href.split("#")[0])
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}", re.I)
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""", re.I)


def css_references(css: str) -> list[str]:
    """Return the URLs a stylesheet makes the browser fetch.

    Of each @font-face only the first source counts: a browser takes the first format it
    knows (woff2 on every current phone) and never downloads the fallbacks.
    """
    css = CSS_COMMENT.sub("", css)
    urls = []
    for block in CSS_FONT_FACE.findall(css):
        first = CSS_URL.search(block)
        if first:
            urls.append(first.group(2))
    rest = CSS_FONT_FACE.sub("", css)
    urls += [m.group(2) for m in CSS_IMPORT.finditer(rest)]
    urls += [m.group(2) for m in CSS_URL.finditer(rest)]
    return [u.strip() for u in urls if not u.strip().startswith(("data:", "#"))]


def page_weight(port: int, path: str, cookie: str) -> dict:
    """Bytes of the page plus everything it references, as fetched on a first visit."""
    base = f"http://{HOST}:{port}"
    headers = {"Cookie": cookie, "Accept-Encoding": "identity"}
    status, response_headers, body = request(port, "GET", path, headers)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}")
    files = {path: (response_headers.get("Content-Type", ""), body)}
    parser = AssetParser()
    parser.feed(body.decode())
    queue = [urljoin(base + path, u) for u in parser.urls]
    for style in parser.styles:
        queue += [urljoin(base + path, u) for u in css_references(style)]
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != base:
            raise BenchError(f"the plan home references an off-site file: {url}")
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target in files:
            continue
        status, response_headers, content = request(port, "GET", target, headers)
        if status != 200:
            raise BenchError(f"{target}, referenced by the plan home, answered {status}")
        content_type = response_headers.get("Content-Type", "")
        files[target] = (content_type, content)
        if "css" in content_type:
            queue += [urljoin(url, u) for u in css_references(content.decode())]
    raw = sum(len(content) for _, content in files.values())
    compressed = sum(
        len(gzip.compress(content, 6)) if any(t in kind for t in TEXT_TYPES) else len(content)
        for kind, content in files.values()
    )
    for target, (kind, content) in files.items():
        log(f"  {len(content):>8} B  {kind.split(';')[0]:<24} {target}")
    return {
        "kb": raw / 1024,
        "kb_gzip": compressed / 1024,
        "html_kb": len(body) / 1024,
        "files": len(files),
    }


# --- photos and videos ---------------------------------------------------------------------

SLOW_VIDEO_CLIENTS = 4
SLOW_VIDEO_RATE = 1024 * 1024  # bytes per second per client: a phone on a middling connection
PAGE_SAMPLES = 30


def photo_figures() -> None:
    """Time the photo pipeline (bench/photos.py measures in a child process)."""
    log("timing the photo pipeline on a 12-megapixel photo")
    try:
        result = photos.run()
    except subprocess.CalledProcessError as error:
        raise BenchError(f"bench/photos.py failed:\n{(error.stderr or '')[-3000:]}") from error
    figure("photo_ms_median", result["photo_ms_median"])
    figure("photo_peak_rss_mb", result["photo_peak_rss_mb"])


def pdf_figures() -> None:
    """Time the PDF export of a standard plan (bench/pdf.py: its own plan, a child process)."""
    log("timing the PDF export of a standard plan (30 photos of 12 megapixels, 2 videos)")
    try:
        result = pdf.run()
    except (pdf.PdfBenchError, subprocess.SubprocessError) as error:
        raise BenchError(f"bench/pdf.py failed: {error}") from error
    for name, value in result.items():
        figure(name, value)


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
    token, cookie = gallery_form(app.port, plan_id, cookie)
    memory = video.WorkerMemory(children(app.process.pid))
    memory.start()
    if not memory.reset:
        log("the kernel refused to reset VmHWM: the upload's growth may be understated")
    size_mb = big_upload.stat().st_size / 1024 / 1024
    log(f"uploading {size_mb:.0f} MB to /plans/{plan_id}/media")
    status, answer, seconds = video.upload(
        app.port, f"/plans/{plan_id}/media", cookie, token, big_upload, "big-video.mp4"
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
        workers=children(app.process.pid),
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
    threads = runpy.run_path(str(GUNICORN_CONF))["threads"]
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


# --- ticking steps under load ---------------------------------------------------------------


class StepToggler(threading.Thread):
    """Tick steps as the goal page's script does, one request after another, timing each.

    Request i goes to steps[i % len(steps)] with done=1 on that step's odd turns and done=0
    on its even ones, so every request really changes the step (and records an event). Each
    time is the round trip on 127.0.0.1 over one keep-alive connection (as a browser keeps
    one), from sending the request to the last byte of the answer: the server's time,
    including any wait for a free gunicorn thread, plus well under a millisecond of loopback.
    """

    def __init__(
        self,
        port: int,
        step_ids: list[int],
        cookie: str,
        token: str,
        count: int,
        pause: float,
        stop: threading.Event,
    ):
        super().__init__(daemon=True, name="step-toggler")
        self.port, self.step_ids, self.token, self.count = port, step_ids, token, count
        self.pause, self.stop = pause, stop
        self.cookies = Cookies()
        self.cookies.values.update(p.split("=", 1) for p in cookie.split("; ") if "=" in p)
        self.times_ms: list[float] = []
        self.failures: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        conn = None
        try:
            for i in range(self.count):
                if self.stop.is_set():
                    break
                step_id = self.step_ids[i % len(self.step_ids)]
                done = (i // len(self.step_ids)) % 2 == 0
                path = f"/steps/{step_id}/toggle"
                body = urlencode({"csrf_token": self.token, "done": "1" if done else "0"})
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                    "Cookie": self.cookies.header(),
                    "Origin": f"http://{HOST}:{self.port}",
                }
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=15)
                started = time.perf_counter()
                try:
                    conn.request("POST", path, body=body.encode(), headers=headers)
                    response = conn.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException) as error:
                    self.failures.append(f"POST {path}: {error!r}")
                    conn.close()
                    conn = None
                    continue
                self.times_ms.append((time.perf_counter() - started) * 1000)
                self.cookies.update(response.headers)
                self._check(path, done, response, answer)
                if response.will_close:
                    conn.close()
                    conn = None
                self.stop.wait(self.pause)
        except BaseException as error:  # reported by the bench, never lost in the thread
            self.error = error
        finally:
            if conn is not None:
                conn.close()

    def _check(self, path: str, done: bool, response, answer: bytes) -> None:
        kind = response.headers.get("Content-Type", "")
        if response.status != 200 or not kind.startswith("application/json"):
            self.failures.append(f"POST {path} answered {response.status} {kind}: {answer[:200]}")
            return
        try:
            data = json.loads(answer)
        except ValueError:
            self.failures.append(f"POST {path} answered invalid JSON: {answer[:200]}")
            return
        if data.get("done") is not done or "progress_html" not in data:
            self.failures.append(f"POST {path} (done={done:d}) answered {str(data)[:200]}")


def checked_times(toggler: StepToggler) -> list[float]:
    """Return the toggler's times, or refuse them unless every toggle answered as it should."""
    if toggler.error is not None:
        raise BenchError(f"the toggle client failed: {toggler.error!r}")
    if toggler.failures or len(toggler.times_ms) != toggler.count:
        shown = "\n".join(toggler.failures[:5])
        raise BenchError(
            f"{len(toggler.failures)} of {toggler.count} toggles failed "
            f"({len(toggler.times_ms)} answered):\n{shown}"
        )
    return toggler.times_ms


def percentiles(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[94]


def step_toggle_figures(
    app: Server,
    plan_path: str,
    cookie: str,
    toggle_steps: list[tuple[int, int]],
    args: argparse.Namespace,
    script: Path,
) -> None:
    """Tick steps alone, then from a client thread while wrk loads the plan home; report the
    round-trip times of both (the first shows the work, the second adds the wait for the
    GIL and a free thread beside the page load)."""
    goal_id = toggle_steps[0][0]
    token, cookie, page = page_form(app.port, f"/goals/{goal_id}", cookie)
    if f'action="/steps/{toggle_steps[0][1]}/toggle"'.encode() not in page:
        raise BenchError(f"/goals/{goal_id} has no toggle form for step {toggle_steps[0][1]}")
    step_ids = [step_id for _, step_id in toggle_steps]
    stop = threading.Event()

    log(f"ticking {args.toggles_idle} times on steps {step_ids} with nothing else running")
    idle = StepToggler(
        app.port, step_ids, cookie, token, args.toggles_idle, args.toggle_pause, stop
    )
    idle.start()
    idle.join(timeout=60)
    if idle.is_alive():
        stop.set()
        idle.join(timeout=20)
        raise BenchError(f"{args.toggles_idle} toggles did not finish in 60 s")
    idle_p50, idle_p95 = percentiles(checked_times(idle))

    url = app.url(plan_path)
    # Longer than the toggles need; stopped (with SIGINT, so it still reports) once they end.
    limit = 120
    command = wrk_command(url, cookie, limit, args.threads, args.toggle_connections, script)
    log(
        f"ticking {args.toggles} times on steps {step_ids} while wrk loads the plan home "
        f"with {args.toggle_connections} connections"
    )
    toggler = StepToggler(app.port, step_ids, cookie, token, args.toggles, args.toggle_pause, stop)
    load = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)  # let the load settle
        if load.poll() is not None:
            raise BenchError(f"wrk ended at once on {url}:\n{load.communicate()[1]}")
        started = time.monotonic()
        toggler.start()
        toggler.join(timeout=limit - 10)
        seconds = time.monotonic() - started
        if toggler.is_alive():
            raise BenchError(f"{args.toggles} toggles did not finish in {limit - 10} s")
        if load.poll() is not None:
            raise BenchError("wrk stopped before the toggles did: they were not all under load")
        load.send_signal(signal.SIGINT)
        out, err = load.communicate(timeout=15)
    finally:
        stop.set()
        if toggler.is_alive():
            toggler.join(timeout=20)
        if load.poll() is None:
            load.kill()
            load.communicate()
    times = checked_times(toggler)
    loaded = wrk_result(url, load.returncode, out, err, 0)
    p50, p95 = percentiles(times)
    log(
        f"{len(times)} toggles in {seconds:.1f} s, all 200 with JSON: p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(times):.1f} ms; meanwhile the plan home served "
        f"{loaded['rps']:.0f} req/s"
    )
    figure("step_toggle_load", f"wrk -t{args.threads}/-c{args.toggle_connections} on plan home")
    figure("step_toggles", len(times))
    figure("step_toggle_ms_p50", f"{p50:.1f}")
    figure("step_toggle_ms_p95", f"{p95:.1f}")
    figure("step_toggle_ms_max", f"{max(times):.1f}")
    figure("plan_home_rps_during_toggles", f"{loaded['rps']:.0f}")
    figure("step_toggle_idle_ms_p50", f"{idle_p50:.1f}")
    figure("step_toggle_idle_ms_p95", f"{idle_p95:.1f}")


# --- main ---------------------------------------------------------------------------------


def run(args: argparse.Namespace, tmp: Path, servers: list[Server]) -> None:
    started = time.monotonic()
    env = app_environment(tmp)
    log(f"temporary directory {tmp}")
    photo_figures()  # on a quiet machine, before anything else runs
    pdf_figures()
    migrate(env, tmp)
    # From here on this process has the bench's env.
    plan_id, password, flask_app, toggle_steps = seed(env, tmp)
    bench_video, big_upload = make_video_files(env, tmp)
    plan_path = f"/plans/{plan_id}"
    log(f"seeded plan {plan_id}; starting gunicorn twice with {GUNICORN_CONF.name}")

    app = Server("app", "wsgi:app", env, tmp)
    servers.append(app)
    hello = Server("hello", "bench.hello:app", env, tmp)
    servers.append(hello)
    app.wait_ready("/login")
    hello.wait_ready("/")

    cookie = log_in(app.port, YOUTH_LOGIN, password)
    check_plan_home(app.port, plan_path, cookie)
    log("logged in; the plan home shows the plan")

    settings = runpy.run_path(str(GUNICORN_CONF))
    figure("cpu_cores", len(os.sched_getaffinity(0)))
    # Other work on the machine (tests, browsers) moves req/s a lot; the CPU figures less.
    figure("load_average_1m", f"{os.getloadavg()[0]:.1f}")
    figure("gunicorn_workers", settings["workers"])
    figure("gunicorn_threads", settings["threads"])
    figure("wrk", f"-t{args.threads}/-c{args.connections}/-d{args.duration}s/x{args.rounds}")

    weight = page_weight(app.port, plan_path, cookie)

    script = tmp / "count-status.lua"
    script.write_text(WRK_SCRIPT)
    targets = {"hello": (hello, "/"), "plan_home": (app, plan_path)}
    for name, (server, path) in targets.items():
        log(f"warming up {name}")
        wrk(server, path, cookie, args.warmup, args, script)
    results: dict[str, list[dict]] = {name: [] for name in targets}
    for round_no in range(1, args.rounds + 1):
        for name, (server, path) in targets.items():
            result = wrk(server, path, cookie, args.duration, args, script)
            results[name].append(result)
            log(
                f"round {round_no}: {name} {result['rps']:.0f} req/s, "
                f"{result['cpu_ms']:.2f} ms server CPU per request"
            )
    check_plan_home(app.port, plan_path, cookie)  # still logged in: the runs measured the page

    medians = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in results.items()
    }
    for name, runs in results.items():
        figure(f"{name}_rps_rounds", ",".join(f"{r['rps']:.0f}" for r in runs))
    base, page = medians["hello"], medians["plan_home"]
    figure("hello_rps", f"{base['rps']:.0f}")
    figure("plan_home_rps", f"{page['rps']:.0f}")
    figure("plan_home_p50_ms", f"{page['p50_ms']:.1f}")
    figure("plan_home_p99_ms", f"{page['p99_ms']:.1f}")
    figure("hello_cpu_ms", f"{base['cpu_ms']:.3f}")
    figure("plan_home_cpu_ms", f"{page['cpu_ms']:.3f}")
    figure("plan_home_cpu_vs_hello", f"{base['cpu_ms'] / page['cpu_ms']:.2f}")
    figure("plan_home_rps_vs_hello", f"{page['rps'] / base['rps']:.2f}")
    figure("plan_home_html_kb", f"{weight['html_kb']:.1f}")
    figure("plan_home_files", weight["files"])
    figure("plan_home_kb", f"{weight['kb']:.1f}")
    figure("plan_home_kb_gzip", f"{weight['kb_gzip']:.1f}")

    step_toggle_figures(app, plan_path, cookie, toggle_steps, args, script)
    check_plan_home(app.port, plan_path, cookie)

    media_id, video_bytes = store_ready_video(flask_app, plan_id, bench_video)
    log(f"stored and prepared a {video_bytes / 1024 / 1024:.1f} MB video ({media_id})")
    cookie = upload_memory_figures(app, plan_id, cookie, big_upload)
    slow_video_figures(app, plan_path, media_id, cookie)
    check_plan_home(app.port, plan_path, cookie)
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
    servers: list[Server] = []
    try:
        run(args, tmp, servers)
    except (BenchError, video.VideoBenchError, OSError, http.client.HTTPException) as error:
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
