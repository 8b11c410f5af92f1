"""The storage contract, run against every backend: keys not paths, all or nothing, no leftovers."""

import hashlib
import io
import itertools
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import Flask

from toekomstplan.storage import LocalStorage, MemoryStorage, UnsafeKey, check_key, make_storage
from toekomstplan.storage.s3 import S3Storage

from .loopback import s3_servers

BUCKET = s3_servers.BUCKET

BACKENDS = ("local", "memory", "s3")
_buckets = itertools.count(1)


def s3_store(server, work: Path) -> S3Storage:
    prefix = f"test-{next(_buckets)}"
    return S3Storage(BUCKET, work, prefix=prefix, **server.client_settings())


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "uploads")
    if request.param == "s3":
        return s3_store(request.getfixturevalue("object_store"), tmp_path / "work")
    return MemoryStorage(tmp_path / "work")


@pytest.fixture
def web():
    """A bare Flask app: `send` builds a response and reads the proxy setting."""
    return Flask(__name__)


def leftovers(store) -> list[Path]:
    return [p for p in store.work_dir().rglob("*") if p.is_file()]


def test_saved_bytes_come_back_with_their_size_and_checksum(store, tmp_path):
    data = b"a photo" * 1000
    stored = store.save("1/abc/master.jpg", io.BytesIO(data))
    assert (stored.key, stored.size) == ("1/abc/master.jpg", len(data))
    assert stored.checksum == hashlib.sha256(data).hexdigest()
    with store.open("1/abc/master.jpg") as read:
        assert read.read() == data
    source = tmp_path / "from-disk.bin"
    source.write_bytes(b"from a path")
    assert store.save("1/abc/thumb.webp", source).size == len(b"from a path")
    assert sorted(store.keys()) == ["1/abc/master.jpg", "1/abc/thumb.webp"]
    assert store.exists("1/abc/thumb.webp") and not store.exists("1/abc/print.jpg")


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "../x", "1/../../x", "1//x", "1/./x", ".tmp/x", "1\\x", "1/\x00"]
)
def test_a_key_that_would_leave_the_store_is_refused(store, key):
    with pytest.raises(UnsafeKey):
        check_key(key)
    with pytest.raises(UnsafeKey):
        store.save(key, io.BytesIO(b"x"))
    with pytest.raises(UnsafeKey):
        store.open(key)
    with pytest.raises(UnsafeKey):
        store.delete(key)


