"""Background jobs of photos and videos."""

from huey import crontab

from .. import jobs
from ..jobs import app_context, huey
from . import housekeeping, video_jobs


@jobs.task()
def prepare_video_task(media_id: str) -> None:
    """Prepare an uploaded video (see video_jobs.prepare_video)."""
    with app_context():
        try:
            video_jobs.prepare_video(media_id)
        except Exception:
            # Whatever broke, the young person sees "did not work" instead of waiting forever.
            video_jobs.mark_failed(media_id)
            raise


@huey.on_startup()
def clear_at_start() -> None:
    """When the consumer starts (after a crash, say): clear leftovers, requeue lost videos."""
    with app_context():
        housekeeping.run()


@huey.periodic_task(crontab(minute="*/10"))
def housekeeping_task() -> None:
    """Every ten minutes: clear what crashes left, and queue again videos whose job was lost."""
    with app_context():
        housekeeping.run()
