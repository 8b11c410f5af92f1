"""Demo data for `make run`: Sanne with a filled plan, and Mo, her support worker.

`flask demo` calls `ensure()`. The plan is described in content.py and made by builder.py,
the same builder `make bench` and the browser tests use.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..comments import services as comments
from ..extensions import db
from ..models import Plan, Share, ShareRole, User, UserKind
from ..passwords import hash_password
from . import content
from .builder import build

YOUTH_LOGIN = "sanne"
WORKER_LOGIN = "begeleider@example.org"


def logins_path() -> Path:
    return Path(current_app.instance_path) / "demo-logins.txt"


def _accounts(youth_password: str, worker_password: str) -> tuple[Plan, User]:
    """Make Sanne with her (empty) plan and her worker Mo; return her plan and Mo."""
    youth = User(
        kind=UserKind.YOUTH,
        name="Sanne",
        username=YOUTH_LOGIN,
        password_hash=hash_password(youth_password),
        locale="nl",
    )
    plan = Plan(cover_title="Mijn toekomst")
    youth.plan = plan
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
    return plan, worker


def _share_with_worker(plan: Plan, worker: User) -> None:
    """Share the plan with Mo and start a conversation on the first goal."""
    share = Share(
        plan_id=plan.id, user_id=worker.id, role=ShareRole.WORKER, label="Mo, mijn begeleider"
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
    youth_password = "zon-" + secrets.token_urlsafe(6)
    worker_password = "koffie-" + secrets.token_urlsafe(6)
    plan, worker = _accounts(youth_password, worker_password)
    with tempfile.TemporaryDirectory() as workdir:
        build(plan, content.sanne(with_video=True), Path(workdir))
    db.session.refresh(plan)
    _share_with_worker(plan, worker)
    text = (
        f"  Young person:   {YOUTH_LOGIN} / {youth_password}\n"
        f"  Support worker: {WORKER_LOGIN} / {worker_password}\n"
    )
    _write_logins(text)
    return text
