"""Two-step login: codes from an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

This is the second step of logging in; setting it up is account/two_step.py.
"""

from __future__ import annotations

import enum
import hmac
import time
from datetime import UTC, datetime

import pyotp
import sqlalchemy as sa
from flask import current_app

from .. import conditional
from ..extensions import db
from ..models import Membership, Organisation, RecoveryCode, User, UserKind
from ..tokens import clean_code, digest

RECOVERY_LENGTH = 12
# A phone's clock may be a little off: the codes of the time steps just before and after count.
DRIFT_STEPS = 1


class CodeKind(enum.StrEnum):
    APP = "app"
    RECOVERY = "recovery"


def matching_step(secret: str, code: str, after: int | None) -> int | None:
    """Return the time step whose code is `code`, near now and later than `after`."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_app_code(user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    # One conditional UPDATE: of two requests with the same code, only one wins.
    return conditional.update_one(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )


def _use_recovery_code(user: User, code: str) -> bool:
    if len(code) != RECOVERY_LENGTH:
        return False
    return conditional.update_one(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=datetime.now(UTC))
    )


def use_code(user: User, code: str) -> CodeKind | None:
    """Check a code from the app or a recovery code of `user`; each works only once."""
    if not user.has_two_step:
        return None
    code = clean_code(code)
    if _use_app_code(user, code):
        kind = CodeKind.APP
    elif _use_recovery_code(user, code):
        kind = CodeKind.RECOVERY
    else:
        kind = None
    db.session.commit()
    return kind


def recovery_codes_left(user: User) -> int:
    """Count the recovery codes of `user` that are not used yet."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def is_required(user: User) -> bool:
    """Say whether two-step login is a must for `user`: for every supporter when the site
    says so, and for the members of an organisation that requires it."""
    if not user.is_authenticated or user.kind != UserKind.SUPPORTER:
        return False
    if current_app.config["REQUIRE_TWO_STEP_FOR_SUPPORTERS"]:
        return True
    return bool(
        db.session.scalar(
            sa.select(Membership.id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(
                Membership.user_id == user.id,
                Membership.active.is_(True),
                Organisation.requires_two_step.is_(True),
            )
            .limit(1)
        )
    )


def must_enrol(user: User) -> bool:
    """Say whether `user` must turn on two-step login before anything else (a supporter
    without it pays one query a request for the question; everyone else none)."""
    return (
        user.is_authenticated
        and user.kind == UserKind.SUPPORTER
        and not user.has_two_step
        and is_required(user)
    )
