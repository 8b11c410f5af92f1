"""The bench's plan, described for the project's plan builder and made with the app's services.

Noor's plan: a cover, an introduction, "about me", and 10 goals of 3-6 steps with a history of
ticked steps and ratings over eight weeks, and six photos (drawn with Pillow by
`toekomstplan.demo.pictures.photo_like`, stored through the upload pipeline, so every variant
exists) shown as evidence on goals and steps. The step the bench ticks under load is the
first one left open in each of the first four goals.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from flask import Flask

from report import BenchError
from toekomstplan import create_app
from toekomstplan.auth import services as auth_services
from toekomstplan.demo.builder import GoalSpec, MediaSpec, PlanSpec, build
from toekomstplan.demo.pictures import photo_like
from toekomstplan.extensions import db
from toekomstplan.jobs import huey
from toekomstplan.media import services as media_services
from toekomstplan.models import Media, MediaStatus, Plan

YOUTH_LOGIN = "bench-youth"
PLAN_TITLE = "Mijn toekomst in Zwolle"
INTRO = """Hoi! Ik ben Noor, ik ben 17 jaar en ik woon sinds een jaar in Zwolle, in een \
groep met vijf andere jongeren. Ik zit op het mbo en ik doe de opleiding helpende zorg en welzijn.

Ik hou van tekenen, van muziek maken en van lange wandelingen met de hond van mijn tante. \
Als het even niet goed gaat, helpt het mij om buiten te zijn of om iets te maken met mijn handen.

Later wil ik graag met kinderen werken, misschien op een kinderopvang of op een basisschool. \
Eerst wil ik mijn diploma halen en een bijbaan vinden, zodat ik kan sparen voor een eigen kamer.

