"""Benchmark the PDF export of a standard plan: time, size, memory, and against Chromium.

`run()` makes a temporary folder with its own SQLite database (the models' schema) and upload
store, and has the project's plan builder (toekomstplan.demo.builder) fill a standard plan
through the app's own services: a cover photo, an introduction, "about me", 10 goals of 3-6
steps with a history of ticked steps and ratings over eight weeks, 30 photos of 12 megapixels
(bench/photos.py's generator; stored through the upload pipeline, so the print variant is
what the PDF embeds) shown as evidence on the goals and their steps, and two videos
(bench/video.py's generator, prepared by the job queue at once) on the introduction.

A child process then renders the whole-plan PDF (export.services.make_pdf, as the download
does) once to warm up and RUNS times measured, and reports:

    pdf_s_median      median seconds per PDF (target <= 1.5), in a process that made a PDF
                      before: its fonts and stylesheet are loaded and the plan's scaled photos
                      cached (export/render.py), as for the next download of the same plan
    pdf_s_first       the process's first PDF, fonts, stylesheet and photo scaling included
                      (importing WeasyPrint, about 2 s, happens when the app starts)
    pdf_mb            the PDF's size (target <= 4)
    pdf_pages         its pages
    pdf_peak_rss_mb   the child's resident high-water mark, VmHWM (target <= 250): app,
                      WeasyPrint and the renders together, not a growth figure
    pdf_vs_chromium   WeasyPrint's median over Chromium's (target <= 0.5): the same HTML, with
                      its stylesheet, fonts and photos written to a temporary folder, printed
                      by `chromium --headless --print-to-pdf` from a file:// URL, RUNS times

Chromium's time includes starting the browser, as a server that printed with it would pay.
Run this file to print the figures as `name=value` lines; `bench/run.py` calls `run()`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import photos
import video
from procfs import peak_rss_kb
from report import BenchError, figures
from sandbox import ROOT

RUNS = 5
PHOTOS = 30
DISTINCT_PHOTOS = 6  # each generated photo is stored five times (every upload is its own)
CHROMIUM = "/usr/bin/chromium"

INTRO = """Hoi! Ik ben Noor 👋, ik ben 17 jaar en ik woon sinds een jaar in Zwolle, in een \
groep met vijf andere jongeren. Ik zit op het mbo en ik doe de opleiding helpende zorg en welzijn.

Ik hou van tekenen 🎨, van muziek maken en van lange wandelingen met de hond van mijn tante. \
Als het even niet goed gaat, helpt het mij om buiten te zijn of om iets te maken met mijn handen.

