"""Setting up two-step login: the key as a QR code, recovery codes, turning it off.

Checking a code at log-in is auth/two_step.py; this is what the account page does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
import segno
import sqlalchemy as sa

from ..auth import sessions
from ..auth.two_step import RECOVERY_LENGTH, matching_step
from ..extensions import db
from ..models import RecoveryCode, User
from ..tokens import clean_code, digest, readable_code

ISSUER = "Toekomstplan"
RECOVERY_CODE_COUNT = 10
# 12 readable symbols are about 59 random bits, too many to guess even from a stolen
# database, so a plain SHA-256 is enough to store them.


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
        qr_size=int(qr.symbol_size(scale=scale)[0]),
    )


def _new_recovery_code() -> str:
    return readable_code(RECOVERY_LENGTH)


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn on two-step login if `code` proves the app has `secret`; return recovery codes.

    Only the hashes of the recovery codes are kept: this is the one time they are shown.
    Other sessions, started with the password alone, end.
    """
    step = matching_step(secret, clean_code(code), None)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = datetime.now(UTC)
    user.totp_last_step = step  # the confirming code cannot log in a second time
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=digest(clean_code(c))) for c in codes
    )
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
