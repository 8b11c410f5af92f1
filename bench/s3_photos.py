"""Storing a 12-megapixel phone photo in object storage against the local disk.

The app's own upload service stores the photo (master, display, thumb and print variants)
into each storage in turn, alternating the two for ROUNDS rounds so both see the same
machine, and the clock stops once every stored variant has been read back from that storage.
The object store is a real SeaweedFS on loopback (bench/s3_server.py), the local disk the
bench's temporary folder. Reports the medians and `s3_photo_ms_vs_local`, their ratio.
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from flask import Flask

import photos
import s3_server
from report import figure, log
from toekomstplan.extensions import db
from toekomstplan.media import services as media_services
from toekomstplan.models import Plan
from toekomstplan.storage import LocalStorage, Storage
from toekomstplan.storage.s3 import S3Storage

ROUNDS = 5
KEY = "toekomstplan.storage"  # where the app keeps its storage (storage/__init__.py)


def _store_once(app: Flask, store: Storage, plan_id: int, photo: Path, tmp: Path) -> float:
    upload = tmp / "upload.jpg"
    shutil.copyfile(photo, upload)  # the pipeline takes its input away
    app.extensions[KEY] = store
    started = time.perf_counter()
    plan = db.session.get_one(Plan, plan_id)
    media = media_services.store_upload(plan, upload, label="phone.jpg")
    for stored in media.files:
        with store.open(stored.key) as read:
            read.read()
    seconds = time.perf_counter() - started
    media_services.delete_media(media)
    return seconds * 1000


def figures_for(app: Flask, plan_id: int, tmp: Path, servers: list) -> None:
    """Alternate the two storages ROUNDS times; print the medians and their ratio."""
    work = tmp / "s3-photos"
    work.mkdir()
    server = s3_server.start(work / "seaweedfs")
    servers.append(server)
    server.make_bucket(s3_server.BUCKET)
    photo = work / "phone.jpg"
    photos.make_phone_photo(photo)
    stores: dict[str, Storage] = {
        "local": LocalStorage(work / "local"),
        "s3": S3Storage(s3_server.BUCKET, work / "s3-work", **server.client_settings()),
    }
    times: dict[str, list[float]] = {name: [] for name in stores}
    with app.test_request_context():
        before = app.extensions.get(KEY)
        try:
            for number in range(ROUNDS + 1):
                order = list(stores) if number % 2 == 0 else list(reversed(stores))
                for name in order:
                    ms = _store_once(app, stores[name], plan_id, photo, work)
                    if number:  # the first round warms both up
                        times[name].append(ms)
        finally:
            app.extensions[KEY] = before
            db.session.remove()
    local, s3 = (statistics.median(times[name]) for name in ("local", "s3"))
    log(
        f"a 12 MP photo with its variants, stored and read back: "
        f"local {local:.0f} ms, S3 {s3:.0f} ms"
    )
    figure("s3_photo_ms_median", f"{s3:.0f}")
    figure("local_photo_ms_median", f"{local:.0f}")
    figure("s3_photo_ms_vs_local", f"{s3 / local:.2f}")
