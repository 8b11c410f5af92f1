"""Photos and videos: store an upload, attach, caption, put on the cover, delete."""

from __future__ import annotations

import errno
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from .. import ids, limits, pagecache
from ..extensions import db
from ..models import (
    AboutItem,
    Attachment,
    AttachTarget,
    Media,
    MediaFile,
    MediaKind,
    MediaStatus,
    Plan,
    new_media_id,
)
from ..models.media import CAPTION_MAX, LABEL_MAX
from ..storage import storage
from ..text import clean_line
from . import cleanup, images, inflight, variants, video_jobs
from .refusals import MediaRefused, Refusal

PHOTO_TYPES = {"jpeg", "png", "webp", "heif"}
VIDEO_TYPES = {"mp4", "mov", "webm"}
MEDIA_PER_PLAN_MAX = 500


def clean_label(name: str | None) -> str:
    """Turn a client's file name into a harmless label: no folders, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return re.sub(r"\s+", " ", name).strip(" .")[:LABEL_MAX]


def download_name(media: Media, stored: MediaFile) -> str:
    """Name a served file after its label, with the extension of what is really sent."""
    stem = Path(media.label).stem if media.label else f"{media.kind}-{media.id[:6]}"
    return stem[:80] + variants.EXTENSIONS.get(stored.content_type, "")


def used_bytes(plan_id: int) -> int:
    """Return the bytes a plan's photos and videos take up."""
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Media.size_bytes), 0)).where(
            Media.plan_id == plan_id
        )
    )
    return int(total or 0)


def check_room(plan: Plan, incoming: int) -> None:
    """Refuse an upload that would take the plan over its storage quota or item limit."""
    if limits.count(Media.id, Media.plan_id == plan.id) >= MEDIA_PER_PLAN_MAX:
        raise MediaRefused(Refusal.QUOTA, "item limit")
    if used_bytes(plan.id) + incoming > current_app.config["MEDIA_QUOTA_BYTES"]:
        raise MediaRefused(Refusal.QUOTA, "byte quota")


def _new_media(plan: Plan, kind: MediaKind, label: str, caption: str) -> Media:
    return Media(
        id=new_media_id(),
        plan_id=plan.id,
        kind=kind,
        label=clean_label(label),
        caption=clean_line(caption, CAPTION_MAX),
    )


def store_upload(plan: Plan, upload: Path, *, label: str, caption: str = "") -> Media:
    """Store one uploaded file: a photo is ready at once, a video goes to the job queue.

    The raw upload is never kept for a photo. A refused or failed upload leaves no row and
    no file behind; a full disk is a refusal too (NO_SPACE), with a line in the log.
    """
    try:
        return _store_upload(plan, upload, label=label, caption=caption)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        current_app.logger.error("The disk is full: an upload of plan %s was refused", plan.id)
        raise MediaRefused(Refusal.NO_SPACE, str(error)) from error


def _store_upload(plan: Plan, upload: Path, *, label: str, caption: str) -> Media:
    size = upload.stat().st_size
    if size == 0:
        raise MediaRefused(Refusal.EMPTY)
    if size > current_app.config["UPLOAD_MAX_BYTES"]:
        raise MediaRefused(Refusal.TOO_BIG)
    check_room(plan, size)
    kind = images.sniff(upload)
    if kind in PHOTO_TYPES:
        media = _new_media(plan, MediaKind.PHOTO, label, caption)
        pixels = current_app.config["MAX_IMAGE_PIXELS"]
        variants.store(
            media, lambda workdir: images.process_photo(upload, workdir, max_pixels=pixels)
        )
        # The variants may be bigger than the upload (a tiny PNG): the last check, under the
        # plan's upload lock until the commit, so two photos at once cannot both slip in.
        inflight.lock_plan(plan.id)
        if used_bytes(plan.id) + media.size_bytes > current_app.config["MEDIA_QUOTA_BYTES"]:
            db.session.rollback()
            cleanup.delete_prefix(f"{plan.id}/{media.id}")
            raise MediaRefused(Refusal.QUOTA, "variants")
        media.status = MediaStatus.READY
        return variants.commit_new(media)
    if kind in VIDEO_TYPES:
        media = _new_media(plan, MediaKind.VIDEO, label, caption)
        media.status, media.processing_since = MediaStatus.PROCESSING, datetime.now(UTC)
        stored = storage().save(variants.key_for(media, "incoming", ""), upload)
        media.files.append(variants.file_row("incoming", "application/octet-stream", stored))
        media.size_bytes = stored.size
        variants.commit_new(media)
        video_jobs.enqueue(media)
        return media
    raise MediaRefused(Refusal.UNSUPPORTED, f"sniffed {kind!r}")


