"""Stored files in a dict: the storage contract without a disk, for tests."""

from __future__ import annotations

import hashlib
import io
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from flask import Response

from .base import Storage, Stored, check_key, copy_hashing, send_private


class MemoryStorage(Storage):
    """Every stored file as bytes in memory; work in progress in a temporary folder."""

    def __init__(self, work_root: str | Path | None = None):
        super().__init__(work_root or tempfile.mkdtemp(prefix="toekomstplan-memory-"))
        self.files: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def save(self, key: str, source: Path | BinaryIO) -> Stored:
        check_key(key)
        buffer = io.BytesIO()
        if isinstance(source, Path):
            with source.open("rb") as src:
                copy_hashing(src, buffer)
        else:
            copy_hashing(source, buffer)
        data = buffer.getvalue()
        with self.lock:  # all at once: a reader sees the old bytes or the new ones
            self.files[key] = data
        return Stored(key, len(data), hashlib.sha256(data).hexdigest())

    def _bytes(self, key: str) -> bytes:
        with self.lock:
            data = self.files.get(check_key(key))
        if data is None:
            raise FileNotFoundError(key)
        return data

    def open(self, key: str) -> BinaryIO:
        return io.BytesIO(self._bytes(key))

    def exists(self, key: str) -> bool:
        with self.lock:
            return check_key(key) in self.files

    def delete(self, key: str) -> None:
        with self.lock:
            self.files.pop(check_key(key), None)

    def delete_prefix(self, prefix: str) -> None:
        start = check_key(prefix.rstrip("/")) + "/"
        with self.lock:
            for key in [k for k in self.files if k.startswith(start)]:
                del self.files[key]

    def keys(self) -> Iterator[str]:
        with self.lock:
            return iter(sorted(self.files))

    def send(self, key: str, *, content_type: str, download_name: str, etag: str) -> Response:
        return send_private(
            io.BytesIO(self._bytes(key)),
            content_type=content_type,
            download_name=download_name,
            etag=etag,
        )
