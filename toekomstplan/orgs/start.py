"""Start links: a young person starts their plan through their worker.

A worker with an active place in an organisation makes a one-time link (seven days). The
young person opens it, makes an account or logs in, sees what the worker will see, may change
it, and confirms: only then is the plan shared, through that membership, so it shows as
"Mo, begeleider bij Jeugdformaat". Registering on one's own keeps working as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .. import access_log, conditional, pagecache
from ..extensions import db
from ..models import Membership, Share, ShareRole, StartLink, User
from ..sharing import services as sharing
from ..tokens import digest, new_token
from ..urls import external_url
from .admin import lock
from .services import OrgProblem, audit

LINK_DAYS = 7


def make_link(membership: Membership) -> str:
    """Make a start link for a young person to share with `membership`'s worker."""
    token = new_token()
    db.session.add(
        StartLink(
            membership_id=membership.id,
            token_hash=digest(token),
            expires_at=datetime.now(UTC) + timedelta(days=LINK_DAYS),
        )
    )
    audit(membership.organisation_id, "start_link_made", actor_id=membership.user_id)
    db.session.commit()
    return external_url("orgs.start_page", start_token=token)


def find_link(token: str) -> StartLink:
    """Return the start link of a token, or raise OrgProblem ("unknown", "used", "expired",
    or "gone" when the worker is no longer a member)."""
    link, problem = conditional.find_link(StartLink, token)
    if link is None:
        raise OrgProblem(problem or "unknown")
    if not link.membership.active:
        raise OrgProblem("gone")
    return link


def use_link(link: StartLink, youth: User, sees: dict[str, bool]) -> Share:
    """Share `youth`'s plan with the link's worker as confirmed; the link is used up (a
    conditional update: of two taps at once, one shares)."""
    membership, plan = link.membership, youth.plan
    worker = membership.user
    if plan is None:  # every young person has a plan; nothing to share without one
        raise OrgProblem("unknown")
    lock(membership.organisation_id)  # ending the worker's place waits, or goes first
    db.session.refresh(membership)
    if not membership.active:
        db.session.rollback()
        raise OrgProblem("gone")
    if not conditional.claim_link(StartLink, link.id):
        db.session.rollback()
        raise OrgProblem("used")
    share = sharing.grant(plan.id, worker, ShareRole.WORKER)
    share.membership_id = membership.id
    share.sees_intro = sees.get("intro", False)
    share.sees_about = sees.get("about", False)
    share.sees_media = sees.get("media", False)
    audit(
        membership.organisation_id,
        "share_given",
        actor_id=membership.user_id,
        plan_id=plan.id,
        detail="start_link",
    )
    access_log.record(plan.id, membership.user_id, "joined", f"role:{ShareRole.WORKER}")
    pagecache.plan_changed(plan.id)
    try:
        db.session.commit()
    except IntegrityError as error:  # another start link of this worker, at the same moment
        db.session.rollback()
        raise OrgProblem("used") from error
    return share


def existing_share(link: StartLink, youth: User) -> Share | None:
    """The share the young person already gives this worker, if any (the form starts there)."""
    if youth.plan is None:
        return None
    worker = link.membership.user
    return db.session.scalar(
        sa.select(Share).where(Share.plan_id == youth.plan.id, Share.user_id == worker.id)
    )