def update_caption(media: Media, caption: str) -> None:
    """Save a caption."""
    media.caption = clean_line(caption, CAPTION_MAX)
    pagecache.plan_changed(media.plan_id)
    db.session.commit()


def delete_media(media: Media) -> None:
    """Delete a photo or video with every stored variant and every attachment."""
    plan_id, prefix = media.plan_id, f"{media.plan_id}/{media.id}"
    db.session.delete(media)
    pagecache.plan_changed(plan_id)
    db.session.commit()
    cleanup.delete_prefix(prefix)


def delete_plan_files(plan_id: int) -> None:
    """Delete every stored file of a plan (its rows go with the plan)."""
    cleanup.delete_prefix(str(plan_id))


def put_on_cover(plan: Plan, media: Media | None, focus: str) -> None:
    """Put a photo (or none) on the cover, positioned top, center or bottom.

    Part of the caller's transaction (the cover editor saves everything at once).
    """
    db.session.execute(
        sa.delete(Attachment).where(
            Attachment.plan_id == plan.id, Attachment.target == AttachTarget.COVER
        )
    )
    if media is not None:
        db.session.add(Attachment(media_id=media.id, plan_id=plan.id, target=AttachTarget.COVER))
    plan.cover_photo_focus = focus if focus in ("top", "center", "bottom") else "center"


def ready_media(plan: Plan, kind: MediaKind | None = None) -> list[Media]:
    """Return the plan's ready photos and videos (or those of one kind), newest first."""
    query = sa.select(Media).where(Media.plan_id == plan.id, Media.status == MediaStatus.READY)
    if kind is not None:
        query = query.where(Media.kind == kind)
    return list(
        db.session.scalars(
            query.order_by(Media.created_at.desc()).options(selectinload(Media.files))
        )
    )


def cover_choices(plan: Plan) -> list[Media]:
    """Return the photos that can go on the cover (ready ones, newest first)."""
    return ready_media(plan, MediaKind.PHOTO)


def set_attachments(media: Media, *, intro: bool, about_item_ids: set[int]) -> None:
    """Show a media item with the introduction and with the chosen "about me" items."""
    valid_items = set(
        db.session.scalars(
            sa.select(AboutItem.id).where(
                AboutItem.plan_id == media.plan_id,
                AboutItem.id.in_({i for i in about_item_ids if ids.fits(i)} or {0}),
            )
        )
    )
    db.session.execute(
        sa.delete(Attachment).where(
            Attachment.media_id == media.id,
            Attachment.target.in_([AttachTarget.INTRO, AttachTarget.ABOUT]),
        )
    )
    if intro:
        db.session.add(
            Attachment(media_id=media.id, plan_id=media.plan_id, target=AttachTarget.INTRO)
        )
    for item_id in sorted(valid_items):
        db.session.add(
            Attachment(
                media_id=media.id,
                plan_id=media.plan_id,
                target=AttachTarget.ABOUT,
                about_item_id=item_id,
            )
        )
    pagecache.plan_changed(media.plan_id)
    db.session.commit()


@dataclass
class Shown:
    """Which ready photos and videos a plan shows where."""

    cover: Media | None = None
    intro: list[Media] = field(default_factory=list)
    about: dict[int, list[Media]] = field(default_factory=dict)  # by "about me" item id
    recent: list[Media] = field(default_factory=list)  # the newest six


def attached(plan: Plan) -> Shown:
    """Return what is shown where, in three queries however many photos there are."""
    ready = ready_media(plan)
    result = Shown(recent=list(ready[:6]))
    media = {m.id: m for m in ready}
    for attachment in plan.attachments:
        item = media.get(attachment.media_id)
        if item is None or not item.is_ready:
            continue
        if attachment.target == AttachTarget.COVER:
            result.cover = item
        elif attachment.target == AttachTarget.INTRO:
            result.intro.append(item)
        elif attachment.target == AttachTarget.ABOUT and attachment.about_item_id:
            result.about.setdefault(attachment.about_item_id, []).append(item)
    return result
