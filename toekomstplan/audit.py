"""The access log a young person can read: what others did with their plan, and when.

In the spirit of NEN 7513: an event, a time, whose plan and which user. It holds no content
and no tokens, and it records what others do, not the young person's own views.
"""

from .extensions import db
from .models import AccessEvent


def record(plan_id: int, user_id: int | None, action: str, target: str = "") -> None:
    """Add an event to the caller's transaction."""
    db.session.add(AccessEvent(plan_id=plan_id, user_id=user_id, action=action, target=target))
