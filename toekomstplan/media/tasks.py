"""Background jobs of photos and videos."""

from ..jobs import app_context, huey
from . import services


@huey.task()
def prepare_video_task(media_id: str) -> None:
    """Prepare an uploaded video (see services.prepare_video)."""
    with app_context():
        try:
            services.prepare_video(media_id)
        except Exception:
            # Whatever broke, the young person sees "did not work" instead of waiting forever.
            services.mark_failed(media_id)
            raise
