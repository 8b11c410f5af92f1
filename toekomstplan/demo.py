"""Demo data: a young person with a filled plan and a support worker, for `make run`."""

import os
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from . import demo_media, demo_sharing
from .extensions import db
from .models import AboutItem, Plan, User, UserKind
from .passwords import hash_password

YOUTH_LOGIN = "sanne"
WORKER_LOGIN = "begeleider@example.org"

INTRO = """Hoi! Ik ben Sanne, ik ben 16 jaar en ik woon in Zwolle. 🌻

Ik hou van tekenen en van muziek.
Later wil ik graag iets met kinderen doen, misschien op een kinderopvang.

Dit plan is van mij. Hier staat wat ik wil, wat ik goed kan en hoe ver ik ben."""

ABOUT = [
    ("quality", "Ik ben eerlijk"),
    ("quality", "Ik help mijn vrienden als het moeilijk is"),
    ("quality", "Ik geef niet snel op"),
    ("talent", "Tekenen, vooral mensen en dieren"),
    ("talent", "Ik kan goed met kleine kinderen omgaan"),
    ("hobby", "Gitaar spelen 🎸"),
    ("hobby", "Wandelen met de hond van de buren"),
]


def logins_path() -> Path:
    return Path(current_app.instance_path) / "demo-logins.txt"


def ensure() -> str | None:
    """Create the demo accounts if they do not exist; return their log-ins when created."""
    if db.session.scalar(sa.select(User.id).where(User.username == YOUTH_LOGIN)):
        return None
    youth_password = "zon-" + secrets.token_urlsafe(6)
    worker_password = "koffie-" + secrets.token_urlsafe(6)
    youth = User(
        kind=UserKind.YOUTH,
        name="Sanne",
        username=YOUTH_LOGIN,
        password_hash=hash_password(youth_password),
        locale="nl",
    )
    youth.plan = Plan(
        cover_title="Mijn toekomst",
        cover_subtitle="Stap voor stap naar mijn eigen plek",
        cover_theme="ocean",
        cover_layout="band",
        intro_text=INTRO,
        about_items=[
            AboutItem(kind=kind, text=text, position=i) for i, (kind, text) in enumerate(ABOUT)
        ],
    )
    worker = User(
        kind=UserKind.SUPPORTER,
        name="Mo (begeleider)",
        email=WORKER_LOGIN,
        email_confirmed=True,
        notify_by_mail=True,
        password_hash=hash_password(worker_password),
        locale="nl",
    )
    db.session.add_all([youth, worker])
    db.session.commit()
    demo_media.add_to(youth.plan)
    demo_sharing.add(youth.plan, worker)
    text = (
        f"  Young person:   {YOUTH_LOGIN} / {youth_password}\n"
        f"  Support worker: {WORKER_LOGIN} / {worker_password}\n"
    )
    path = logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    return text
