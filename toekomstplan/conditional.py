"""Conditional updates: how a one-time code, link or edit is used once, even by two requests.

The condition sits in the UPDATE's WHERE (a step not used yet, a version not changed since),
so the database decides which of two requests at once wins; the loser changes no row.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db
from .tokens import digest


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


def find_link(model: Any, token: str) -> tuple[Any, str | None]:
    """Look up the row of a one-time, expiring link by its token (a model with token_hash,
    used_at and expires_at); return (row, None), or (None, "unknown" / "used" / "expired")."""
    token_hash = digest(token)
    row = db.session.scalar(sa.select(model).where(model.token_hash == token_hash))
    # The lookup is by hash; compare again in constant time all the same.
    if row is None or not hmac.compare_digest(row.token_hash, token_hash):
        return None, "unknown"
    if row.used_at is not None:
        return None, "used"
    if row.expires_at < datetime.now(UTC):
        return None, "expired"
    return row, None


def claim_link(model: Any, row_id: int) -> bool:
    """Use up a one-time link: True for the one request that marked it used."""
    now = datetime.now(UTC)
    return update_one(
        sa.update(model)
        .where(model.id == row_id, model.used_at.is_(None), model.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
