"""The bench's helpers (loopback servers, a small HTTP client), for tests that start the same
servers. bench/ is not a package: its modules import each other as scripts, so it is put on
the path here, once."""

import importlib
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import redis_server as redis_servers  # noqa: E402
import s3_server as s3_servers  # noqa: E402


def bench_module(name: str) -> ModuleType:
    """Import bench/<name>.py."""
    return importlib.import_module(name)


__all__ = ["bench_module", "redis_servers", "s3_servers"]
