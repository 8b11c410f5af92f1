"""Photos and videos: store an upload, prepare videos, attach, caption, delete, check."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from .. import ids, pagecache
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
from . import images, videos
from .refusals import MediaRefused, Refusal

PHOTO_TYPES = {"jpeg", "png", "webp", "heif"}
VIDEO_TYPES = {"mp4", "mov", "webm"}
MEDIA_PER_PLAN_MAX = 500
EXTENSIONS = {"image/jpeg": ".jpg", "image/webp": ".webp", "image/png": ".png", "video/mp4": ".mp4"}


def clean_label(name: str | None) -> str:
    """Turn a client's file name into a harmless label: no folders, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return re.sub(r"\s+", " ", name).strip(" .")[:LABEL_MAX]


def download_name(media: Media, stored: MediaFile) -> str:
    """Name a served file after its label, with the extension of what is really sent."""
    stem = Path(media.label).stem if media.label else f"{media.kind}-{media.id[:6]}"
    return stem[:80] + EXTENSIONS.get(stored.content_type, "")


def used_bytes(plan_id: int) -> int:
    """Return the bytes a plan's photos and videos take up."""
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Media.size_bytes), 0)).where(
            Media.plan_id == plan_id
        )
    )
    return int(total or 0)


def _key(media: Media, variant: str, content_type: str) -> str:
    return f"{media.plan_id}/{media.id}/{variant}{EXTENSIONS.get(content_type, '.bin')}"


def check_room(plan: Plan, incoming: int) -> None:
    """Refuse an upload that would take the plan over its storage quota or item limit."""
    count = db.session.scalar(sa.select(sa.func.count(Media.id)).where(Media.plan_id == plan.id))
    if count >= MEDIA_PER_PLAN_MAX:
        raise MediaRefused(Refusal.QUOTA, "item limit")
    if used_bytes(plan.id) + incoming > current_app.config["MEDIA_QUOTA_BYTES"]:
        raise MediaRefused(Refusal.QUOTA, "byte quota")


def store_upload(plan: Plan, upload: Path, *, label: str, caption: str = "") -> Media:
    """Store one uploaded file: a photo is ready at once, a video goes to the job queue.

    The raw upload is never kept for a photo. A refused or failed upload leaves no row and
    no file behind.
    """
    size = upload.stat().st_size
    if size == 0:
        raise MediaRefused(Refusal.EMPTY)
    if size > current_app.config["UPLOAD_MAX_BYTES"]:
        raise MediaRefused(Refusal.TOO_BIG)
    check_room(plan, size)
    kind = images.sniff(upload)
    if kind in PHOTO_TYPES:
        media = Media(
            id=new_media_id(),
            plan_id=plan.id,
            kind=MediaKind.PHOTO,
            label=clean_label(label),
            caption=clean_line(caption, CAPTION_MAX),
        )
        pixels = current_app.config["MAX_IMAGE_PIXELS"]
        _store_variants(
            media, lambda workdir: images.process_photo(upload, workdir, max_pixels=pixels)
        )
        if used_bytes(plan.id) + media.size_bytes > current_app.config["MEDIA_QUOTA_BYTES"]:
            storage().delete_prefix(f"{plan.id}/{media.id}")
            raise MediaRefused(Refusal.QUOTA, "variants")
        media.status = MediaStatus.READY
        return _commit_new(media)
    if kind in VIDEO_TYPES:
        media = Media(
            id=new_media_id(),
            plan_id=plan.id,
            kind=MediaKind.VIDEO,
            label=clean_label(label),
            caption=clean_line(caption, CAPTION_MAX),
            status=MediaStatus.PROCESSING,
        )
        stored = storage().save(_key(media, "incoming", ""), upload)
        media.files.append(_file_row("incoming", "application/octet-stream", stored))
        media.size_bytes = stored.size
        _commit_new(media)
        enqueue_video(media)
        return media
    raise MediaRefused(Refusal.UNSUPPORTED, f"sniffed {kind!r}")


def _commit_new(media: Media) -> Media:
    try:
        db.session.add(media)
        pagecache.plan_changed(media.plan_id)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage().delete_prefix(f"{media.plan_id}/{media.id}")
        raise
    return media


def _file_row(variant: str, content_type: str, stored, width=None, height=None) -> MediaFile:
    return MediaFile(
        variant=variant,
        key=stored.key,
        content_type=content_type,
        size=stored.size,
        checksum=stored.checksum,
        width=width,
        height=height,
    )


def _store_variants(media: Media, make) -> None:
    """Run `make(workdir)` for image variants and store them; on any failure store nothing."""
    try:
        with storage().workspace() as workdir:
            for row in _save_variants(media, make(workdir)):
                media.files.append(row)
                if row.variant == "master":
                    media.width, media.height = row.width, row.height
        media.size_bytes = (media.size_bytes or 0) + sum(
            f.size for f in media.files if f.variant != "incoming"
        )
    except BaseException:
        storage().delete_prefix(f"{media.plan_id}/{media.id}")
        raise


