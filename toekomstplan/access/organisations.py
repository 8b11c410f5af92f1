"""Organisation questions: who may take a place in an organisation.

An organisation manages its people, never plans: nothing here opens a plan. Whether a member
sees a plan is decided by the plan rules (`access.can`): only when the young person shared it
with that person.
"""

from __future__ import annotations

from ..models import MembershipInvite, User


def may_join(user: User, invite: MembershipInvite) -> bool:
    """Say whether `user` may take a membership invitation: it is for the address it was sent
    to, and never for a young person (a young person's account is never an organisation's)."""
    return not user.is_youth and (user.email or "").lower() == invite.email.lower()
