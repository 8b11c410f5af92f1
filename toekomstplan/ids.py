"""Ids that come in from outside (URLs, forms): checked before they reach the database.

Id columns are 32-bit integers; a bigger number is not an id of ours, and passing it on
would make PostgreSQL or SQLite raise instead of finding nothing.
"""

from typing import Protocol

MAX_ID = 2**31 - 1


class Identified(Protocol):
    """A row the rules only need the id of: a model, or a row of some of its columns."""

    @property
    def id(self) -> int: ...


def fits(value: int) -> bool:
    """Say whether `value` can be the id of a row."""
    return 0 < value <= MAX_ID


def parse(text: str | None) -> int | None:
    """Return the id written in `text`, or None if it is not one."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if fits(value) else None
