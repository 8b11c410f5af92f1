"""The app on object storage: photos stored, served and deleted in a real S3-compatible
store (SeaweedFS), `flask media check [--fix]` on the bucket, and an account's deletion
leaving no object behind."""

from __future__ import annotations

import hashlib
import io
import itertools
import socket

import boto3
import pytest
import sqlalchemy as sa

from toekomstplan.auth import services as auth_services
from toekomstplan.extensions import db
from toekomstplan.media import housekeeping
from toekomstplan.models import Media, MediaFile, PendingDeletion
from toekomstplan.storage import storage
from toekomstplan.storage.s3 import S3Storage

from .conftest import PASSWORD, build_app, close_app
from .factories import post_form
from .factories import upload as send
from .loopback import s3_servers
from .mediafiles import jpeg_with_gps, png

BUCKET = s3_servers.BUCKET

_prefixes = itertools.count(1)


@pytest.fixture
def app_config(app_config, object_store, monkeypatch):
    """The test app with STORAGE_URL=s3://…, its keys in the environment as in production."""
    for name, value in object_store.environment().items():
        monkeypatch.setenv(name, value)
    return {**app_config, "STORAGE_URL": f"s3://{BUCKET}/app-{next(_prefixes)}"}


def objects(app) -> list[str]:
    with app.app_context():
        return sorted(storage().keys())


def test_a_photo_is_stored_in_the_bucket_served_with_ranges_and_deleted(
    app, client, post, youth, upload, object_store
):
    with app.app_context():
        assert isinstance(storage(), S3Storage)
    media_id = upload(youth, jpeg_with_gps(), "IMG.jpg").get_json()["id"]
    keys = objects(app)
    assert len(keys) == 4 and all(k.startswith(f"{youth.plan.id}/{media_id}/") for k in keys)
    with app.app_context():  # the checksums in the rows are those of the objects
        for row in db.session.scalars(sa.select(MediaFile)):
            with storage().open(row.key) as stored:
                assert hashlib.sha256(stored.read()).hexdigest() == row.checksum
    with app.app_context():
        display = db.session.scalar(
            sa.select(MediaFile).where(
                MediaFile.media_id == media_id, MediaFile.variant == "display"
            )
        )
    whole = client.get(f"/media/{media_id}/display")
    assert whole.status_code == 200 and hashlib.sha256(whole.data).hexdigest() == display.checksum
    assert "private" in whole.headers["Cache-Control"]
    part = client.get(f"/media/{media_id}/display", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.data == whole.data[:10]
    again = client.get(
        f"/media/{media_id}/display", headers={"If-None-Match": whole.headers["ETag"]}
    )
    assert again.status_code == 304
    post(client, f"/media/{media_id}/delete")
    assert objects(app) == []


def test_media_check_finds_and_fixes_orphans_in_the_bucket(app, runner, youth, upload):
    upload(youth, jpeg_with_gps(), "a.jpg")
    second = upload(youth, png(), "b.png").get_json()["id"]
    with app.app_context():
        store = storage()
        store.save("999/gone/master.jpg", io.BytesIO(b"left behind"))
        lost = db.session.scalar(
            sa.select(MediaFile).where(MediaFile.media_id == second, MediaFile.variant == "thumb")
        )
        store.delete(lost.key)
    result = runner.invoke(args=["media", "check"])
    assert result.exit_code == 1
    assert "orphaned file: 999/gone/master.jpg" in result.output
    assert "row without file" in result.output
    assert runner.invoke(args=["media", "check", "--fix"]).exit_code == 0
    assert runner.invoke(args=["media", "check"]).output.strip() == (
        "All stored files and rows match."
    )
    assert "999/gone/master.jpg" not in objects(app)


def test_deleting_the_account_leaves_no_object_in_the_bucket(
    app, client, post, youth, upload, object_store
):
    upload(youth, jpeg_with_gps(), "a.jpg")
    upload(youth, png(), "b.png")
    assert len(objects(app)) == 8
    response = post(client, "/account/delete", {"password": youth.password, "sure": "y"})
    assert response.status_code == 302
    assert objects(app) == []
    with app.app_context():
        prefix = storage().prefix
    listed = boto3.session.Session().client("s3", **object_store.client_settings())
    assert listed.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("KeyCount") == 0


def test_move_storage_copies_a_local_installation_into_the_bucket(
    app_config, tmp_path, object_store, request
):
    local = {**app_config, "STORAGE_URL": ""}  # the installation as it runs today
    app = build_app(local, tmp_path / "local-instance")
    with app.app_context():
        db.create_all()
    request.addfinalizer(lambda: close_app(app))
    client = app.test_client()
    with app.app_context():
        user = auth_services.register_youth("Sam", "sam2009", PASSWORD, None, "Plan")
        plan_id = user.plan.id
    post_form(client, "/login", {"login": "sam2009", "password": PASSWORD})
    assert send(client, plan_id, jpeg_with_gps(), "a.jpg").status_code == 201
    target = f"s3://{BUCKET}/moved-{next(_prefixes)}"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["media", "move-storage", "--to", target])
    assert result.exit_code == 0, result.output
    assert "4 files copied" in result.output and "Every checksum matches" in result.output
    again = runner.invoke(args=["media", "move-storage", "--to", target])
    assert "0 files copied, 4 already there" in again.output
    moved = build_app({**local, "STORAGE_URL": target}, tmp_path / "moved-instance")
    request.addfinalizer(lambda: close_app(moved, drop=False))
    check = moved.test_cli_runner().invoke(args=["media", "check"])
    assert check.output.strip() == "All stored files and rows match.", check.output


def _unreachable(app, object_store) -> S3Storage:
    """The app's storage as it is while the object store is down: same bucket, no answer."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with app.app_context():
        live = storage()
    settings = {**object_store.client_settings(), "endpoint_url": f"http://127.0.0.1:{closed}"}
    return S3Storage(BUCKET, live.work_root, prefix=live.prefix, **settings)


def test_while_the_store_is_down_an_upload_is_refused_kindly_and_leaves_nothing(
    app, youth, upload, object_store
):
    with app.app_context():
        live = storage()
    app.extensions["toekomstplan.storage"] = _unreachable(app, object_store)
    answer = upload(youth, jpeg_with_gps(), "IMG.jpg")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "10"
    assert "try again" in answer.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Media)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingDeletion)) == 1
    app.extensions["toekomstplan.storage"] = live  # the store is back
    with app.app_context():
        housekeeping.run()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingDeletion)) == 0
    assert objects(app) == []


def test_an_account_deleted_while_the_store_is_down_loses_its_photos_once_it_is_back(
    app, client, post, youth, upload, object_store
):
    upload(youth, jpeg_with_gps(), "a.jpg")
    assert len(objects(app)) == 4
    with app.app_context():
        live = storage()
    app.extensions["toekomstplan.storage"] = _unreachable(app, object_store)
    response = post(client, "/account/delete", {"password": youth.password, "sure": "y"})
    assert response.status_code == 302  # the account and its rows are gone at once
    app.extensions["toekomstplan.storage"] = live
    assert len(objects(app)) == 4  # the photos waited for the store
    with app.app_context():
        housekeeping.run()
    assert objects(app) == []
