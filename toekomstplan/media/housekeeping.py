"""What a crash or a lost job leaves is cleared: at start, and every ten minutes by a job.

- work in progress older than an hour (a raw upload with its location data, half a video,
  a data export's files) is removed from the work folder;
- a video whose job was lost (the consumer killed mid-transcode) is queued again;
- upload slots and one-time form tokens past their use are deleted;
- stored files whose rows went while the storage was down are deleted (cleanup.py);
- jobs that waited for the job queue while it was unreachable are sent (jobs.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from .. import jobs
from ..extensions import db
from ..models import FormUse, UploadSlot
from ..storage import storage
from . import cleanup, video_jobs
from .inflight import SLOT_MAX_AGE

FORM_USE_KEPT = timedelta(days=1)  # a page open longer than this has an expired CSRF token too


def run() -> None:
    """Do every chore once; each logs what it found for the operator."""
    removed = storage().sweep()
    if removed:
        current_app.logger.warning("removed %d leftovers of crashes: %s", len(removed), removed)
    video_jobs.requeue_lost()
    sent = jobs.send_waiting()
    if sent:
        current_app.logger.warning("sent %d jobs that waited for the job queue", sent)
    deleted = cleanup.retry()
    if deleted:
        current_app.logger.warning("deleted %d stored files left while storage was down", deleted)
    now = datetime.now(UTC)
    db.session.execute(sa.delete(UploadSlot).where(UploadSlot.created_at < now - SLOT_MAX_AGE))
    db.session.execute(sa.delete(FormUse).where(FormUse.created_at < now - FORM_USE_KEPT))
    db.session.commit()


def at_start(app: Flask) -> None:
    """Clear crash leftovers when a process starts; a failure here never stops the start."""
    with app.app_context():
        try:
            removed = storage().sweep()
        except OSError as error:
            app.logger.error("could not clear the work folder at start: %s", error)
            return
    if removed:
        app.logger.warning("removed %d leftovers of crashes at start", len(removed))
