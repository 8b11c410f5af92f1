"""A Redis server of its own on 127.0.0.1, for the bench and the tests that run production
settings: throttles must count in a store every worker sees, so production refuses memory.

Debian's `redis-server` (scripts/ensure-system-deps redis installs it); nothing is saved to
disk, and the server stops with `stop()`.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen
    log: Path

    name = "redis"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def url(self, db: int = 0) -> str:
        return f"redis://{HOST}:{self.port}/{db}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self, down_seconds: float = 0) -> None:
        """Stop, stay away `down_seconds`, and start again on the same port (its data is
        gone, as after a crash)."""
        self.stop()
        time.sleep(down_seconds)
        self.process = _spawn(self.port, self.log)
        _wait(self)


def _spawn(port: int, log: Path) -> subprocess.Popen:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError(
            "redis-server is not installed. Install it with: sudo apt-get install -y redis-server"
        )
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                binary,
                "--bind",
                HOST,
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start(folder: Path, port: int | None = None) -> RedisServer:
    folder.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    log = folder / "redis.log"
    server = RedisServer(port, _spawn(port, log), log)
    _wait(server)
    return server


def _wait(server: RedisServer, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"redis-server stopped:\n{server.log.read_text()[-2000:]}")
        try:
            with socket.create_connection((HOST, server.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"redis-server did not answer in {seconds:.0f} s")