Later wil ik graag met kinderen werken, misschien op een kinderopvang of op een basisschool. \
Eerst wil ik mijn diploma halen en een bijbaan vinden, zodat ik kan sparen voor een eigen kamer."""
ABOUT = [
    ("quality", "Ik ben eerlijk, ook als dat moeilijk is"),
    ("quality", "Ik help mijn vrienden als het tegenzit"),
    ("talent", "Tekenen, vooral mensen en dieren"),
    ("talent", "Ik kan goed met kleine kinderen omgaan"),
    ("hobby", "Gitaar spelen 🎸"),
    ("hobby", "Wandelen met Bobbie, de hond van mijn tante"),
]
GOALS = [
    ("Ik wil een bijbaan vinden", ["Mijn cv maken", "Vacatures zoeken",
     "Een brief sturen naar de bakker", "Een gesprek oefenen met Mo", "Op gesprek gaan"], 2),
    ("Ik wil mijn diploma halen", ["Elke week mijn planning maken", "Mijn stage-uren bijhouden",
     "Het verslag schrijven", "Het examen oefenen"], 2),
    ("Ik wil leren koken voor mezelf", ["Drie recepten kiezen", "Samen boodschappen doen",
     "Eén keer per week zelf koken", "Koken voor de groep"], 3),
    ("Ik wil sparen voor een eigen kamer", ["Een spaarrekening openen",
     "Elke maand 50 euro opzij zetten", "Uitzoeken wat een kamer kost"], 1),
    ("Ik wil beter slapen", ["Om elf uur mijn telefoon wegleggen", "Een slaapdagboek bijhouden",
     "Met de huisarts praten"], 1),
    ("Ik wil mijn scooterrijbewijs halen", ["Het theorieboek lenen", "Elke dag tien vragen",
     "Een proefexamen doen", "Het examen aanvragen", "Rijlessen plannen",
     "Het praktijkexamen doen"], 2),
    ("Ik wil elke week sporten", ["Een sport kiezen", "Een proefles doen",
     "Lid worden van de club"], 1),
    ("Ik wil mijn tekeningen laten zien", ["Mijn beste tekeningen kiezen", "Een map maken",
     "Ze ophangen in de gang", "Een tekening geven aan oma"], 2),
    ("Ik wil elke week gitaar spelen", ["Een gitaar lenen", "Drie akkoorden leren",
     "Een heel liedje spelen"], 3),
    ("Ik wil vrijwilligerswerk doen", ["Bellen met de kinderboerderij", "Een middag meelopen",
     "Afspreken welke dag ik kom"], 1),
]  # fmt: skip
RATINGS = ["not_yet", "bit", "good"]


class PdfBenchError(BenchError):
    """The PDF bench could not run."""


def environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TOEKOMSTPLAN_ENV="development",
        SECRET_KEY="pdf-bench-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp / 'pdf.sqlite'}",
        UPLOAD_DIR=str(tmp / "uploads"),
        HUEY_DB=str(tmp / "huey.sqlite"),
        BASE_URL="https://toekomstplan.example",
        PYTHONPATH=str(ROOT),
    )
    return env


def _app():
    from toekomstplan import create_app

    return create_app({"TESTING": False, "BABEL_DEFAULT_LOCALE": "nl"})


def standard_plan(photo_sources: list[Path]):
    """Describe the standard plan: PHOTOS photos made from `photo_sources`, each shown once
    (18 on ticked steps, 12 on the goals themselves), and two videos on the introduction."""
    from toekomstplan.demo.builder import GoalSpec, MediaSpec, PlanSpec

    pictures = tuple(
        MediaSpec(f"foto-{n}.jpg", f"Foto {n + 1}", source=photo_sources[n % len(photo_sources)])
        for n in range(PHOTOS)
    )
    clips = tuple(
        MediaSpec(f"clip-{n}.mp4", make=partial(video.make_video, seconds=4)) for n in range(2)
    )
    photo_numbers = iter(range(PHOTOS))
    goals = []
    for number, (title, steps, done) in enumerate(GOALS):
        on_steps = [(next(photo_numbers), index) for index in range(done)]
        on_goal = [(next(photo_numbers), None) for _ in range(2 if number < 2 else 1)]
        goals.append(
            GoalSpec(
                title=title,
                why="Omdat ik dat echt wil.",
                helpers="Mo",
                steps=tuple(steps),
                done=done,
                ratings=tuple(RATINGS[(number + index) % 3] for index in range(done)),
                evidence=tuple(on_steps + on_goal),
                status="achieved" if number == 8 else None,
            )
        )
    return PlanSpec(
        title="Mijn toekomst in Zwolle 🚀",
        subtitle="Stap voor stap naar een eigen plek",
        theme="ocean",
        layout="band",
        intro=INTRO,
        about=ABOUT,
        media=pictures + clips,
        cover_photo=0,
        intro_media=tuple(range(PHOTOS, PHOTOS + len(clips))),
        goals=tuple(goals),
        history_days=56,
    )


def seed(tmp: Path) -> None:
    """Make the standard plan with the plan builder (in this process, the bench's env)."""
    from toekomstplan.demo.builder import build
    from toekomstplan.extensions import db
    from toekomstplan.jobs import huey
    from toekomstplan.models import Media, Plan, User, UserKind
    from toekomstplan.passwords import hash_password

    huey.immediate = True  # the videos are prepared at once, in this process
    sources = []
    for number in range(DISTINCT_PHOTOS):
        path = tmp / f"phone-{number}.jpg"
        photos.make_phone_photo(path)
        sources.append(path)
    app = _app()
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        try:
            db.create_all()
            user = User(kind=UserKind.YOUTH, name="Noor", username="noor", password_hash="")
            user.password_hash = hash_password("pdf-bench-password")
            user.plan = Plan(cover_title="Mijn toekomst")
            db.session.add(user)
            db.session.commit()
            built = build(user.plan, standard_plan(sources), tmp)
            for media_id in built.media[PHOTOS:]:
                clip = db.session.get(Media, media_id)
                if not clip.is_ready:
                    raise PdfBenchError(f"a bench video is {clip.status} ({clip.failure})")
        finally:
            db.session.remove()
            db.engine.dispose()


def child(tmp: Path) -> dict:
    """Render the standard plan's PDF RUNS times; write its HTML and files for Chromium."""
    import sqlalchemy as sa

    from toekomstplan.export import contents, services
    from toekomstplan.extensions import db
    from toekomstplan.models import Plan

    app = _app()
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        plan = db.session.scalar(sa.select(Plan).limit(1))
        owner = plan.owner
        start = time.perf_counter()
        pdf = services.make_pdf(plan, owner)  # the process's first: fonts, stylesheet, photos
        first = time.perf_counter() - start
        times = []
        for _ in range(RUNS):
            db.session.expire_all()  # every render reads the plan afresh, like a request
            start = time.perf_counter()
            pdf = services.make_pdf(plan, owner)
            times.append(time.perf_counter() - start)
        (tmp / "plan.pdf").write_bytes(pdf)
        html = services.html(contents.collect(plan, owner))
        write_for_chromium(html, tmp / "chromium", plan)
    return {"first": first, "times": times, "bytes": len(pdf), "peak_rss_mb": peak_rss_kb() / 1024}


def write_for_chromium(html: str, folder: Path, plan) -> None:
    """Write the PDF's HTML with its files beside it, every "tp:" URL made a relative path."""
    from toekomstplan.export import print_photos, render
    from toekomstplan.models import Media
    from toekomstplan.storage import storage

    static = ROOT / "toekomstplan" / "static"
    (folder / "fonts").mkdir(parents=True)
    (folder / "media").mkdir()
    for font in (static / "fonts").glob("*.ttf"):
        shutil.copyfile(font, folder / "fonts" / font.name)
    css = (static / "css" / "print.css").read_text().replace("tp:static/fonts/", "fonts/")
    (folder / "print.css").write_text(css)
    for media in plan.media:
        stored = media.file(render.MEDIA_VARIANT) if isinstance(media, Media) else None
        if stored is not None:
            with storage().open(stored.key) as src:
                jpeg = src.read()
            for scale in render.SCALES.values():
                path = folder / "media" / f"{media.id}-{scale}.jpg"
                path.write_bytes(print_photos.scaled(jpeg, scale))
    html = html.replace("</head>", '<link rel="stylesheet" href="print.css"></head>', 1)
    html = re.sub(r"tp:media/([A-Za-z0-9_-]+)/print/(\d)", r"media/\1-\2.jpg", html)
    (folder / "plan.html").write_text(html)


def chromium_times(folder: Path) -> list[float]:
    if not Path(CHROMIUM).exists():
        raise PdfBenchError(f"{CHROMIUM} is missing: scripts/ensure-system-deps chromium")
    url = (folder / "plan.html").as_uri()
    times = []
    for number in range(RUNS + 1):
        out = folder / f"chromium-{number}.pdf"
        command = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={out}", url,
        ]  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, timeout=120, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0 or not out.is_file():
            tail = done.stderr.decode(errors="replace")[-2000:]
            raise PdfBenchError(f"chromium could not print the plan:\n{tail}")
        if number:  # the first run warms the disk cache and makes the profile
            times.append(elapsed)
    return times


