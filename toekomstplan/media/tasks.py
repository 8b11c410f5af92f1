"""Background jobs of photos and videos."""

from ..jobs import app_context, huey
from . import video_jobs


@huey.task()
def prepare_video_task(media_id: str) -> None:
    """Prepare an uploaded video (see video_jobs.prepare_video)."""
    with app_context():
        try:
            video_jobs.prepare_video(media_id)
        except Exception:
            # Whatever broke, the young person sees "did not work" instead of waiting forever.
            video_jobs.mark_failed(media_id)
            raise
