"""Secrets handed out in links and codes: only their digests are stored."""

import hashlib
import secrets

# Read off paper, so no 0/o or 1/l/i: each of these 31 symbols is about 5 random bits.
READABLE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def new_token() -> str:
    """Return a fresh random token for a one-time link or a session (256 bits)."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """Return the SHA-256 of a token, as stored: the tokens are random, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def readable_code(length: int) -> str:
    """Return a random code to write down, in groups of four: "k7pq-2xmh-..."."""
    code = "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))
    return "-".join(code[i : i + 4] for i in range(0, length, 4))


def clean_code(code: str) -> str:
    """Return a typed code without spaces and dashes, in lower case."""
    return "".join(code.split()).replace("-", "").lower()
