"""Conditional updates: how a one-time code, link or edit is used once, even by two requests.

The condition sits in the UPDATE's WHERE (a step not used yet, a version not changed since),
so the database decides which of two requests at once wins; the loser changes no row.
"""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa

from .extensions import db


def update_one(statement: sa.Update) -> bool:
    """Run a conditional UPDATE; True when it changed exactly one row (this request won)."""
    result = cast(sa.CursorResult, db.session.execute(statement))
    return result.rowcount == 1
