"""The caseload asks the plan rules about many plans at once.

It loads every share of the person in one query and hands them to the share cache that
`access.share_of` keeps for the request, so asking `can` about 40 plans costs no query each.
The rules themselves stay in `access/__init__.py`.
"""

from __future__ import annotations

from flask import g, has_request_context

from ..models import Share, User


def remember(user: User, shares: list[Share]) -> None:
    """Put `user`'s shares in this request's share cache (and record that the rest are none)."""
    if not has_request_context():
        return
    cache = g.setdefault("_shares", {})
    for share in shares:
        cache[(user.id, share.plan_id)] = share
