"""Gunicorn under the bench: the app and hello, each on a free port on 127.0.0.1.

Both run with the production gunicorn.conf.py, each in its own process group, so `stop`
ends the server and every worker it started, and nothing else.
"""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import time
from pathlib import Path

import procfs
from client import request
from report import BenchError
from sandbox import BIN, HOST, ROOT

GUNICORN_CONF = ROOT / "gunicorn.conf.py"


def gunicorn_settings() -> dict:
    """Return the settings gunicorn.conf.py gives (workers, threads, ...)."""
    return runpy.run_path(str(GUNICORN_CONF))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn with gunicorn.conf.py, in its own process group so it can be stopped."""

    def __init__(self, name: str, app: str, env: dict[str, str], tmp: Path):
        self.name = name
        self.port = free_port()
        self.log_path = tmp / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(GUNICORN_CONF), "--chdir", str(ROOT), app],
            cwd=ROOT,
            # Same config for both servers. Worker recycling is off: hello serves ~50,000
            # requests a run, and a restart in a 10-second sample would skew it.
            env={**env, "BIND": f"{HOST}:{self.port}", "GUNICORN_MAX_REQUESTS": "0"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def wait_ready(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} server exited early:\n{self.log_tail()}")
            try:
                status, _, _ = request(self.port, "GET", path)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise BenchError(f"{self.name} server answered {path} with {status}")
        raise BenchError(f"{self.name} server not ready after {timeout}s:\n{self.log_tail()}")

    def workers(self) -> list[int]:
        """Return the process ids of the server's workers."""
        return procfs.children(self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers (user + system)."""
        return procfs.cpu_seconds([self.process.pid, *self.workers()])

    def log_tail(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # the group this bench started
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._log.close()