Dit plan is van mij. Hier staat wat ik wil, wat ik goed kan en hoe ver ik al ben."""
ABOUT = (
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
)


def _photo(number: int, name: str, caption: str, colours: tuple) -> MediaSpec:
    return MediaSpec(name, caption, make=partial(photo_like, number=number, colours=colours))


# Photos the young person took (1600x1200, as a phone resized them before the upload).
CV, VACANCY, INTERNSHIP, LASAGNE, THEORY, DRAWING = range(6)
PHOTOS = (
    _photo(CV, "cv.jpg", "Mijn cv, af!", ((46, 106, 79), (244, 162, 89))),
    _photo(VACANCY, "vacature.jpg", "De vacature bij de bakker", ((29, 78, 137), (255, 226, 120))),
    _photo(INTERNSHIP, "stage.jpg", "Op mijn stage", ((168, 218, 220), (200, 110, 40))),
    _photo(LASAGNE, "lasagne.jpg", "Mijn eerste lasagne", ((200, 80, 40), (255, 240, 200))),
    _photo(
        THEORY, "theorie.jpg", "Proefexamen: 32 van de 35 goed", ((90, 50, 120), (240, 240, 240))
    ),
    _photo(DRAWING, "tekening.jpg", "Mijn tekening van Lotte", ((255, 248, 231), (120, 70, 20))),
)

# Ten goals of 3-6 steps; evidence is (photo, step index or None for the goal itself). The
# last two goals are achieved and paused.
GOALS = (
    GoalSpec(
        title="Ik wil een bijbaan vinden",
        why="Dan heb ik mijn eigen geld en leer ik nieuwe mensen kennen.",
        helpers="Mo, mijn begeleider",
        steps=("Mijn cv maken", "Vacatures zoeken", "Een brief sturen naar de bakker",
               "Een gesprek oefenen met Mo", "Op gesprek gaan"),
        done=2, undo=1, ratings=("not_yet", "bit", "good"),
        evidence=((CV, None), (VACANCY, 0)),
    ),
    GoalSpec(
        title="Ik wil mijn diploma helpende zorg en welzijn halen",
        why="Dan kan ik later met kinderen werken.",
        helpers="Mijn mentor, juf Sanne",
        steps=("Elke week mijn planning maken", "Mijn stage-uren bijhouden",
               "Het verslag van mijn stage schrijven", "Het examen oefenen"),
        done=2, ratings=("bit", "good"),
        evidence=((INTERNSHIP, 1),),
    ),
    GoalSpec(
        title="Ik wil leren koken voor mezelf",
        why="Later woon ik op mezelf en wil ik niet elke dag patat.",
        helpers="Tante Ria",
        steps=("Drie makkelijke recepten kiezen", "Samen boodschappen doen",
               "Eén keer per week zelf koken", "Een keer koken voor de groep"),
        done=3, undo=1, ratings=("not_yet", "bit"),
        evidence=((LASAGNE, None), (LASAGNE, 2)),
    ),
    GoalSpec(
        title="Ik wil sparen voor een eigen kamer",
        why="Ik wil een plek voor mezelf, met mijn eigen spullen.",
        helpers="Mo, mijn begeleider",
        steps=("Een spaarrekening openen", "Elke maand 50 euro opzij zetten",
               "Uitzoeken wat een kamer kost"),
        done=1, ratings=("bit",),
    ),
    GoalSpec(
        title="Ik wil beter slapen",
        why="Dan ben ik op school minder moe.",
        helpers="De huisarts",
        steps=("Om elf uur mijn telefoon wegleggen", "Een slaapdagboek bijhouden",
               "Met de huisarts praten"),
        done=1, undo=1, ratings=("not_yet", "bit", "not_yet"),
    ),
    GoalSpec(
        title="Ik wil mijn rijbewijs voor de scooter halen",
        why="Dan kan ik zelf naar mijn stage en naar mijn tante.",
        helpers="Mijn oom",
        steps=("Het theorieboek lenen", "Elke dag tien vragen oefenen",
               "Een proefexamen doen", "Het theorie-examen aanvragen",
               "Rijlessen plannen", "Het praktijkexamen doen"),
        done=2, ratings=("bit", "good"),
        evidence=((THEORY, 1),),
    ),
    GoalSpec(
        title="Ik wil elke week sporten",
        why="Als ik beweeg, voel ik me beter.",
        helpers="Mijn vriendin Lotte",
        steps=("Een sport kiezen", "Een proefles doen", "Lid worden van de club"),
        done=1, ratings=("good", "bit"),
    ),
    GoalSpec(
        title="Ik wil mijn tekeningen laten zien",
        why="Ik ben trots op wat ik maak.",
        helpers="De juf van tekenen",
        steps=("Mijn beste tekeningen kiezen", "Een map maken", "Ze ophangen in de gang",
               "Een tekening geven aan oma"),
        done=2, ratings=("good",),
        evidence=((DRAWING, None), (CV, 0)),
    ),
    GoalSpec(
        title="Ik wil elke week gitaar spelen",
        why="Muziek maken maakt me rustig.",
        steps=("Een gitaar lenen", "Drie akkoorden leren", "Een heel liedje spelen"),
        done=3, ratings=("bit", "good"), status="achieved",
        evidence=((DRAWING, 2),),
    ),
    GoalSpec(
        title="Ik wil vrijwilligerswerk doen bij de kinderboerderij",
        why="Ik ben graag buiten en bij dieren.",
        helpers="Mo, mijn begeleider",
        steps=("Bellen met de kinderboerderij", "Een middag meelopen",
               "Afspreken welke dag ik kom"),
        done=1, ratings=("not_yet",), status="paused",
    ),
)  # fmt: skip
TOGGLE_GOALS = range(4)  # the goals whose first open step the bench ticks under load

PLAN = PlanSpec(
    title=PLAN_TITLE,
    subtitle="Stap voor stap naar een eigen plek",
    theme="ocean",
    layout="band",
    intro=INTRO,
    about=ABOUT,
    media=PHOTOS,
    goals=GOALS,
    history_days=56,
)


@dataclass
class Seeded:
    app: Flask  # the app this process seeded with, for the video stored later
    plan_id: int
    password: str
    toggle_steps: list[tuple[int, int]]  # (goal id, step id) pairs to tick under load


def seed(env: dict[str, str], tmp: Path) -> Seeded:
    """Create the young person and build PLAN for them; from here on this process has the
    bench's environment."""
    os.environ.update(env)
    password = "bench-" + secrets.token_urlsafe(12)
    app = create_app()
    with app.test_request_context():
        try:
            youth = auth_services.register_youth(
                "Noor", YOUTH_LOGIN, password, locale="nl", plan_title="Mijn plan"
            )
            built = build(youth.plan, PLAN, tmp)
            for media_id in built.media:
                if db.session.get(Media, media_id).file("thumb") is None:
                    raise BenchError(f"the stored photo {media_id} has no thumbnail")
            toggle_steps = [(built.goals[g], built.steps[g][GOALS[g].done]) for g in TOGGLE_GOALS]
        finally:
            db.session.remove()
            db.engine.dispose()
    return Seeded(app, built.plan_id, password, toggle_steps)


def store_ready_video(app: Flask, plan_id: int, source: Path) -> tuple[str, int]:
    """Store `source` in the plan with the app's services and prepare it at once, in this
    process (the job queue runs its tasks immediately); return (media id, MP4 bytes).

    Done after the wrk runs: the plan home shows recent videos, and the figures above stay
    comparable with earlier runs only if the plan is the same as before.
    """
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
