"""The one job queue for background work (video preparation), with Huey.

SQLite storage in the instance folder by default; set HUEY_REDIS_URL when several machines
share the work. `make run` starts a consumer beside the web server:
`huey_consumer toekomstplan.consumer.huey`. Tests run tasks at once (`huey.immediate = True`).
"""

import os
from contextlib import contextmanager, nullcontext
from pathlib import Path

from flask import has_app_context
from huey import RedisHuey, SqliteHuey
from huey.storage import RedisStorage, SqliteStorage


def _make_huey():
    redis_url = os.environ.get("HUEY_REDIS_URL")
    if redis_url:
        return RedisHuey("toekomstplan", url=redis_url)
    default = Path(__file__).resolve().parent.parent / "instance" / "huey.sqlite"
    path = Path(os.environ.get("HUEY_DB") or default)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("toekomstplan", filename=str(path))


huey = _make_huey()
_consumer_app = None


@contextmanager
def app_context():
    """Give a task the app: the request's own when run at once, else one per consumer."""
    global _consumer_app
    if has_app_context():
        with nullcontext():
            yield
        return
    if _consumer_app is None:
        from . import create_app  # the consumer builds its app once, on its first task

        _consumer_app = create_app()
    with _consumer_app.app_context():
        yield


def forget(needles: list[str], queue=None) -> int:
    """Remove waiting and scheduled jobs whose data holds any of `needles` (the media ids
    of an account being deleted); return how many. A job holds ids only, pickled: an id
    is there as its UTF-8 bytes."""
    queue = queue or huey
    storage = queue.storage
    wanted = [n.encode() for n in needles if n]
    removed = 0
    if isinstance(storage, SqliteStorage):
        with storage.db(commit=True) as cursor:
            for table in ("task", "schedule"):
                for needle in wanted:
                    cursor.execute(
                        f"delete from {table} where queue = ? and instr(data, ?) > 0",  # noqa: S608
                        (storage.name, needle),
                    )
                    removed += cursor.rowcount
    elif isinstance(storage, RedisStorage):
        for data in storage.enqueued_items():
            if any(n in data for n in wanted):
                removed += storage.conn.lrem(storage.queue_key, 0, data)
        for data in storage.scheduled_items():
            if any(n in data for n in wanted):
                removed += storage.conn.zrem(storage.schedule_key, data)
    return removed
