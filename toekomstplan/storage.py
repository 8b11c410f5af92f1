"""Where uploaded files live: keys in, bytes out, never a path outside the store.

The app stores keys (`"<plan id>/<media id>/<variant>.<ext>"`) in the database, never paths.
`LocalStorage` keeps them under UPLOAD_DIR, which is never a static folder: every byte goes
out through `send`, after the view has asked `access.py`. With a reverse proxy in front,
MEDIA_X_ACCEL_PREFIX makes `send` answer with an `X-Accel-Redirect` header instead, so the
proxy streams the file after our access check (see README).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from flask import Response, current_app, send_file
from werkzeug.security import safe_join


class UnsafeKey(ValueError):
    """A key that would leave the store."""


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    checksum: str  # sha256, hex


class LocalStorage:
    """Files on the local disk under `root`; writes are atomic (temporary file, then rename)."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()

    def path(self, key: str) -> Path:
        """Return the path of `key`, refusing any key that would leave the store."""
        joined = safe_join(str(self.root), *key.split("/"))
        if joined is None or not key or key.startswith("/"):
            raise UnsafeKey(key)
        return Path(joined)

    def tmp_dir(self) -> Path:
        """Return a folder for work in progress on the same disk (so renames are atomic)."""
        path = self.root / ".tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def save(self, key: str, source: Path | BinaryIO) -> Stored:
        """Store the bytes of `source` (a path or an open file) under `key`."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(source, Path):
                    with source.open("rb") as src:
                        _copy(src, out, digest)
                else:
                    _copy(source, out, digest)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Stored(key, target.stat().st_size, digest.hexdigest())

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        """Delete `key` (a missing file is fine) and any folders it leaves empty."""
        path = self.path(key)
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == self.root or not parent.is_relative_to(self.root):
                break
            try:
                parent.rmdir()
            except OSError:
                break

    def delete_prefix(self, prefix: str) -> None:
        """Delete every file whose key starts with `prefix/` (a whole plan or media item)."""
        shutil.rmtree(self.path(prefix.rstrip("/")), ignore_errors=True)

    def keys(self) -> Iterator[str]:
        """Yield every stored key (work in progress excluded)."""
        for path in self.root.rglob("*"):
            rel = path.relative_to(self.root)
            if (
                path.is_file()
                and not rel.parts[0].startswith(".")
                and not path.name.startswith(".part-")
            ):
                yield rel.as_posix()

    def send(self, key: str, *, content_type: str, download_name: str, etag: str) -> Response:
        """Answer with the file, streamed from disk, with Range support (206) for seeking."""
        prefix = current_app.config.get("MEDIA_X_ACCEL_PREFIX")
        if prefix:
            response = Response(content_type=content_type)
            response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + key
            response.headers["Content-Disposition"] = _disposition(download_name)
            return response
        return send_file(
            self.path(key),
            mimetype=content_type,
            download_name=download_name,
            conditional=True,
            etag=etag,
            max_age=365 * 24 * 3600,
        )


def _copy(src: BinaryIO, out: BinaryIO, digest) -> None:
    while chunk := src.read(1024 * 1024):
        digest.update(chunk)
        out.write(chunk)


def _disposition(name: str) -> str:
    return f"inline; filename*=UTF-8''{quote(name)}"


def storage() -> LocalStorage:
    """Return the app's storage."""
    store = current_app.extensions.get("toekomstplan.storage")
    if store is None:
        store = LocalStorage(current_app.config["UPLOAD_DIR"])
        current_app.extensions["toekomstplan.storage"] = store
    return store
