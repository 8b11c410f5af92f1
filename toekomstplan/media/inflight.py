"""Uploads in flight: the quota reserved before a byte is written, a few at a time a person.

Every upload first takes a slot (a row every process and host sees) for the bytes it says it
brings (Content-Length). Taking it is serialised per plan by a write on the plan's row: on
PostgreSQL a row lock, on SQLite the database's write lock; so of twenty uploads at once
against a nearly full quota, only those that fit get a slot, and the rest are refused before
their body is read. The slot goes when the upload ends in any way; one a crash left counts
until it is older than an upload can take (then the housekeeping job deletes it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Media, Plan, UploadSlot, User
from .refusals import MediaRefused, Refusal

SLOT_MAX_AGE = timedelta(hours=1)  # as long as the work folder keeps a crash's leftovers


def _live(*where) -> sa.ColumnElement[bool]:
    return sa.and_(UploadSlot.created_at > datetime.now(UTC) - SLOT_MAX_AGE, *where)


def lock_plan(plan_id: int) -> None:
    """Wait for, then hold until commit, the plan's upload lock: a write on its row that
    changes nothing (a row lock on PostgreSQL, the write lock on SQLite). Run it first in
    a transaction, so what is read after it is what the last upload committed."""
    db.session.execute(sa.update(Plan).where(Plan.id == plan_id).values(revision=Plan.revision))


def _take(plan: Plan, user: User, size: int) -> int:
    lock_plan(plan.id)
    in_flight = db.session.scalar(
        sa.select(sa.func.count(UploadSlot.id)).where(_live(UploadSlot.user_id == user.id))
    )
    if (in_flight or 0) >= current_app.config["UPLOADS_IN_FLIGHT"]:
        db.session.rollback()
        raise MediaRefused(Refusal.BUSY, f"{in_flight} uploads in flight")
    stored = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Media.size_bytes), 0)).where(
            Media.plan_id == plan.id
        )
    )
    reserved = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(UploadSlot.size_bytes), 0)).where(
            _live(UploadSlot.plan_id == plan.id)
        )
    )
    if int(stored or 0) + int(reserved or 0) + size > current_app.config["MEDIA_QUOTA_BYTES"]:
        db.session.rollback()
        raise MediaRefused(Refusal.QUOTA, "reserved")
    slot = UploadSlot(user_id=user.id, plan_id=plan.id, size_bytes=size)
    db.session.add(slot)
    db.session.commit()
    return slot.id


@contextmanager
def slot(plan: Plan, user: User, size: int | None) -> Iterator[None]:
    """Reserve `size` bytes of the plan's quota and one of the person's upload slots for the
    duration of the block (MediaRefused BUSY or QUOTA when there is no room)."""
    size = size if size is not None else current_app.config["UPLOAD_MAX_BYTES"]
    slot_id = _take(plan, user, size)
    try:
        yield
    finally:
        db.session.rollback()  # whatever the block left half done
        db.session.execute(sa.delete(UploadSlot).where(UploadSlot.id == slot_id))
        db.session.commit()
