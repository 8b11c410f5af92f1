"""Compare the stored files with their rows (`flask media-check`), and clear up leftovers."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from ..models import Media, MediaFile
from ..storage import storage
from .services import delete_media


@dataclass
class CheckReport:
    orphan_files: list[str] = field(default_factory=list)  # on disk, no row
    missing_files: list[str] = field(default_factory=list)  # a row, no file
    leftover_work: list[str] = field(default_factory=list)  # what a crash left mid-way

    @property
    def all_match(self) -> bool:
        return not (self.orphan_files or self.missing_files or self.leftover_work)


def check(fix: bool = False) -> CheckReport:
    """Compare stored files with their rows and look for work a crash left (a raw upload
    in the work folder, a half-written file); with `fix`, delete every kind of leftover."""
    store = storage()
    known = {row.key: row for row in db.session.scalars(sa.select(MediaFile))}
    report = CheckReport()
    report.orphan_files = sorted(k for k in store.keys() if k not in known)
    report.missing_files = sorted(k for k, row in known.items() if not store.exists(k))
    report.leftover_work = [str(p) for p in store.leftovers()]
    if fix:
        store.sweep()
        for key in report.orphan_files:
            store.delete(key)
        broken = {known[k].media_id for k in report.missing_files}
        for media in db.session.scalars(sa.select(Media).where(Media.id.in_(broken))):
            delete_media(media)
    return report