def run() -> dict:
    """Seed the standard plan, measure in a child process, print with Chromium; figures."""
    with tempfile.TemporaryDirectory(prefix="toekomstplan-pdf-") as name:
        tmp = Path(name)
        env = environment(tmp)
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            seed(tmp)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(tmp)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise PdfBenchError(f"the PDF bench child failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        chromium = statistics.median(chromium_times(tmp / "chromium"))
        pages = subprocess.run(
            ["pdfinfo", str(tmp / "plan.pdf")], capture_output=True, text=True, check=False
        ).stdout
        match = re.search(r"^Pages:\s+(\d+)", pages, re.MULTILINE)
        median = statistics.median(result["times"])
        if os.environ.get("PDF_BENCH_KEEP"):
            shutil.copyfile(tmp / "plan.pdf", os.environ["PDF_BENCH_KEEP"])
    return {
        "pdf_s_median": round(median, 3),
        "pdf_s_runs": ",".join(f"{t:.3f}" for t in result["times"]),
        "pdf_s_first": round(result["first"], 3),
        "pdf_mb": round(result["bytes"] / 1024 / 1024, 2),
        "pdf_pages": int(match.group(1)) if match else "?",
        "pdf_peak_rss_mb": round(result["peak_rss_mb"], 1),
        "pdf_chromium_s_median": round(chromium, 3),
        "pdf_vs_chromium": round(median / chromium, 2),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(Path(sys.argv[2]))))
    else:
        figures(run())
