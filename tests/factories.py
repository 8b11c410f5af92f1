"""Making things through the app, as a person's browser would: shared by every test module.

Plain functions, so module-scoped worlds (the route matrix) and function-scoped fixtures
(tests/conftest.py) use the same ones.
"""

from __future__ import annotations

import io
import re
import time

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
JSON = {"Accept": "application/json"}


def read_csrf_token(client, path: str = "/help") -> str:
    """GET a page and return the CSRF token in its HTML (every page has one in the footer)."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_INPUT.search(html)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict | None = None, **kwargs):
    """POST a form with a real CSRF token of the client's session, like a page does."""
    return client.post(path, data={**(data or {}), "csrf_token": read_csrf_token(client)}, **kwargs)


def new_goal(client, plan_id: int, title: str = "Find a side job", steps: str = "", **extra) -> int:
    """Make a goal with the "new goal" form; return its id."""
    response = post_form(
        client, f"/plans/{plan_id}/goals/new", {"title": title, "steps": steps, **extra}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[-1])


def upload(client, plan_id: int, data: bytes, name: str, *, headers=JSON):
    """Upload one file to a plan's photos and videos, like the page's script does."""
    form = {"csrf_token": read_csrf_token(client), "file": (io.BytesIO(data), name)}
    return client.post(
        f"/plans/{plan_id}/media", data=form, headers=headers, content_type="multipart/form-data"
    )


def cover_form(media_id: str = "", focus: str = "center") -> dict:
    """The cover form as the page sends it, with a photo (or none) on it."""
    return {
        "title": "Mijn toekomst",
        "subtitle": "",
        "theme": "ocean",
        "color": "",
        "layout": "band",
        "photo": media_id,
        "focus": focus,
    }


def statements_of(app, request) -> list[str]:
    """Return the SQL statements the app ran while `request()` (a test-client call) ran."""
    import sqlalchemy as sa

    from toekomstplan.extensions import db

    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            request()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    return statements


def wait_for(condition, timeout: float = 60, what: str = ""):
    """Poll `condition` until it gives something true; fail saying what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout}s for {what}")
