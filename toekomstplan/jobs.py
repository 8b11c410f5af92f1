"""The one job queue for background work (video preparation, mail), with Huey.

SQLite storage in the instance folder by default; set HUEY_REDIS_URL when several machines
share the work. `make run` starts a consumer beside the web server:
`huey_consumer toekomstplan.consumer.huey`. Tests run tasks at once (`huey.immediate = True`).

Work is saved before its job is sent (`send`, after the commit). When the queue is
unreachable then (Redis restarting), the request still succeeds: the job waits in the
database (WaitingJob) and the housekeeping job sends it once the queue answers again.
"""

import json
import os
import sqlite3
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import redis.exceptions
import sqlalchemy as sa
from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from huey.storage import RedisStorage, SqliteStorage

from .extensions import db
from .models import WaitingJob

QUEUE_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, sqlite3.Error)


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
_tasks: dict[str, TaskWrapper] = {}


def task() -> Callable[[Callable], TaskWrapper]:
    """`huey.task()` for a job sent with `send`: known by name, so a waiting one can go."""

    def register(function: Callable) -> TaskWrapper:
        wrapper = huey.task()(function)
        _tasks[_name(wrapper)] = wrapper
        return wrapper

    return register


def _name(job: TaskWrapper) -> str:
    return f"{job.func.__module__}.{job.func.__name__}"


def send(job: TaskWrapper, *arguments: Any) -> None:
    """Hand a job to the queue after its work was committed; while the queue is unreachable,
    keep it in the database for the housekeeping job (ids only, as the queue would)."""
    try:
        job(*arguments)
    except QUEUE_DOWN as error:
        current_app.logger.warning("job queue unreachable (%s): %s waits", error, _name(job))
        db.session.rollback()
        db.session.add(WaitingJob(task=_name(job), arguments=json.dumps(arguments)))
        db.session.commit()


def send_waiting() -> int:
    """Send the jobs that waited for the queue; return how many went. Each is taken by a
    conditional delete, so two consumers at once send it once; if the queue is still
    away, it stays for the next time."""
    sent = 0
    waiting = db.session.scalars(sa.select(WaitingJob).order_by(WaitingJob.id)).all()
    for row in waiting:
        task_name, arguments = row.task, json.loads(row.arguments)
        taken = db.session.execute(sa.delete(WaitingJob).where(WaitingJob.id == row.id))
        db.session.commit()
        if getattr(taken, "rowcount", 0) != 1:
            continue  # another consumer sent it
        job = _tasks.get(task_name)
        if job is None:
            current_app.logger.error("waiting job of unknown task %s dropped", task_name)
            continue
        try:
            job(*arguments)
        except QUEUE_DOWN:
            db.session.add(WaitingJob(task=task_name, arguments=json.dumps(arguments)))
            db.session.commit()
            break
        sent += 1
    return sent


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


def _forget_waiting(needles: list[str]) -> int:
    removed = 0
    for needle in filter(None, needles):
        mention = json.dumps(needle)  # as it stands in the JSON of the arguments
        result = db.session.execute(
            sa.delete(WaitingJob).where(WaitingJob.arguments.contains(mention, autoescape=True))
        )
        removed += getattr(result, "rowcount", 0)
    db.session.commit()
    return removed


def forget(needles: list[str], queue=None) -> int:
    """Remove waiting and scheduled jobs whose data holds any of `needles` (the media ids
    of an account being deleted); return how many. A job holds ids only, pickled: an id
    is there as its UTF-8 bytes."""
    queue = queue or huey
    storage = queue.storage
    wanted = [n.encode() for n in needles if n]
    removed = _forget_waiting(needles)
    try:
        removed += _forget_queued(storage, wanted)
    except QUEUE_DOWN as error:  # a job of a deleted photo finds no row and does nothing
        current_app.logger.error("could not remove queued jobs of deleted media: %s", error)
    return removed


def _forget_queued(storage, wanted: list[bytes]) -> int:
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
