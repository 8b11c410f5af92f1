"""What a plan may hold: one exception for every "this list is full", and the count behind it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from .extensions import db


class LimitReached(Exception):
    """A plan (or goal) holds as many items of this sort as it may."""


def count(column: Any, *criteria: Any) -> int:
    """Return how many rows with `column` match `criteria` (0 for none)."""
    return db.session.scalar(sa.select(sa.func.count(column)).where(*criteria)) or 0


def ensure_room(column: Any, *criteria: Any, most: int) -> None:
    """Raise LimitReached when the rows matching `criteria` already number `most`."""
    if count(column, *criteria) >= most:
        raise LimitReached
