"""Deleting stored files whose rows are gone, also while the storage does not answer.

When a photo, a video or a whole account is deleted, or an upload is refused halfway, its
rows go in the database's transaction and its files right after. If the object store is down
at that moment the files would stay behind, without a row, with someone's photos in them; so
the prefix is written down instead (in a transaction of its own, whatever the request's
session holds), and the housekeeping job deletes it once the store answers again.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import PendingDeletion
from ..storage import Unavailable, storage


def delete_prefix(prefix: str) -> None:
    """Delete every stored file under `prefix` now, or as soon as the storage answers."""
    _now_or_later(storage().delete_prefix, prefix)


def delete_key(key: str) -> None:
    """Delete one stored file now, or as soon as the storage answers."""
    _now_or_later(storage().delete, key)


def _now_or_later(delete: Callable[[str], None], name: str) -> None:
    try:
        delete(name)
    except Unavailable as error:
        current_app.logger.warning("storage unavailable, deleting %s later: %s", name, error)
        with db.engine.begin() as connection:
            connection.execute(sa.insert(PendingDeletion).values(prefix=name))


def retry() -> int:
    """Delete what was written down; return how many are done (the housekeeping job)."""
    done = 0
    for pending in db.session.scalars(sa.select(PendingDeletion).order_by(PendingDeletion.id)):
        store = storage()
        try:
            if store.exists(pending.prefix):  # one file
                store.delete(pending.prefix)
            store.delete_prefix(pending.prefix)
        except Unavailable:
            break  # still down: the next run tries again
        db.session.delete(pending)
        db.session.commit()
        done += 1
    return done
