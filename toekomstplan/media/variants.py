"""Stored files of a photo or video: their keys, their rows, and storing them all or none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import pagecache
from ..extensions import db
from ..models import Media, MediaFile
from ..storage import storage
from ..storage.base import Stored
from . import cleanup, images

EXTENSIONS = {"image/jpeg": ".jpg", "image/webp": ".webp", "image/png": ".png", "video/mp4": ".mp4"}


def key_for(media: Media, variant: str, content_type: str) -> str:
    """Return where a variant of `media` is stored: under its plan, then its id."""
    return f"{media.plan_id}/{media.id}/{variant}{EXTENSIONS.get(content_type, '.bin')}"


def commit_new(media: Media) -> Media:
    """Commit a new photo or video; if that fails, its stored files go too."""
    try:
        db.session.add(media)
        pagecache.plan_changed(media.plan_id)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        cleanup.delete_prefix(f"{media.plan_id}/{media.id}")
        raise
    return media


def file_row(
    variant: str,
    content_type: str,
    stored: Stored,
    width: int | None = None,
    height: int | None = None,
) -> MediaFile:
    """Return the row (not yet added) of a file just stored."""
    return MediaFile(
        variant=variant,
        key=stored.key,
        content_type=content_type,
        size=stored.size,
        checksum=stored.checksum,
        width=width,
        height=height,
    )


def store(media: Media, make: Callable[[Path], list[images.Variant]]) -> None:
    """Run `make(workdir)` for image variants and store them; on any failure store nothing."""
    try:
        with storage().workspace() as workdir:
            for row in save(media, make(workdir)):
                media.files.append(row)
                if row.variant == "master":
                    media.width, media.height = row.width, row.height
        media.size_bytes = (media.size_bytes or 0) + sum(
            f.size for f in media.files if f.variant != "incoming"
        )
    except BaseException:
        cleanup.delete_prefix(f"{media.plan_id}/{media.id}")
        raise


def save(media: Media, variants: list[images.Variant]) -> list[MediaFile]:
    """Store written image variants and return their rows (not yet added to the session)."""
    rows = []
    for variant in variants:
        stored = storage().save(key_for(media, variant.name, variant.content_type), variant.path)
        rows.append(
            file_row(variant.name, variant.content_type, stored, variant.width, variant.height)
        )
    return rows
