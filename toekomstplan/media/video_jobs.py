"""Preparing an uploaded video in the background: the job, its failure, trying again."""

from __future__ import annotations

from flask import current_app

from .. import pagecache
from ..extensions import db
from ..models import Media, MediaFile, MediaStatus
from ..storage import storage
from . import images, variants, videos
from .refusals import MediaRefused, Refusal


def enqueue(media: Media) -> None:
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
            stored = storage().save(variants.key_for(media, "video", "video/mp4"), prepared.video)
            new_rows.append(
                variants.file_row("video", "video/mp4", stored, prepared.width, prepared.height)
            )
            (workdir / "poster").mkdir()
            pixels = current_app.config["MAX_IMAGE_PIXELS"]
            poster = images.process_photo(prepared.poster, workdir / "poster", max_pixels=pixels)
            new_rows += variants.save(media, poster)
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
    enqueue(media)
