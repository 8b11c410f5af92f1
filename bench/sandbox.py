"""Where the bench runs: loopback only, with its own database, uploads and job queue.

`app_environment` gives the app production settings pointed at a temporary folder, and
`migrate` makes that folder's SQLite database with the project's migrations.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from report import BenchError

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def app_environment(tmp: Path, redis_url: str) -> dict[str, str]:
    """Production settings, pointed at the bench's own database, folders and Redis (the
    throttles' store: production refuses throttles that count per process)."""
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
        RATELIMIT_STORAGE_URI=redis_url,
        # Production sends mail by SMTP; nothing here mails, and were it to, only loopback.
        MAIL_SERVER=HOST,
        MAIL_PORT="1",
        BASE_URL=f"http://{HOST}",
        FLASK_APP="wsgi.py",
        PYTHONUNBUFFERED="1",
    )
    return env


def migrate(env: dict[str, str], tmp: Path) -> None:
    """Make the bench's database with `flask db upgrade`; its output goes to migrate.log."""
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
