"""The production shape for the stack's tests: scripts/stack.py's Stack, on free ports in a
temporary folder, with a fresh PostgreSQL database of its own."""

from __future__ import annotations

import importlib.util
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("stack", ROOT / "scripts" / "stack.py")
assert _spec and _spec.loader
stack_module = importlib.util.module_from_spec(_spec)
sys.modules["stack"] = stack_module  # its dataclasses look themselves up there
_spec.loader.exec_module(stack_module)


def _free() -> int:
    for _ in range(100):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 10_000 < 65536:  # SeaweedFS also takes port + 10000
            with socket.socket() as twin:
                try:
                    twin.bind(("127.0.0.1", port + 10_000))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stack")
    ports = stack_module.Ports(
        nginx=_free(), hosts=(_free(), _free()), redis=_free(), s3=_free(), smtp=_free()
    )
    database = stack_module.postgres_url(folder, name="toekomstplan_stack_test", fresh=True)
    running = stack_module.Stack(folder, database, ports)
    try:
        running.start(demo=False)
        yield running
    finally:
        running.stop()
