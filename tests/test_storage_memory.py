"""Photos and videos work the same on a store without a disk: the media code knows no paths."""

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import Media, MediaStatus
from toekomstplan.storage import MemoryStorage, storage

from .conftest import app_settings
from .mediafiles import jpeg_with_gps, video


@pytest.fixture
def app_config(tmp_path):
    return {**app_settings(tmp_path), "STORAGE_URL": "memory://"}


def test_a_photo_and_a_video_go_through_a_store_without_a_disk(
    app, client, post, youth, upload, tmp_path
):
    with app.app_context():
        store = storage()
    assert isinstance(store, MemoryStorage)
    photo = upload(youth, jpeg_with_gps(), "me.jpg").get_json()
    clip = upload(youth, video(tmp_path), "clip.mp4").get_json()
    with app.app_context():
        statuses = dict(db.session.execute(sa.select(Media.id, Media.status)).all())
    assert statuses == {photo["id"]: MediaStatus.READY, clip["id"]: MediaStatus.READY}
    assert not any(key.endswith("incoming.bin") for key in store.keys())  # the raw upload went

    shown = client.get(f"/media/{photo['id']}/display")
    assert shown.status_code == 200 and shown.mimetype == "image/webp"
    part = client.get(f"/media/{clip['id']}/video", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.get_data()) == 100
    assert "private" in part.headers["Cache-Control"]

    for item in (photo, clip):
        assert post(client, f"/media/{item['id']}/delete").status_code == 302
    assert list(store.keys()) == []
    assert [p for p in store.work_dir().rglob("*") if p.is_file()] == []
