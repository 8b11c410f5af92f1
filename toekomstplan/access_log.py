"""The access log a young person can read ("Wie keek er mee?"): what others did, and when.

In the spirit of NEN 7513: an event, a time, whose plan and which user. It holds no content
and no tokens, and it records what others do, not the young person's own views.

Two ways in. A service that changes something on behalf of someone else (a reaction, an
export) adds its event to its own transaction with `record`. What `access.py` saw while it
decided (a page someone looked at, an attempt it refused) is only noted there: asking "may
I?" never writes. `write_noted`, run after the request (Flask runs it for every response,
error pages included), stores those notes in a transaction of their own, so a refused request
that changes nothing still leaves its trace.

A page opened by someone who holds the share through an organisation is also a line in that
organisation's own audit log ("who of its people opened which plan when"), ids only.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import after_this_request, g

from .extensions import db
from .models import AccessEvent, AuditRecord, Membership, Share

TARGET_MAX = 40


@dataclass(frozen=True)
class Noted:
    plan_id: int
    user_id: int
    action: str
    target: str


def record(plan_id: int, user_id: int | None, action: str, target: str = "") -> None:
    """Add an event to the caller's transaction."""
    db.session.add(
        AccessEvent(plan_id=plan_id, user_id=user_id, action=action, target=target[:TARGET_MAX])
    )


def note(plan_id: int, user_id: int, action: str, target: str = "") -> None:
    """Remember an event for this request; `write_noted` stores it when the request ends.

    The hook is added by the first note, so a request that notes nothing (the young person's
    own pages, most of them) pays nothing for the log.
    """
    notes = g.get("_access_notes")
    if notes is None:
        notes = g._access_notes = []
        after_this_request(write_noted)
    notes.append(Noted(plan_id, user_id, action, target[:TARGET_MAX]))


def write_noted(response):
    """Store the events noted during the request, in a transaction of their own."""
    notes = g.pop("_access_notes", None)
    if notes:
        with db.engine.begin() as connection:
            connection.execute(
                sa.insert(AccessEvent),
                [
                    {
                        "plan_id": n.plan_id,
                        "user_id": n.user_id,
                        "action": n.action,
                        "target": n.target,
                    }
                    for n in notes
                ],
            )
            audit = _organisation_lines([n for n in notes if n.action == "view"], connection)
            if audit:
                connection.execute(sa.insert(AuditRecord), audit)
    return response


def _organisation_lines(views: list[Noted], connection) -> list[dict]:
    """Audit lines for the pages opened through an organisation's share (one query, and none
    for a request without views)."""
    if not views:
        return []
    pairs = sorted({(n.plan_id, n.user_id) for n in views})
    places = {
        (plan_id, user_id): org_id
        for plan_id, user_id, org_id in connection.execute(
            sa.select(Share.plan_id, Share.user_id, Membership.organisation_id)
            .join(Membership, Membership.id == Share.membership_id)
            .where(sa.tuple_(Share.plan_id, Share.user_id).in_(pairs))
        )
    }
    return [
        {
            "organisation_id": places[(n.plan_id, n.user_id)],
            "event": "plan_opened",
            "actor_id": n.user_id,
            "on_behalf_of": "organisation",
            "plan_id": n.plan_id,
            "detail": n.target,
        }
        for n in views
        if (n.plan_id, n.user_id) in places
    ]
