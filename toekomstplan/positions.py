"""Ordered lists the young person rearranges: goals, steps, "about me" items."""

from collections.abc import Mapping
from typing import Protocol


class Positioned(Protocol):
    position: int


def move(items: list, item: Positioned, direction: int) -> bool:
    """Swap `item` with its neighbour above (-1) or below (+1) and number the list again.

    Return whether anything moved (the first item cannot go up, the last not down).
    """
    index = items.index(item)
    other = index + direction
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    return True


def direction(form: Mapping[str, str]) -> int:
    """Read the direction a move button sends: -1 for "up", +1 for anything else."""
    return -1 if form.get("direction") == "up" else 1
