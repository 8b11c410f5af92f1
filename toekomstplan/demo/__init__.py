"""Demo data for `make run`: Sanne with a filled plan, Mo, her support worker at the
organisation Jeugdformaat (team Noord), and Ilse, her mother, who only looks along; around
them Jeugdformaat's admin, team lead and other workers, two more young people
(organisation.py), and the rest of Mo's caseload (caseload.py).

`flask demo` calls `ensure()`. The plan is described in content.py and made by builder.py,
the same builder `make bench` and the browser tests use.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyotp
import sqlalchemy as sa
from flask import current_app

from ..auth import spare_key
from ..comments import services as comments
from ..extensions import db
from ..models import (
    Membership,
    Plan,
    Share,
    ShareRole,
    User,
    UserKind,
)
from ..passwords import hash_password
from ..sharing import ending
from . import caseload, content, organisation
from .builder import build

YOUTH_LOGIN = "sanne"
WORKER_LOGIN = "begeleider@example.org"
VIEWER_LOGIN = "moeder@example.org"
ADMIN_LOGIN = "beheer@example.org"


def logins_path() -> Path:
    return Path(current_app.instance_path) / "demo-logins.txt"


def _supporter(name: str, email: str, password: str) -> User:
    return User(
        kind=UserKind.SUPPORTER,
        name=name,
        email=email,
        email_confirmed=True,
        notify_by_mail=True,
        password_hash=hash_password(password),
        locale="nl",
    )


def _accounts(passwords: dict[str, str]) -> tuple[Plan, User, User]:
    """Make Sanne with her (empty) plan, Mo and Ilse; return her plan, Mo and Ilse."""
    youth = User(
        kind=UserKind.YOUTH,
        name="Sanne",
        username=YOUTH_LOGIN,
        password_hash=hash_password(passwords[YOUTH_LOGIN]),
        locale="nl",
    )
    plan = Plan(cover_title="Mijn toekomst")
    youth.plan = plan
    worker = _supporter("Mo (begeleider)", WORKER_LOGIN, passwords[WORKER_LOGIN])
    viewer = _supporter("Ilse", VIEWER_LOGIN, passwords[VIEWER_LOGIN])
    db.session.add_all([youth, worker, viewer])
    db.session.commit()
    return plan, worker, viewer


def _share_with_worker(plan: Plan, worker: User, membership: Membership) -> None:
    """Share the plan with Mo (through his place at Jeugdformaat) and start a conversation
    on the first goal."""
    share = Share(
        plan_id=plan.id,
        user_id=worker.id,
        role=ShareRole.WORKER,
        label="Mo, mijn begeleider",
        membership_id=membership.id,
    )
    db.session.add(share)
    db.session.commit()
    goal = plan.goals[0]
    first = comments.add_comment(
        goal, worker, "Goed dat je je cv af hebt! Zullen we donderdag samen de brief schrijven?"
    )
    comments.add_comment(goal, plan.owner, "Ja, graag. Na school kan ik.", parent=first)
    comments.suggest(plan, worker, "Je cv laten lezen door je mentor", goal=goal)
    comments.set_worker_rating(goal, worker, "good")
    # The worker's last visit was a week ago: the overview shows what changed since.
    share.last_visit_at = datetime.now(UTC) - timedelta(days=7)
    db.session.commit()


def _share_with_viewer(plan: Plan, viewer: User) -> None:
    """Let Ilse look along: no photos, and not the talk between Sanne and Mo (the default),
    until six days from now: Sanne's plan home asks whether it may go on (sharing job)."""
    db.session.add(
        Share(
            plan_id=plan.id,
            user_id=viewer.id,
            role=ShareRole.VIEWER,
            label="mijn moeder",
            sees_media=False,
            last_day=date.today() + timedelta(days=6),
        )
    )
    db.session.commit()
    ending.warn_soon()


def _write_logins(text: str) -> None:
    path = logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def ensure() -> str | None:
    """Create the demo accounts if they do not exist; return their log-ins when created."""
    if db.session.scalar(sa.select(User.id).where(User.username == YOUTH_LOGIN)):
        return None
    passwords = {
        YOUTH_LOGIN: "zon-" + secrets.token_urlsafe(6),
        WORKER_LOGIN: "koffie-" + secrets.token_urlsafe(6),
        VIEWER_LOGIN: "thee-" + secrets.token_urlsafe(6),
        ADMIN_LOGIN: "kantoor-" + secrets.token_urlsafe(6),
    }
    plan, worker, viewer = _accounts(passwords)
    with tempfile.TemporaryDirectory() as workdir:
        build(plan, content.sanne(with_video=True), Path(workdir))
    db.session.refresh(plan)
    admin = _supporter("Anja (beheerder)", ADMIN_LOGIN, passwords[ADMIN_LOGIN])
    admin.totp_secret = pyotp.random_base32()  # an admin's pages need two-step log-in
    admin.totp_enabled_at = datetime.now(UTC)
    db.session.add(admin)
    mo_place = organisation.create(worker, admin, passwords)
    _share_with_worker(plan, worker, mo_place)
    _share_with_viewer(plan, viewer)
    with tempfile.TemporaryDirectory() as workdir:
        organisation.young_people(mo_place.organisation, passwords, Path(workdir))
        caseload.create(mo_place, Path(workdir))
    organisation.stand_in(mo_place)
    organisation.care_finished(mo_place.organisation)
    key = spare_key.give_new(plan.owner)
    text = (
        f"  Young person:   {YOUTH_LOGIN} / {passwords[YOUTH_LOGIN]}\n"
        f"  Support worker: {WORKER_LOGIN} / {passwords[WORKER_LOGIN]}\n"
        f"  Parent:         {VIEWER_LOGIN} / {passwords[VIEWER_LOGIN]}\n"
        f"  Organisation admin: {ADMIN_LOGIN} / {passwords[ADMIN_LOGIN]}\n"
        f"  The admin's two-step key (type it into an authenticator app): {admin.totp_secret}\n"
        f"  Sanne's spare key for a new password: {key.upper()}\n"
        "  More people of Jeugdformaat:\n"
        + "".join(
            f"    {label}: {login} / {passwords[login]}\n"
            for label, login in organisation.MORE_LOGINS
        )
        + f"  Mo's start link for a new young person (works once): "
        f"{organisation.start_link(mo_place)}\n"
    )
    _write_logins(text)
    return text
