"""Password hashing (argon2id) and the rules a new password must meet."""

import gzip
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 8
# Checked before hashing so nobody can make the server hash megabytes.
MAX_LENGTH = 256


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher() -> PasswordHasher:
    """Return the argon2id hasher with the configured cost."""
    cfg = current_app.config
    return _hasher(
        cfg.get("ARGON2_TIME_COST", 3),
        cfg.get("ARGON2_MEMORY_KIB", 65536),
        cfg.get("ARGON2_PARALLELISM", 1),
    )


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same time and say no."""
    if len(password) > MAX_LENGTH:
        return False
    if password_hash is None:
        hasher().hash(password)  # equal time for unknown accounts
        return False
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Say whether a stored hash was made with other cost settings."""
    return hasher().check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """Return the list of common passwords nobody should use (Django's list plus Dutch ones)."""
    data = resources.files("toekomstplan") / "data"
    # gzip does not close a file object it was handed, so both need their own `with`.
    with (
        data.joinpath("common-passwords.txt.gz").open("rb") as raw,
        gzip.open(raw, "rt", encoding="utf-8") as fh,
    ):
        words = {line.strip().lower() for line in fh if line.strip()}
    extra = data.joinpath("common-passwords-nl.txt").read_text(encoding="utf-8")
    words.update(w.strip().lower() for w in extra.splitlines() if w.strip())
    return frozenset(words)


def is_common(password: str) -> bool:
    """Say whether a password is on the list of common passwords."""
    return password.strip().lower() in common_passwords()
