"""Secrets handed out in links and codes: only their digests are stored."""

import hashlib
import secrets


def new_token() -> str:
    """Return a fresh random token for a one-time link or a session (256 bits)."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """Return the SHA-256 of a token, as stored: the tokens are random, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
