"""Where uploaded files live: keys in, bytes out, never a path outside the store.

The app stores keys (`"<plan id>/<media id>/<variant>.<ext>"`) in the database, never paths.
Every backend keeps the same contract (tests/test_storage.py runs it against each): a key
that would leave the store is refused, a reader never sees half a file, `save` returns the
size and SHA-256 of what it stored, and every byte goes out through `send`, after the view
has asked `access.py`. Work in progress (an upload being received, a photo being processed,
a video being prepared) happens in temporary files and folders the storage hands out on the
local disk and takes back, so callers never need to know where a stored file really is.

`STORAGE_URL` chooses the backend: empty for the local disk under UPLOAD_DIR (the default),
`s3://bucket` for S3-compatible object storage (s3.py; UPLOAD_DIR then only holds work in
progress), `memory://` for tests.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from .base import Storage, Stored, Unavailable, UnsafeKey, check_key
from .local import LocalStorage
from .memory import MemoryStorage

__all__ = [
    "Storage",
    "Stored",
    "Unavailable",
    "UnsafeKey",
    "check_key",
    "LocalStorage",
    "MemoryStorage",
]


def make_storage(config) -> Storage:
    """Build the backend the configuration asks for."""
    url = config.get("STORAGE_URL") or ""
    if url == "memory://":
        return MemoryStorage()
    if url.startswith("s3://"):
        from .s3 import S3Storage  # boto3 only where it is used

        return S3Storage.from_url(url, Path(config["UPLOAD_DIR"]) / ".work")
    if url:
        raise ValueError(f"STORAGE_URL {url!r} is not a storage this app knows")
    return LocalStorage(config["UPLOAD_DIR"])


def storage() -> Storage:
    """Return the app's storage."""
    store = current_app.extensions.get("toekomstplan.storage")
    if store is None:
        store = current_app.extensions["toekomstplan.storage"] = make_storage(current_app.config)
    return store
