"""Sharing a plan: invitations, shares and what each person sees, the access log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import access, access_log, clock, conditional, mail, pagecache
from ..extensions import db
from ..models import (
    AccessEvent,
    Goal,
    HiddenGoal,
    Invite,
    Notice,
    Plan,
    Share,
    ShareRole,
    User,
    UserKind,
)
from ..models.sharing import SHARE_LABEL_MAX
from ..orgs import services as orgs
from ..passwords import hash_password
from ..text import clean_line
from ..tokens import digest, new_token
from ..urls import external_url

INVITE_DAYS = 7
INVITES_OPEN_MAX = 20


class InviteProblem(Exception):
    """An invitation link that cannot be used: `reason` is "unknown", "used" or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def create_invite(
    plan: Plan, *, role: str, label: str, email: str | None, last_day: date | None = None
) -> str:
    """Make a one-time link valid for seven days; return it (only its hash is stored). The
    share it makes ends after `last_day`, if given."""
    role = role if role in (ShareRole.WORKER, ShareRole.VIEWER) else ShareRole.VIEWER
    token = new_token()
    db.session.add(
        Invite(
            plan_id=plan.id,
            token_hash=digest(token),
            role=role,
            label=clean_line(label, SHARE_LABEL_MAX),
            email=(email or "").strip().lower() or None,
            last_day=last_day,
            expires_at=datetime.now(UTC) + timedelta(days=INVITE_DAYS),
        )
    )
    link = external_url("sharing.invite", token=token)
    if email:
        db.session.flush()  # kept only once the mail went (mail.NotSent rolls it back)
        try:
            mail.send(
                email.strip(),
                _("%(name)s invites you to look at their future plan", name=plan.owner.name),
                "invite",
                name=plan.owner.name,
                url=link,
                days=INVITE_DAYS,
            )
        except mail.NotSent:
            db.session.rollback()
            raise
    db.session.commit()
    return link


def open_invites(plan: Plan) -> list[Invite]:
    """Return the invitations nobody used yet and that have not expired."""
    now = datetime.now(UTC)
    return [
        i
        for i in db.session.scalars(
            sa.select(Invite).where(Invite.plan_id == plan.id, Invite.used_at.is_(None))
        )
        if i.expires_at > now
    ]


def find_invite(token: str) -> Invite:
    """Return the invitation of a link, or raise InviteProblem saying what is wrong."""
    invite, problem = conditional.find_link(Invite, token)
    if invite is None:
        raise InviteProblem(problem or "unknown")
    return invite


def accept_invite(invite: Invite, user: User) -> Share:
    """Turn an invitation into a share for `user`; the link is used up.

    The link is claimed with a conditional update, so of four people opening one link at
    once, one gets the share and the others hear that it was used (InviteProblem "used").
    Anything the caller added to the session (a new account) is committed with the share.
    """
    if invite.last_day is not None and invite.last_day < clock.today():
        raise InviteProblem("expired")  # the share it would make has ended already
    if not conditional.claim_link(Invite, invite.id):
        db.session.rollback()
        raise InviteProblem("used")
    share = grant(invite.plan_id, user, invite.role, label=invite.label)
    share.last_day, share.warned_at = invite.last_day, None
    membership = orgs.current_membership(user)  # shown to the young person as verified
    share.membership_id = membership.id if membership else None
    if membership is not None:
        orgs.audit(
            membership.organisation_id,
            "share_given",
            actor_id=user.id,
            plan_id=invite.plan_id,
            detail=f"role:{invite.role}",
        )
    access_log.record(invite.plan_id, user.id, "joined", f"role:{invite.role}")
    pagecache.plan_changed(invite.plan_id)
    db.session.commit()
    return share


def grant(plan_id: int, user: User, role: str, *, label: str = "") -> Share:
    """`user`'s share of a plan with `role`, made now or the one they have (then only its
    role changes), in the caller's transaction."""
    share = db.session.scalar(
        sa.select(Share).where(Share.plan_id == plan_id, Share.user_id == user.id)
    )
    if share is None:
        share = Share(plan_id=plan_id, user_id=user.id, role=role, label=label)
        db.session.add(share)
    share.role = role
    return share


def register_supporter(name: str, email: str, password: str, locale: str | None) -> User:
    """Make an account for someone invited (a worker, a parent, a mentor), not committed yet:
    accept_invite commits it with its share, or nothing is kept."""
    user = User(
        kind=UserKind.SUPPORTER,
        name=name.strip(),
        email=email.strip().lower(),
        password_hash=hash_password(password),
        locale=locale,
        notify_by_mail=True,
    )
    db.session.add(user)
    db.session.flush()  # committed with the share it is made for (accept_invite)
    return user


def revoke_invite(invite: Invite) -> None:
    """Make an unused link worthless (sent to the wrong person, say)."""
    db.session.delete(invite)
    db.session.commit()


def update_share(
    share: Share,
    *,
    role: str,
    sees_intro: bool,
    sees_about: bool,
    sees_media: bool,
    sees_reactions: bool,
    hidden_goal_ids: set[int],
    last_day: date | None = None,
) -> None:
    """Change someone's role, what they see and until when; takes effect on their next
    request."""
    if role in (ShareRole.WORKER, ShareRole.VIEWER):
        share.role = role
    share.sees_intro, share.sees_about, share.sees_media = sees_intro, sees_about, sees_media
    share.sees_reactions = sees_reactions
    if share.last_day != last_day:  # a new last day: a new "ends soon" when it comes
        share.last_day, share.warned_at = last_day, None
        db.session.execute(sa.delete(Notice).where(Notice.share_id == share.id))
    own_goals = set(db.session.scalars(sa.select(Goal.id).where(Goal.plan_id == share.plan_id)))
    share.hidden_goals = [
        HiddenGoal(goal_id=goal_id) for goal_id in sorted(hidden_goal_ids & own_goals)
    ]
    pagecache.plan_changed(share.plan_id)
    db.session.commit()


def revoke_share(share: Share) -> None:
    """End someone's access at once: their next request is refused."""
    access_log.record(share.plan_id, share.user_id, "revoked")
    db.session.delete(share)
    pagecache.plan_changed(share.plan_id)
    db.session.commit()


def access_events(plan: Plan, limit: int = 300) -> list[AccessEvent]:
    """Return the newest events of a plan's access log."""
    return list(
        db.session.scalars(
            sa.select(AccessEvent)
            .where(AccessEvent.plan_id == plan.id)
            .order_by(AccessEvent.at.desc(), AccessEvent.id.desc())
            .limit(limit)
        )
    )


def note_visit(user: User, plan: Plan) -> None:
    """Remember when a supporter last looked, for "what changed since my last visit"."""
    share = access.share_of(user, plan)  # None for the young person, also in a preview
    if share is not None:
        share.last_visit_at = datetime.now(UTC)
        db.session.commit()


def shares_of(plan: Plan) -> list[Share]:
    """Return everyone the young person shares their plan with, in the order they joined."""
    return list(
        db.session.scalars(sa.select(Share).where(Share.plan_id == plan.id).order_by(Share.id))
    )
