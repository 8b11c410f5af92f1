"""Conditional updates: how a one-time code, link or edit is used once, even by two requests.

The condition sits in the UPDATE's WHERE (a step not used yet, a version not changed since),
so the database decides which of two requests at once wins; the loser changes no row.
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db


def update_one(statement: sa.Update) -> bool:
    """Run a conditional UPDATE; True when it changed exactly one row (this request won)."""
    result = cast(sa.CursorResult, db.session.execute(statement))
    return result.rowcount == 1


def upsert(model: type, keys: dict[str, Any], values: dict[str, Any]) -> None:
    """Insert a row, or update it when one with the same `keys` exists: one statement, so two
    requests at once (a goal opened in two tabs) never collide on the unique key."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**keys, **values)
    db.session.execute(
        statement.on_conflict_do_update(index_elements=list(keys), set_=values),
        execution_options={"synchronize_session": False},
    )
