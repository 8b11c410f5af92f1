"""The storage contract every backend keeps, and the work-in-progress area they share."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO
from urllib.parse import quote

from flask import Response, send_file

CHUNK = 1024 * 1024
YEAR_SECONDS = 365 * 24 * 3600
# Work in progress older than this was left by a crash (an upload, an export or a transcode
# always ends sooner, and removes its own files when it ends in any other way).
LEFTOVER_SECONDS = 3600


class UnsafeKey(ValueError):
    """A key that would leave the store."""


class Unavailable(OSError):
    """The storage does not answer (an object store that is down or overloaded): nothing
    was stored, and the same request may work in a moment."""


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    checksum: str  # sha256, hex


def check_key(key: str) -> str:
    """Return `key` if it names a file inside a store: relative, no "..", no empty parts."""
    parts = key.split("/")
    if (
        not key
        or key.startswith("/")
        or "\\" in key
        or "\x00" in key
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        raise UnsafeKey(key)
    return key


def copy_hashing(source: BinaryIO, target: IO[bytes] | None) -> Stored:
    """Copy `source` into `target` (None: only read it), returning the size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        if target is not None:
            target.write(chunk)
        size += len(chunk)
    return Stored("", size, digest.hexdigest())


def disposition(name: str) -> str:
    """An inline Content-Disposition with the name in RFC 6266's UTF-8 form."""
    return f"inline; filename*=UTF-8''{quote(name)}"


def private(response: Response) -> Response:
    """Mark an answer for this browser only: a shared cache never keeps an upload.

    Media URLs carry the file's checksum (?v=), so the browser itself may keep it a year.
    """
    response.cache_control.public = False
    response.cache_control.private = True
    response.cache_control.max_age = YEAR_SECONDS
    return response


def send_private(
    source: str | Path | BinaryIO, *, content_type: str, download_name: str, etag: str
) -> Response:
    """Send a stored file (a path or an open file) to this browser only, with range support."""
    response = send_file(
        source,
        mimetype=content_type,
        download_name=download_name,
        conditional=True,
        etag=etag,
        max_age=YEAR_SECONDS,
    )
    return private(response)


def owned_prefix(kind: str) -> str:
    """The start of a work file's name: its kind and the process that made it, so a process
    starting after a crash knows at once which files no living process will finish. (The work
    folder is on each host's own disk: process ids are only compared on the host that made
    them.)"""
    return f"{kind}-{os.getpid()}-"


_OWNED = re.compile(r"^\.?[a-z]+-(\d+)-")


def _owner_gone(path: Path) -> bool:
    match = _OWNED.match(path.name)
    if match is None:
        return False
    if Path("/proc/self").exists():  # Linux: a process being killed is gone from /proc first
        try:
            stat = Path(f"/proc/{match[1]}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            return True
        return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]  # a zombie does no more work
    try:
        os.kill(int(match[1]), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # it exists (as another user), or is no process id at all
    return False


def is_leftover(path: Path, older_than: float) -> bool:
    """Whether `path` is work in progress nobody will finish: its process is gone, or it has
    not changed for `older_than` seconds."""
    return _owner_gone(path) or last_change(path) < time.time() - older_than


def last_change(path: Path) -> float:
    """The newest modification time of a file, or of a folder and everything in it."""
    try:
        newest = path.lstat().st_mtime
        if path.is_dir() and not path.is_symlink():
            for child in path.rglob("*"):
                newest = max(newest, child.lstat().st_mtime)
        return newest
    except FileNotFoundError:  # removed meanwhile by the request that made it
        return time.time()


class Storage(ABC):
    """Keys in, bytes out. `work_root` is a folder on the local disk for work in progress."""

    def __init__(self, work_root: str | Path):
        self.work_root = Path(work_root)

    # Stored files

    @abstractmethod
    def save(self, key: str, source: Path | BinaryIO) -> Stored:
        """Store the bytes of `source` (a path or an open file) under `key`, all or nothing."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """Open the stored bytes of `key` for reading."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Say whether `key` is stored."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Delete `key`; a key that is not stored is fine."""

    @abstractmethod
    def delete_prefix(self, prefix: str) -> None:
        """Delete every key that starts with `prefix/` (a whole plan or media item)."""

    @abstractmethod
    def keys(self) -> Iterator[str]:
        """Yield every stored key (work in progress excluded)."""

    @abstractmethod
    def send(self, key: str, *, content_type: str, download_name: str, etag: str) -> Response:
        """Answer with the stored bytes of `key`, with Range support (206) for seeking."""

    # Work in progress, on the local disk

    def work_dir(self) -> Path:
        """Return the folder all work in progress lives in (made on first use)."""
        self.work_root.mkdir(parents=True, exist_ok=True)
        return self.work_root

    def leftovers(self, older_than: float = LEFTOVER_SECONDS) -> list[Path]:
        """Return the work in progress a crash left: anything in the work folder made by a
        process that is gone (a web server or consumer killed), or that has not changed for
        `older_than` seconds (a folder counts by its newest file)."""
        if not self.work_root.is_dir():
            return []
        return sorted(p for p in self.work_root.iterdir() if is_leftover(p, older_than))

    def sweep(self, older_than: float = LEFTOVER_SECONDS) -> list[str]:
        """Remove what `leftovers` finds (a raw photo with its location, half a video);
        return the names removed. Run at start and by the periodic job."""
        removed = []
        for path in self.leftovers(older_than):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.name)
        return removed

    def upload_file(self) -> IO[bytes]:
        """Return a temporary file for an upload being received; closing it removes it."""
        return tempfile.NamedTemporaryFile(dir=self.work_dir(), prefix=owned_prefix("upload"))

    @contextmanager
    def workspace(self) -> Iterator[Path]:
        """Lend a temporary folder for processing; it is removed afterwards, whatever happens."""
        folder = Path(tempfile.mkdtemp(dir=self.work_dir(), prefix=owned_prefix("work")))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        """Lend a temporary file holding the bytes of `key` (for ffmpeg); removed afterwards."""
        fd, name = tempfile.mkstemp(dir=self.work_dir(), prefix=owned_prefix("copy"))
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out, self.open(key) as source:
                copy_hashing(source, out)
            yield path
        finally:
            path.unlink(missing_ok=True)
