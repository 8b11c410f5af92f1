"""Evidence: the photos and videos a young person shows on a goal or step ("what I learned")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import pagecache
from ..extensions import db
from ..models import Attachment, AttachTarget, EventKind, Goal, Media, Step
from . import services


def add(goal: Goal, media: Media, step: Step | None = None) -> bool:
    """Show a photo or video on a goal (or one of its steps): "this is what I learned"."""
    if media.plan_id != goal.plan_id or (step is not None and step.goal_id != goal.id):
        return False
    target = AttachTarget.STEP if step else AttachTarget.GOAL
    exists = db.session.scalar(
        sa.select(Attachment.id).where(
            Attachment.media_id == media.id,
            Attachment.target == target,
            Attachment.goal_id == (None if step else goal.id),
            Attachment.step_id == (step.id if step else None),
        )
    )
    if exists:
        return False
    db.session.add(
        Attachment(
            media_id=media.id,
            plan_id=goal.plan_id,
            target=target,
            goal_id=None if step else goal.id,
            step_id=step.id if step else None,
        )
    )
    services.record_event(goal, EventKind.EVIDENCE, step.text if step else None, media_id=media.id)
    db.session.commit()
    return True


def remove(goal: Goal, media_id: str) -> None:
    """Stop showing a photo or video on a goal and its steps (the photo itself stays)."""
    step_ids = [s.id for s in goal.steps]
    db.session.execute(
        sa.delete(Attachment).where(
            Attachment.media_id == media_id,
            sa.or_(Attachment.goal_id == goal.id, Attachment.step_id.in_(step_ids or [0])),
        )
    )
    pagecache.plan_changed(goal.plan_id)
    db.session.commit()


@dataclass
class Evidence:
    """The photos and videos shown on a goal ("what I learned") and on its steps."""

    goal: list[Media] = field(default_factory=list)
    steps: dict[int, list[Media]] = field(default_factory=dict)
    by_id: dict[str, Media] = field(default_factory=dict)

    def keep(self, visible: Callable[[Media], bool]) -> Evidence:
        """The same evidence with only the photos and videos `visible` lets through."""
        return Evidence(
            goal=[m for m in self.goal if visible(m)],
            steps={s: [m for m in ms if visible(m)] for s, ms in self.steps.items()},
            by_id={i: m for i, m in self.by_id.items() if visible(m)},
        )


def shown_on(goal: Goal) -> Evidence:
    """Return the media shown on a goal and on each of its steps (one query)."""
    step_ids = [s.id for s in goal.steps]
    rows = db.session.execute(
        sa.select(Attachment, Media)
        .join(Media, Media.id == Attachment.media_id)
        .where(sa.or_(Attachment.goal_id == goal.id, Attachment.step_id.in_(step_ids or [0])))
        .order_by(Attachment.created_at)
        .options(selectinload(Media.files))
    ).all()
    result = Evidence()
    for attachment, media in rows:
        result.by_id[media.id] = media
        if attachment.step_id:
            result.steps.setdefault(attachment.step_id, []).append(media)
        else:
            result.goal.append(media)
    return result
