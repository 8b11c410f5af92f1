"""Start the tests' real OpenID provider (npm's oidc-provider, tests/oidc/provider.js) on
loopback, and log in at it the way a browser does, without a browser.

`make test` installs the package (npm ci in tests/oidc); without Node or the package these
tests fail with the command to run, never skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

import requests

HERE = Path(__file__).parent / "oidc"
CLIENT_ID = "toekomstplan-test"
CLIENT_SECRET = "test-only-client-secret-0123456789"  # a test provider's, nowhere else
FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen
    log: IO[str]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(redirect_uris: list[str], accounts: dict[str, dict]) -> Provider:
    """Start a provider with the test client and these accounts (subject -> claims)."""
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(
            "The test OpenID provider is not installed. Run: npm ci --prefix tests/oidc "
            "(make test does this; Node 20 or later is needed)"
        )
    port = _free_port()
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": redirect_uris,
    }
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENTS": json.dumps([client]),
        "ACCOUNTS": json.dumps(accounts),
    }
    # Its output goes to a file, never a pipe nobody reads (a full pipe would stop it).
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(
        [node, "provider.js"], cwd=HERE, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    provider = Provider(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        log.seek(0)
        if "ready http" in log.read():
            return provider
        time.sleep(0.05)
    log.seek(0)
    output = log.read()
    provider.stop()
    raise RuntimeError("the test OpenID provider did not start:\n" + output)


def log_in_there(authorize_url: str, login: str, stop_at: str) -> str:
    """Log in as `login` at the provider's own page; return the URL it sends the browser
    back to (the first one starting with `stop_at`), without following it."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    action = FORM_ACTION.search(page.text)
    assert action, page.text[:500]
    answer = browser.post(
        urljoin(page.url, action.group(1)),
        data={"prompt": "login", "login": login, "password": "anything"},
        allow_redirects=False,
        timeout=10,
    )
    for _ in range(10):
        location = urljoin(answer.url, answer.headers["Location"])
        if location.startswith(stop_at):
            return location
        answer = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider did not send the browser back")
