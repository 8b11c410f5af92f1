"""Database connection settings that SQLAlchemy's URL cannot carry."""

import sqlite3

import sqlalchemy as sa

_tuned = False


def _on_connect(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        # Without this pragma SQLite ignores ON DELETE CASCADE and every foreign key.
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL lets readers go on while one request writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def tune_sqlite() -> None:
    """Turn on foreign keys and WAL for every SQLite connection."""
    global _tuned
    if not _tuned:
        sa.event.listen(sa.engine.Engine, "connect", _on_connect)
        _tuned = True
