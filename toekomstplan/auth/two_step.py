"""Two-step login: codes from an authenticator app (TOTP, RFC 6238) and one-time recovery codes."""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import RecoveryCode, User, UserKind
from . import sessions

ISSUER = "Toekomstplan"
RECOVERY_CODE_COUNT = 10
# Read off paper, so no 0/o or 1/l/i; 12 of these 31 symbols are about 59 random bits, too
# many to guess even from a stolen database, so a plain SHA-256 is enough to store them.
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_RECOVERY_LENGTH = 12
# A phone's clock may be a little off: the codes of the time steps just before and after count.
DRIFT_STEPS = 1


class CodeKind(enum.StrEnum):
    APP = "app"
    RECOVERY = "recovery"


@dataclass
class Enrolment:
    """What the set-up page shows: the key as a QR code and in groups of four."""

    secret: str
    grouped: str
    qr_src: str
    qr_size: int


def new_secret() -> str:
    """Return a fresh random key for an authenticator app (160 bits, base32)."""
    return pyotp.random_base32()


def enrolment(user: User, secret: str) -> Enrolment:
    """Draw the otpauth:// link for `secret` as an SVG QR code, made here, not by a service."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.login_name, issuer_name=ISSUER)
    qr = segno.make(uri, error="m")
    scale = 5
    return Enrolment(
        secret=secret,
        grouped=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_src=qr.svg_data_uri(scale=scale),
        qr_size=qr.symbol_size(scale=scale)[0],
    )


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
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


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _use_app_code(user: User, code: str) -> bool:
    step = _matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    # One conditional UPDATE: of two requests with the same code, only one wins.
    used = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return used.rowcount == 1


def _use_recovery_code(user: User, code: str) -> bool:
    if len(code) != _RECOVERY_LENGTH:
        return False
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=datetime.now(UTC))
    )
    return used.rowcount == 1


def use_code(user: User, code: str) -> CodeKind | None:
    """Check a code from the app or a recovery code of `user`; each works only once."""
    if not user.has_two_step:
        return None
    code = _clean(code)
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
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _new_recovery_code() -> str:
    code = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn on two-step login if `code` proves the app has `secret`; return recovery codes.

    Only the hashes of the recovery codes are kept: this is the one time they are shown.
    Other sessions, started with the password alone, end.
    """
    step = _matching_step(secret, _clean(code), None)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = datetime.now(UTC)
    user.totp_last_step = step  # the confirming code cannot log in a second time
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(_clean(c))) for c in codes)
    sessions.end_others(user)
    db.session.commit()
    return codes


def disable(user: User) -> None:
    """Turn off two-step login: forget the key and the recovery codes."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.commit()


def is_required(user: User) -> bool:
    """Say whether the organisation makes two-step login a must for `user`."""
    return bool(
        current_app.config["REQUIRE_TWO_STEP_FOR_SUPPORTERS"]
        and user.is_authenticated
        and user.kind == UserKind.SUPPORTER
    )


def must_enrol(user: User) -> bool:
    """Say whether `user` must turn on two-step login before anything else."""
    return is_required(user) and not user.has_two_step
