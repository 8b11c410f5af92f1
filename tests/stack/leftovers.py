"""The deletion search of tests/test_erasure.py, over the whole stack: every text column of
every table in PostgreSQL, every object in the bucket (its key and its bytes), every key and
value in Redis (throttles and the job queue), and every file the app hosts, the consumer,
nginx and the mail sink wrote (their folders and logs). The object store's and Redis's own
data files are theirs: what they show through their interfaces is what counts (the bucket's
old versions expire with the lifecycle rule of docs/production.md)."""

from __future__ import annotations

import boto3
import redis
import sqlalchemy as sa

BUCKET = "toekomstplan-media"
INTERNAL = ("seaweedfs", "redis")  # the servers' own data folders


def found(stack, needles: list[str]) -> list[str]:
    return (
        _in_tables(stack.database_url, needles)
        + _in_bucket(stack, needles)
        + _in_redis(stack, needles)
        + _in_files(stack, needles)
    )


def _hits(data: bytes, needles: list[str]) -> list[str]:
    lowered = data.lower()
    return [n for n in needles if n.lower().encode() in lowered]


def _in_tables(url: str, needles: list[str]) -> list[str]:
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    left = []
    try:
        metadata.reflect(engine)
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                for column in table.columns:
                    if not isinstance(column.type, sa.String | sa.Text):
                        continue
                    for needle in needles:
                        where = sa.func.lower(column).contains(needle.lower(), autoescape=True)
                        query = sa.select(sa.func.count()).select_from(table).where(where)
                        if connection.scalar(query):
                            left.append(f"table {table.name}.{column.name}: {needle}")
    finally:
        engine.dispose()
    return left


def _in_bucket(stack, needles: list[str]) -> list[str]:
    store = boto3.session.Session().client("s3", **stack.store.client_settings())
    left = []
    for page in store.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            data = store.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            for needle in _hits(item["Key"].encode() + b"\n" + data, needles):
                left.append(f"object {item['Key']}: {needle}")
    return left


def _in_redis(stack, needles: list[str]) -> list[str]:
    left = []
    for number in (0, 1):  # the throttles, the job queue
        server = redis.Redis.from_url(stack.redis.url(number))
        for key in server.scan_iter():
            values = _values(server, key)
            for needle in _hits(b"\n".join([key, *values]), needles):
                left.append(f"redis {number} {key!r}: {needle}")
    return left


def _values(server: redis.Redis, key: bytes) -> list[bytes]:
    kind = server.type(key).decode()
    if kind == "string":
        return [server.get(key) or b""]
    if kind == "list":
        return server.lrange(key, 0, -1)
    if kind == "hash":
        return [k + b"=" + v for k, v in server.hgetall(key).items()]
    if kind == "set":
        return list(server.smembers(key))
    if kind == "zset":
        return server.zrange(key, 0, -1)
    return []


def _in_files(stack, needles: list[str]) -> list[str]:
    left = []
    for path in sorted(stack.folder.rglob("*")):
        relative = path.relative_to(stack.folder)
        if not path.is_file() or relative.parts[0] in INTERNAL:
            continue
        for needle in _hits(str(relative).encode() + b"\n" + path.read_bytes(), needles):
            left.append(f"file {relative}: {needle}")
    return left
