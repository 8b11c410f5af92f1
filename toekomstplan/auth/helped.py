"""A forgotten password without e-mail, with the worker there.

A worker the young person shares their plan with makes a one-time code (valid 15 minutes,
shown only to the worker). The young person types it on their own phone with their username
and a new password. Using it ends every session of the account, is written to the young
person's access log, and is told to them on their plan home until they say "OK" ("Je
wachtwoord is opnieuw ingesteld met hulp van Mo op 3 december"), so help nobody asked for
does not go unnoticed, also when someone else logs in with the new password first.

Eight readable symbols are about 40 random bits: with 15 minutes, one code at a time and the
log-in throttle on the form, guessing is out of reach; only its digest is stored.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from .. import access_log, clock, conditional
from ..extensions import db
from ..models import HelpedReset, Notice, Plan, Share, ShareRole, User
from ..passwords import hash_password
from ..tokens import clean_code, digest, readable_code
from . import services, sessions

CODE_LENGTH = 8
VALID_MINUTES = 15


def make_code(plan: Plan, helper: User) -> str:
    """Make the one code for `plan`'s young person (an earlier unused one stops working)."""
    young = plan.owner
    db.session.execute(
        sa.delete(HelpedReset).where(HelpedReset.user_id == young.id, HelpedReset.used_at.is_(None))
    )
    code = readable_code(CODE_LENGTH)
    db.session.add(
        HelpedReset(
            user_id=young.id,
            helper_id=helper.id,
            code_hash=digest(clean_code(code)),
            expires_at=datetime.now(UTC) + timedelta(minutes=VALID_MINUTES),
        )
    )
    access_log.record(plan.id, helper.id, "reset_code_made")
    db.session.commit()
    return code


def reset_password(login: str, code: str, password: str) -> User | None:
    """Set a new password with a username and a worker's code; None when they do not
    belong together (or the code expired). Of two requests with one code, one wins."""
    user = services.find_by_login(login)
    typed = digest(clean_code(code))
    password_hash = hash_password(password)  # always, so a wrong login takes as long
    now = datetime.now(UTC)
    helped = None
    if user is not None and user.is_youth:
        helped = db.session.scalar(
            sa.select(HelpedReset).where(
                HelpedReset.user_id == user.id,
                HelpedReset.used_at.is_(None),
                HelpedReset.expires_at > now,
            )
        )
    if user is None or helped is None or not hmac.compare_digest(helped.code_hash, typed):
        return None
    if not _still_helps(user, helped):  # the worker's share ended since the code was made
        return None
    won = conditional.update_one(
        sa.update(HelpedReset)
        .where(HelpedReset.id == helped.id, HelpedReset.used_at.is_(None))
        .values(used_at=now)
    )
    if not won:
        db.session.rollback()
        return None
    user.password_hash = password_hash
    sessions.end_all(user)
    if user.plan is not None:
        access_log.record(user.plan.id, helped.helper_id, "reset_helped")
    # On the plan home until the young person says "OK": someone who logs in with the new
    # password first (the worker) cannot make it go unnoticed.
    db.session.add(Notice(user_id=user.id, kind="password_helped", person_id=helped.helper_id))
    db.session.commit()
    return user


def _still_helps(user: User, helped: HelpedReset) -> bool:
    """The code's maker still has a worker's share of the young person's plan."""
    if user.plan is None or helped.helper_id is None:
        return False
    share = db.session.scalar(
        sa.select(Share.role).where(
            Share.plan_id == user.plan.id,
            Share.user_id == helped.helper_id,
            Share.current(clock.today()),
        )
    )
    return share == ShareRole.WORKER
