"""Stored files on the local disk under one folder, never a static folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from flask import Response, current_app
from werkzeug.security import safe_join

from .base import (
    LEFTOVER_SECONDS,
    Storage,
    Stored,
    UnsafeKey,
    check_key,
    copy_hashing,
    disposition,
    is_leftover,
    owned_prefix,
    private,
    send_private,
)


class LocalStorage(Storage):
    """Files under `root`; writes are atomic (a temporary file beside the target, renamed).

    With a reverse proxy in front, MEDIA_X_ACCEL_PREFIX makes `send` answer with an
    `X-Accel-Redirect` header instead, so the proxy streams the file after our access check.
    """

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        super().__init__(self.root / ".tmp")  # on the same disk, so a link is instant

    def _path(self, key: str) -> Path:
        joined = safe_join(str(self.root), *check_key(key).split("/"))
        if joined is None:
            raise UnsafeKey(key)
        return Path(joined)

    def save(self, key: str, source: Path | BinaryIO) -> Stored:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix="." + owned_prefix("part"))
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(source, Path):
                    with source.open("rb") as src:
                        stored = copy_hashing(src, out)
                else:
                    stored = copy_hashing(source, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Stored(key, stored.size, stored.checksum)

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        for parent in path.parents:  # and the folders it leaves empty
            if parent == self.root or not parent.is_relative_to(self.root):
                break
            try:
                parent.rmdir()
            except OSError:
                break

    def delete_prefix(self, prefix: str) -> None:
        shutil.rmtree(self._path(prefix.rstrip("/")), ignore_errors=True)

    def leftovers(self, older_than: float = LEFTOVER_SECONDS) -> list[Path]:
        # Also the half-written file a crash left beside its target (`save` writes .part-*).
        parts = [
            p for p in self.root.rglob(".part-*") if p.is_file() and is_leftover(p, older_than)
        ]
        return super().leftovers(older_than) + sorted(parts)

    def keys(self) -> Iterator[str]:
        for path in self.root.rglob("*"):
            rel = path.relative_to(self.root)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                yield rel.as_posix()

    def send(self, key: str, *, content_type: str, download_name: str, etag: str) -> Response:
        prefix = current_app.config.get("MEDIA_X_ACCEL_PREFIX")
        if prefix:
            response = Response(content_type=content_type)
            response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + check_key(key)
            response.headers["Content-Disposition"] = disposition(download_name)
            return private(response)
        return send_private(
            self._path(key), content_type=content_type, download_name=download_name, etag=etag
        )

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        # A hard link in the work folder: instant for a 500 MB video, and deleting the link
        # afterwards leaves the stored file alone. Copy where the disk cannot link.
        fd, name = tempfile.mkstemp(dir=self.work_dir(), prefix=owned_prefix("copy"))
        os.close(fd)
        path = Path(name)
        try:
            path.unlink()
            try:
                os.link(self._path(key), path)
            except OSError:
                shutil.copyfile(self._path(key), path)
            yield path
        finally:
            path.unlink(missing_ok=True)
