"""The sharing job: shares past their last day end, and young people hear of one ending
soon (ending.py). Every five minutes; safe to run twice or on two consumers at once."""

from huey import crontab

from ..jobs import app_context, huey
from . import ending


def run() -> tuple[int, int]:
    return ending.end_passed(), ending.warn_soon()


@huey.periodic_task(crontab(minute="*/5"))
def sharing_task() -> None:
    with app_context():
        run()
