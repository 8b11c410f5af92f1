"""A backup of the stack restored into a fresh one serves the same plan and photo.

The backup is what docs/production.md describes, made with the tools production uses: a
`pg_dump` of the database and a copy of every object in the bucket. It is restored into a
new database (`pg_restore`) and the bucket of a second stack with its own folders, ports and
secret key; the young person logs in there and finds their plan and the same photo bytes.
"""

from __future__ import annotations

import hashlib
import subprocess
import uuid

import boto3
import pytest

from .browser import PASSWORD, Browser, photo, register
from .conftest import stack_module

pytestmark = pytest.mark.stack
BUCKET = "toekomstplan-media"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _bucket(server):
    return boto3.session.Session().client("s3", **server.client_settings())


def test_a_backup_restored_into_a_fresh_stack_serves_the_same_plan_and_photo(
    stack, tmp_path_factory
):
    noor = Browser(stack.ports.nginx)
    login = f"noor{uuid.uuid4().hex[:6]}"
    plan_id = register(noor, login)
    status, reply = noor.upload(plan_id, photo(), "IMG_0003.jpg")
    assert status == 201, reply[:300]
    media_id = reply.split(b'"id":')[1].split(b'"')[1].decode()
    _, _, original = noor.get(f"/media/{media_id}/display")

    # The backup: the database and every object.
    folder = tmp_path_factory.mktemp("backup")
    dump = folder / "db.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", _libpq(stack.database_url)],
        check=True,
        capture_output=True,
    )
    source = _bucket(stack.store)
    objects = {}
    for page in source.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            objects[item["Key"]] = source.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()

    # The restore, into a stack of its own.
    place = tmp_path_factory.mktemp("restored")
    database = stack_module.postgres_url(place, name="toekomstplan_stack_restore", fresh=True)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(database)}", str(dump)],
        check=True,
        capture_output=True,
    )
    restored = stack_module.Stack(place, database, stack_module.Ports.free())
    try:
        restored.start(demo=False)
        target = _bucket(restored.store)
        for key, data in objects.items():
            target.put_object(Bucket=BUCKET, Key=key, Body=data)
        again = Browser(restored.ports.nginx)
        status, _, _ = again.post("/login", {"login": login, "password": PASSWORD}, "/login")
        assert status == 302
        status, _, page = again.get(f"/plans/{plan_id}")
        assert status == 200 and media_id.encode() in page
        status, _, served = again.get(f"/media/{media_id}/display")
        assert status == 200
        assert hashlib.sha256(served).digest() == hashlib.sha256(original).digest()
        assert restored.media_check().strip() == "All stored files and rows match."
    finally:
        restored.stop()
