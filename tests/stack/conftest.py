"""The production shape for the stack's tests: scripts/stack.py's Stack, on free ports in a
temporary folder, with a fresh PostgreSQL database of its own."""

from __future__ import annotations

import pytest

from ..loopback import bench_module
from .load import people

stack_module = bench_module("stack_load").stack_module()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stack")
    database = stack_module.postgres_url(folder, name="toekomstplan_stack_test", fresh=True)
    running = stack_module.Stack(folder, database, stack_module.Ports.free())
    try:
        running.start(demo=False)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def users(stack):
    """Three young people who use the stack from threads while a fault happens (load.py)."""
    return people(stack, 3)
