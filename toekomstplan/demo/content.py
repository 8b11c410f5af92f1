"""The demo plan of Sanne, 16, in her own words (Dutch, like the young people who use it)."""

from . import pictures
from .builder import GoalSpec, MediaSpec, PlanSpec

INTRO = """Hoi! Ik ben Sanne, ik ben 16 jaar en ik woon in Zwolle. 🌻

Ik hou van tekenen en van muziek.
Later wil ik graag iets met kinderen doen, misschien op een kinderopvang.

Dit plan is van mij. Hier staat wat ik wil, wat ik goed kan en hoe ver ik ben."""

ABOUT = (
    ("quality", "Ik ben eerlijk"),
    ("quality", "Ik help mijn vrienden als het moeilijk is"),
    ("quality", "Ik geef niet snel op"),
    ("talent", "Tekenen, vooral mensen en dieren"),
    ("talent", "Ik kan goed met kleine kinderen omgaan"),
    ("hobby", "Gitaar spelen 🎸"),
    ("hobby", "Wandelen met de hond van de buren"),
)
LANDSCAPE, SUNFLOWER, GUITAR, ANIMATION = range(4)
MEDIA = (
    MediaSpec("zonsopgang.jpg", "Mijn tekening van de zonsopgang", make=pictures.landscape),
    MediaSpec("zonnebloem.png", "Zonnebloem, getekend op mijn kamer", make=pictures.sunflower),
    MediaSpec("gitaar.jpg", "Mijn gitaar 🎸", make=pictures.guitar),
)
VIDEO = MediaSpec("animatie.mp4", "Mijn animatie bij informatica", make=pictures.animation)

GOALS = (
    GoalSpec(
        title="Ik wil een bijbaan vinden",
        why="Dan heb ik mijn eigen geld en leer ik nieuwe mensen kennen.",
        helpers="Mo, mijn begeleider",
        steps=(
            "Mijn cv maken",
            "Vacatures zoeken",
            "Een brief sturen naar de bakker",
            "Een gesprek oefenen met Mo",
        ),
        done=2,
        ratings=("good",),
        evidence=((GUITAR, 0),),
    ),
    GoalSpec(
        title="Ik wil leren koken voor mezelf",
        why="Later woon ik op mezelf en wil ik niet elke dag patat.",
        helpers="Tante Ria",
        steps=(
            "Drie makkelijke recepten kiezen",
            "Samen boodschappen doen",
            "Eén keer per week zelf koken",
            "Een keer koken voor de groep",
        ),
        done=1,
        ratings=("bit",),
    ),
    GoalSpec(
        title="Ik wil beter slapen",
        why="Dan ben ik op school minder moe.",
        helpers="De huisarts",
        estimate=25,
        ratings=("not_yet",),
    ),
    GoalSpec(
        title="Ik wil elke week gitaar spelen",
        why="Muziek maken maakt me rustig.",
        steps=("Een gitaar lenen", "Drie akkoorden leren", "Een heel liedje spelen"),
        done=3,
        status="achieved",
    ),
)


def sanne(with_video: bool) -> PlanSpec:
    """Describe Sanne's plan: a drawn cover, photos with captions, four goals, a video."""
    return PlanSpec(
        title="Mijn toekomst",
        subtitle="Stap voor stap naar mijn eigen plek",
        theme="ocean",
        layout="band",
        intro=INTRO,
        about=ABOUT,
        media=MEDIA + ((VIDEO,) if with_video else ()),
        cover_photo=LANDSCAPE,
        intro_media=(SUNFLOWER,),
        about_media=((SUNFLOWER, 3), (GUITAR, 5)),
        goals=GOALS,
        history_days=35,
    )
