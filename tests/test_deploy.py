"""The production files agree with each other: deploy/nginx and gunicorn.conf.py."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _seconds(text: str, directive: str) -> int:
    match = re.search(rf"^\s*{directive}\s+(\d+)s;", text, re.MULTILINE)
    assert match, f"{directive} is not set"
    return int(match.group(1))


def test_nginx_closes_idle_app_connections_before_gunicorn_does(monkeypatch):
    # Otherwise gunicorn closes a kept-alive connection just as nginx sends a request on it:
    # "connection reset by peer", a 502 for a POST, and the host left out for a while.
    monkeypatch.delenv("GUNICORN_KEEPALIVE", raising=False)
    gunicorn = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    upstreams = (ROOT / "deploy" / "nginx" / "upstreams.conf.example").read_text()
    stack = (ROOT / "scripts" / "stack.py").read_text()
    assert gunicorn["keepalive"] > _seconds(upstreams, "keepalive_timeout")
    assert gunicorn["keepalive"] > _seconds(stack, "keepalive_timeout")
