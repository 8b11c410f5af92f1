"""The demo support worker: invited by the demo young person, with a few reactions."""

from datetime import UTC, datetime, timedelta

from .comments import services as comments
from .extensions import db
from .models import Plan, Share, ShareRole, User


def add(plan: Plan, worker: User) -> None:
    """Share the plan with the worker and start a conversation on the first goal."""
    db.session.add(
        Share(
            plan_id=plan.id, user_id=worker.id, role=ShareRole.WORKER, label="Mo, mijn begeleider"
        )
    )
    db.session.commit()
    goal = plan.goals[0]
    first = comments.add_comment(
        goal, worker, "Goed dat je je cv af hebt! Zullen we donderdag samen de brief schrijven?"
    )
    comments.add_comment(goal, plan.owner, "Ja, graag. Na school kan ik.", parent=first)
    comments.suggest(plan, worker, "Je cv laten lezen door je mentor", goal=goal)
    comments.set_worker_rating(goal, worker, "good")
    # The worker's last visit was a week ago: the overview shows what changed since.
    share = db.session.query(Share).filter_by(plan_id=plan.id, user_id=worker.id).one()
    share.last_visit_at = datetime.now(UTC) - timedelta(days=7)
    db.session.commit()