def _save_variants(media: Media, variants: list[images.Variant]) -> list[MediaFile]:
    """Store written image variants and return their rows (not yet added to the session)."""
    rows = []
    for variant in variants:
        stored = storage().save(_key(media, variant.name, variant.content_type), variant.path)
        rows.append(
            _file_row(variant.name, variant.content_type, stored, variant.width, variant.height)
        )
    return rows


def enqueue_video(media: Media) -> None:
    """Hand a video to the job queue (after its row is committed)."""
    from .tasks import prepare_video_task  # the task module imports this one

    prepare_video_task(media.id)


def prepare_video(media_id: str) -> None:
    """Make a stored upload into a playable, stripped MP4 with a poster (a background job)."""
    media = db.session.get(Media, media_id)
    if media is None or media.status == MediaStatus.READY:
        return  # deleted meanwhile, or done already
    incoming = media.file("incoming")
    if incoming is None:
        _fail(media, Refusal.VIDEO_FAILED)
        return
    new_rows: list[MediaFile] = []
    try:
        with storage().local_copy(incoming.key) as source, storage().workspace() as workdir:
            prepared = videos.prepare_video(source, workdir / "video")
            stored = storage().save(_key(media, "video", "video/mp4"), prepared.video)
            new_rows.append(
                _file_row("video", "video/mp4", stored, prepared.width, prepared.height)
            )
            (workdir / "poster").mkdir()
            pixels = current_app.config["MAX_IMAGE_PIXELS"]
            poster = images.process_photo(prepared.poster, workdir / "poster", max_pixels=pixels)
            new_rows += _save_variants(media, poster)
    except MediaRefused as refused:
        current_app.logger.warning("video %s refused: %s", media_id, refused)
        for row in new_rows:
            storage().delete(row.key)
        _fail(media, refused.reason)
        return
    media.files.remove(incoming)
    media.files.extend(new_rows)
    media.width, media.height, media.duration = prepared.width, prepared.height, prepared.duration
    media.size_bytes = sum(f.size for f in new_rows)
    media.status, media.failure = MediaStatus.READY, None
    pagecache.plan_changed(media.plan_id)
    db.session.commit()
    storage().delete(incoming.key)  # the raw upload, with its location data, goes


def mark_failed(media_id: str) -> None:
    """Record that preparing a video broke off unexpectedly (the job logs why)."""
    db.session.rollback()
    media = db.session.get(Media, media_id)
    if media is not None and media.status == MediaStatus.PROCESSING:
        _fail(media, Refusal.VIDEO_FAILED)


def _fail(media: Media, reason: Refusal) -> None:
    """Mark a video as failed; its upload stays so it can be tried again or deleted."""
    media.status, media.failure = MediaStatus.FAILED, str(reason)
    db.session.commit()


def retry_video(media: Media) -> None:
    """Queue a failed video again."""
    media.status, media.failure = MediaStatus.PROCESSING, None
    db.session.commit()
    enqueue_video(media)


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
    storage().delete_prefix(prefix)


def delete_plan_files(plan_id: int) -> None:
    """Delete every stored file of a plan (its rows go with the plan)."""
    storage().delete_prefix(str(plan_id))


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


def cover_choices(plan: Plan) -> list[Media]:
    """Return the photos that can go on the cover (ready ones, newest first)."""
    return db.session.scalars(
        sa.select(Media)
        .where(
            Media.plan_id == plan.id,
            Media.kind == MediaKind.PHOTO,
            Media.status == MediaStatus.READY,
        )
        .order_by(Media.created_at.desc())
        .options(selectinload(Media.files))
    ).all()


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
    ready = db.session.scalars(
        sa.select(Media)
        .where(Media.plan_id == plan.id, Media.status == MediaStatus.READY)
        .order_by(Media.created_at.desc())
        .options(selectinload(Media.files))
    ).all()
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


@dataclass
class CheckReport:
    orphan_files: list[str] = field(default_factory=list)  # on disk, no row
    missing_files: list[str] = field(default_factory=list)  # a row, no file


def check(fix: bool = False) -> CheckReport:
    """Compare stored files with their rows; with `fix`, delete both kinds of leftovers."""
    store = storage()
    known = {row.key: row for row in db.session.scalars(sa.select(MediaFile))}
    report = CheckReport()
    report.orphan_files = sorted(k for k in store.keys() if k not in known)
    report.missing_files = sorted(k for k, row in known.items() if not store.exists(k))
    if fix:
        for key in report.orphan_files:
            store.delete(key)
        broken = {known[k].media_id for k in report.missing_files}
        for media in db.session.scalars(sa.select(Media).where(Media.id.in_(broken))):
            delete_media(media)
    return report
