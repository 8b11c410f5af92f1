"""How the bench reports: each figure on stdout as `name=value`, progress on stderr."""

from __future__ import annotations

import sys


class BenchError(RuntimeError):
    """Something is wrong with the app or the set-up: the figures would mean nothing."""


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def figure(name: str, value) -> None:
    print(f"{name}={value}", flush=True)


def figures(values: dict) -> None:
    """Print a measurement's figures in the order it gave them."""
    for name, value in values.items():
        figure(name, value)
