"""Column types and defaults every model uses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column, relationship

# Columns that stand in many tables, written once (SQLAlchemy's annotated column types).
IntPk = Annotated[int, mapped_column(primary_key=True)]
PlanRef = Annotated[int, mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)]
GoalRef = Annotated[int, mapped_column(sa.ForeignKey("goals.id", ondelete="CASCADE"), index=True)]
# Parts of a two-column primary key (a person's mark on a goal, a goal hidden from a share).
GoalKey = Annotated[
    int, mapped_column(sa.ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True)
]
UserKey = Annotated[
    int, mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
]


def owned(back_populates: str | None = None, **options: Any) -> Any:
    """A one-to-many relationship to rows that live and die with their parent.

    The database deletes them (ON DELETE CASCADE, hence passive_deletes: no loading first);
    removed from the list in Python, a row is deleted too.
    """
    return relationship(
        back_populates=back_populates, cascade="all, delete-orphan", passive_deletes=True, **options
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Store naive UTC, hand out aware UTC: SQLite keeps no time zone."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None
