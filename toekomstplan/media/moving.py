"""`flask media move-storage`: copy a running installation's stored files into another
storage (the local disk into object storage), checking every checksum.

Every row's file is copied under the same key and read back from the target; a file whose
bytes come back different from its row's checksum is reported and the move fails. The
source is left as it was, so the installation keeps running on it until STORAGE_URL is
switched; files that arrive meanwhile are copied by running the command again (a file
already in the target with the right checksum is skipped).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import MediaFile
from ..storage import Storage, make_storage, storage

CHUNK = 1024 * 1024


@dataclass
class MoveReport:
    copied: int = 0
    skipped: int = 0  # already in the target, with the right checksum
    bad: list[str] = field(default_factory=list)  # read back different from the row

    @property
    def ok(self) -> bool:
        return not self.bad


def _checksum(store: Storage, key: str) -> str | None:
    try:
        with store.open(key) as stored:
            digest = hashlib.sha256()
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
            return digest.hexdigest()
    except FileNotFoundError:
        return None


def move(target_url: str, progress: Callable[[str], None] = lambda _: None) -> MoveReport:
    """Copy every row's file from the app's storage into the storage of `target_url`."""
    source = storage()
    target = make_storage({**current_app.config, "STORAGE_URL": target_url})
    report = MoveReport()
    rows = db.session.execute(sa.select(MediaFile.key, MediaFile.checksum).order_by(MediaFile.key))
    for key, checksum in rows:
        if target.exists(key) and _checksum(target, key) == checksum:
            report.skipped += 1
            continue
        with source.open(key) as stored:
            target.save(key, stored)
        if _checksum(target, key) != checksum:
            report.bad.append(key)
            progress(f"checksum differs after copying: {key}")
            continue
        report.copied += 1
    return report
