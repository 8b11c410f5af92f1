"""Preparing an uploaded video in the background: the job, its failure, trying again."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from .. import conditional, jobs, pagecache
from ..extensions import db
from ..models import Media, MediaFile, MediaKind, MediaStatus
from ..storage import storage
from . import cleanup, images, variants, videos
from .refusals import MediaRefused, Refusal


def enqueue(media: Media) -> None:
    """Hand a video to the job queue (after its row is committed, processing_since set)."""
    from .tasks import prepare_video_task  # the task module imports this one

    jobs.send(prepare_video_task, media.id)


def _claim_for_queue(media_id: str, where) -> bool:
    """Mark a video as (again) on its way to the queue, if `where` still holds: a
    conditional update, so two requests or two checks at once queue it once."""
    return conditional.update_one(
        sa.update(Media)
        .where(Media.id == media_id, where)
        .values(
            status=MediaStatus.PROCESSING,
            failure=None,
            processing_since=datetime.now(UTC),
            processing_by=None,
        )
        .execution_options(synchronize_session=False)
    )


def _host() -> str:
    """This machine since its last boot: a process id means something only within it."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        boot = "-"
    return f"{socket.gethostname()}:{boot}:"


def _this_consumer() -> str:
    return f"{_host()}{os.getpid()}"


def _claim_for_job(media_id: str) -> bool:
    """Record that this consumer prepares the video now (unless it is ready, failed or gone
    meanwhile); committed before the transcode starts, so a restart can tell it was lost."""
    claimed = conditional.update_one(
        sa.update(Media)
        .where(
            Media.id == media_id,
            Media.status == MediaStatus.PROCESSING,
            Media.processing_by.is_(None),  # a second job for it finds it taken
        )
        .values(processing_by=_this_consumer(), processing_since=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed


def job_max() -> timedelta:
    """The longest a video's job can take (VIDEO_JOB_SECONDS: the transcode's own limit of
    ten minutes, the poster and the wait in the queue); a video processing longer lost it."""
    return timedelta(seconds=current_app.config["VIDEO_JOB_SECONDS"])


def lost_job(media: Media) -> bool:
    return media.lost_job(job_max())


def _lost_job(dead: list[str] | tuple[str, ...] = ()):
    """Processing for longer than a job can take, or held by a consumer that is `dead`: its
    job was lost (a consumer killed)."""
    since = sa.func.coalesce(Media.processing_since, Media.created_at)
    return sa.and_(
        Media.status == MediaStatus.PROCESSING,
        sa.or_(since < datetime.now(UTC) - job_max(), Media.processing_by.in_(dead)),
    )


def _dead_consumers() -> list[str]:
    """The consumers of this machine that held a video's job and are gone: killed or
    crashed (a process id that no longer runs), or from before the machine started again.
    Consumers on other machines are left to the time limit."""
    name = f"{socket.gethostname()}:"
    holders = db.session.scalars(
        sa.select(Media.processing_by)
        .where(Media.status == MediaStatus.PROCESSING, Media.processing_by.startswith(name))
        .distinct()
    ).all()
    here = _host()
    return [h for h in holders if h and (not h.startswith(here) or not _runs(h.removeprefix(here)))]


def _runs(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True  # another user's process, or not a process id: not ours to judge
    return True


def requeue_lost() -> list[str]:
    """Queue again every video whose job was lost; return their ids (the periodic check,
    and each consumer's start)."""
    dead = _dead_consumers()
    lost = db.session.scalars(
        sa.select(Media.id).where(Media.kind == MediaKind.VIDEO, _lost_job(dead))
    ).all()
    queued = []
    for media_id in lost:
        if _claim_for_queue(media_id, _lost_job(dead)):
            db.session.commit()
            current_app.logger.warning("video %s lost its job: queued again", media_id)
            enqueue(db.session.get(Media, media_id) or Media(id=media_id))
            queued.append(media_id)
    db.session.rollback()
    return queued


def prepare_video(media_id: str) -> None:
    """Make a stored upload into a playable, stripped MP4 with a poster (a background job)."""
    if not _claim_for_job(media_id):
        return  # deleted meanwhile, or done already
    media = db.session.get(Media, media_id)
    if media is None:
        return
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
            cleanup.delete_key(row.key)
        _fail(media, refused.reason)
        return
    media.files.remove(incoming)
    media.files.extend(new_rows)
    media.width, media.height, media.duration = prepared.width, prepared.height, prepared.duration
    media.size_bytes = sum(f.size for f in new_rows)
    media.status, media.failure = MediaStatus.READY, None
    pagecache.plan_changed(media.plan_id)
    db.session.commit()
    cleanup.delete_key(incoming.key)  # the raw upload, with its location data, goes


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


def can_retry(media: Media) -> bool:
    """A failed video can be tried again, and so can one whose job was lost."""
    return media.kind == MediaKind.VIDEO and (media.status == MediaStatus.FAILED or lost_job(media))


def retry_video(media: Media) -> None:
    """Queue a failed or stuck video again (once, however often the button is tapped)."""
    stuck_or_failed = sa.or_(Media.status == MediaStatus.FAILED, _lost_job())
    if _claim_for_queue(media.id, stuck_or_failed):
        db.session.commit()
        db.session.refresh(media)
        enqueue(media)
