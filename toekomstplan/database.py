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
        # A deleted row is overwritten, not left in a free page of the file (erasure).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


def tune_sqlite() -> None:
    """Turn on foreign keys and WAL for every SQLite connection."""
    global _tuned
    if not _tuned:
        sa.event.listen(sa.engine.Engine, "connect", _on_connect)
        _tuned = True


def flush_deleted() -> None:
    """Make deleted rows gone from the disk too: SQLite's write-ahead log still holds the
    pages they were on until a checkpoint copies it into the (securely deleted) file."""
    from .extensions import db

    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
