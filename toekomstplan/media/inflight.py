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
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user

from ..extensions import db
from ..http import wants_json
from ..models import Media, Plan, UploadSlot, User
from ..urls import safe_next
from .messages import refusal_message, refused_json
from .refusals import MediaRefused, Refusal

SLOT_MAX_AGE = timedelta(hours=1)  # as long as the work folder keeps a crash's leftovers


def _live(*where) -> sa.ColumnElement[bool]:
    return sa.and_(UploadSlot.created_at > datetime.now(UTC) - SLOT_MAX_AGE, *where)


def lock_plan(plan_id: int) -> None:
    """Wait for, then hold until commit, the plan's upload lock: a write on its row that
    changes nothing (a row lock on PostgreSQL, the write lock on SQLite). Run it first in
    a transaction, so what is read after it is what the last upload committed."""
    db.session.execute(sa.update(Plan).where(Plan.id == plan_id).values(revision=Plan.revision))


def _in_flight(user_id: int) -> int:
    count = db.session.scalar(
        sa.select(sa.func.count(UploadSlot.id)).where(_live(UploadSlot.user_id == user_id))
    )
    return count or 0


def _take(plan: Plan, user: User, size: int) -> int:
    lock_plan(plan.id)
    in_flight = _in_flight(user.id)
    if in_flight >= current_app.config["UPLOADS_IN_FLIGHT"]:
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


def refuse_when_busy():
    """Answer "wait a moment" to a big upload of someone whose slots are all taken, before
    its body is read (a `before_request` hook that runs before the CSRF check, which would
    parse the whole body first). Only a shortcut: `slot` decides, under the plan's lock."""
    view = current_app.view_functions.get(request.endpoint or "")
    big = (request.content_length or 0) > current_app.config["MAX_CONTENT_LENGTH"]
    if not big or getattr(view, "upload_limit", None) is None:
        return None
    if not current_user.is_authenticated:
        return None  # the view's log-in check answers
    if _in_flight(int(current_user.get_id())) < current_app.config["UPLOADS_IN_FLIGHT"]:
        return None
    message = refusal_message(Refusal.BUSY)
    if wants_json():
        return refused_json(message, Refusal.BUSY)
    flash(message, "error")
    return redirect(safe_next(urlsplit(request.referrer or "").path) or url_for("plan.start"))