def test_a_failed_save_stores_nothing_and_keeps_the_old_bytes(store):
    store.save("1/a/master.jpg", io.BytesIO(b"old"))

    class Breaks(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 0:
                raise OSError("the phone lost its connection")
            return super().read(4)

    with pytest.raises(OSError):
        store.save("1/a/master.jpg", Breaks(b"new bytes that never arrive whole"))
    with pytest.raises(OSError):
        store.save("1/b/master.jpg", Breaks(b"new bytes that never arrive whole"))
    with store.open("1/a/master.jpg") as read:
        assert read.read() == b"old"
    assert list(store.keys()) == ["1/a/master.jpg"]


def test_a_reader_sees_the_old_bytes_or_the_new_never_half(store):
    old, new = b"o" * 2_000_000, b"n" * 2_000_000
    store.save("1/a/video.mp4", io.BytesIO(old))
    seen = []

    def read_often():
        for _ in range(30):
            with store.open("1/a/video.mp4") as read:
                seen.append(read.read())

    reader = threading.Thread(target=read_often)
    reader.start()
    for _ in range(5):
        store.save("1/a/video.mp4", io.BytesIO(new))
        store.save("1/a/video.mp4", io.BytesIO(old))
    reader.join()
    assert seen and all(body in (old, new) for body in seen)


def test_delete_and_delete_prefix_remove_only_what_they_name(store):
    for key in ("1/a/master.jpg", "1/a/thumb.webp", "1/b/master.jpg", "10/a/master.jpg"):
        store.save(key, io.BytesIO(b"x"))
    store.delete("1/b/master.jpg")
    store.delete("1/b/master.jpg")  # gone already: fine
    assert sorted(store.keys()) == ["1/a/master.jpg", "1/a/thumb.webp", "10/a/master.jpg"]
    store.delete_prefix("1")
    assert list(store.keys()) == ["10/a/master.jpg"]


def test_send_streams_with_ranges_and_never_publicly(store, web):
    data = bytes(range(256)) * 40
    store.save("1/a/video.mp4", io.BytesIO(data))
    web.add_url_rule(
        "/file",
        "file",
        lambda: store.send(
            "1/a/video.mp4", content_type="video/mp4", download_name="film.mp4", etag="abc"
        ),
    )
    client = web.test_client()
    with client.get("/file", headers={"Range": "bytes=100-199"}) as response:
        assert response.status_code == 206
        assert response.get_data() == data[100:200]
        assert response.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
        assert response.mimetype == "video/mp4"
    with client.get("/file") as response:
        assert response.status_code == 200 and response.get_data() == data
        assert "public" not in response.headers.get("Cache-Control", "")


def test_local_copy_and_workspace_are_taken_back_whatever_happens(store):
    store.save("1/a/incoming", io.BytesIO(b"raw video"))
    with store.local_copy("1/a/incoming") as copy:
        assert copy.read_bytes() == b"raw video"
    assert not copy.exists()
    with pytest.raises(RuntimeError), store.workspace() as folder:
        (folder / "half.mp4").write_bytes(b"half")
        raise RuntimeError("ffmpeg died")
    assert not folder.exists()
    upload = store.upload_file()
    upload.write(b"part of an upload")
    upload.close()
    assert leftovers(store) == []
    assert list(store.keys()) == ["1/a/incoming"]  # work in progress is never a stored key


def test_the_local_store_keeps_work_in_progress_out_of_its_keys(tmp_path):
    store = LocalStorage(tmp_path / "uploads")
    store.save("1/a/master.jpg", io.BytesIO(b"x"))
    (tmp_path / "uploads" / "1" / "a" / ".part-123").write_bytes(b"half")
    (store.work_dir() / "upload-1").write_bytes(b"half")
    assert list(store.keys()) == ["1/a/master.jpg"]


def test_the_bucket_is_private_and_a_missing_object_is_not_found(object_store, tmp_path):
    store = s3_store(object_store, tmp_path / "work")
    store.save("1/a/master.jpg", io.BytesIO(b"a photo"))
    with pytest.raises(urllib.error.HTTPError) as refused:  # a stranger's browser, unsigned
        urllib.request.urlopen(
            f"{object_store.endpoint}/{BUCKET}/{store.prefix}1/a/master.jpg", timeout=10
        )
    assert refused.value.code == 403
    with pytest.raises(FileNotFoundError):
        store.open("1/a/nothing.jpg")
    assert not store.exists("1/a/nothing.jpg")


def test_behind_nginx_an_object_is_handed_over_as_a_signed_url(object_store, tmp_path, web):
    store = s3_store(object_store, tmp_path / "work")
    store.save("1/a/video.mp4", io.BytesIO(b"a video"))
    web.config["MEDIA_X_ACCEL_PREFIX"] = "/_store"
    with web.test_request_context("/"):
        response = store.send(
            "1/a/video.mp4", content_type="video/mp4", download_name="film.mp4", etag="abc"
        )
    target = response.headers["X-Accel-Redirect"]
    assert target.startswith(f"/_store/{BUCKET}/{store.prefix}1/a/video.mp4?")
    assert "X-Amz-Signature" in target
    assert response.get_data() == b"" and "private" in response.headers["Cache-Control"]
    # What nginx's internal location does: the same path and query, on the store.
    signed = object_store.endpoint + target.removeprefix("/_store")
    assert urllib.request.urlopen(signed, timeout=10).read() == b"a video"


def test_the_configuration_chooses_the_backend(tmp_path):
    assert isinstance(make_storage({"UPLOAD_DIR": str(tmp_path)}), LocalStorage)
    s3 = make_storage({"STORAGE_URL": "s3://media-bucket/plans", "UPLOAD_DIR": str(tmp_path)})
    assert isinstance(s3, S3Storage) and (s3.bucket, s3.prefix) == ("media-bucket", "plans/")
    with pytest.raises(ValueError, match="bucket"):
        make_storage({"STORAGE_URL": "s3://ab", "UPLOAD_DIR": str(tmp_path)})
    assert isinstance(make_storage({"STORAGE_URL": "memory://", "UPLOAD_DIR": ""}), MemoryStorage)
    with pytest.raises(ValueError, match="not a storage"):
        make_storage({"STORAGE_URL": "ftp://example.org", "UPLOAD_DIR": ""})
