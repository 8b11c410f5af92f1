"""Rendered plan pages, kept per plan revision, with the per-request parts punched in.

A plan page looks the same for every request of one viewer until the plan changes, except
for its CSRF token and CSP nonce, and its "live" parts: what this person has not read yet,
which changes when they read it, without a new plan revision. Those are rendered as "holes"
(HTML comments that escaped user text can never produce) and filled in on every response, so
a repeat view costs a query or two and a few string replacements instead of a full render.

The key holds everything the page depends on: the plan's identity (id and creation time, so a
reused id never matches), its revision (raised by every change in the plan's services), the
viewer, the language and the URL. Pages with flashed messages are never cached. Each process
keeps its own small LRU; entries also expire after `PAGE_CACHE_SECONDS`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from . import once
from .extensions import db
from .models import Plan

_SALT = secrets.token_hex(8)
# Markup so autoescape keeps them intact; the salt is hex, so nothing here needs escaping.
CSRF_HOLE = Markup("<!--csrf-{}-->").format(_SALT)
NONCE_HOLE = Markup("<!--nonce-{}-->").format(_SALT)


class _LRU:
    def __init__(self, size: int, seconds: int):
        self.size, self.seconds = size, seconds
        self.items: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
        self.lock = threading.Lock()
        self.rendering: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple) -> str | None:
        with self.lock:
            entry = self.items.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry[0] > self.seconds:
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return entry[1]

    def put(self, key: tuple, html: str) -> None:
        with self.lock:
            self.items[key] = (time.monotonic(), html)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    @contextmanager
    def render_lock(self, key: tuple):
        """Hold the lock for rendering `key` (one renderer per page per process)."""
        with self.lock:
            lock = self.rendering.setdefault(key, threading.Lock())
        with lock:
            yield
        with self.lock:
            if not lock.locked():
                self.rendering.pop(key, None)

    def forget_plan(self, plan_id: int) -> None:
        with self.lock:
            for key in [k for k in self.items if k[1] == plan_id]:
                del self.items[key]


def _store() -> _LRU | None:
    cfg = current_app.config
    if not cfg.get("PAGE_CACHE_SIZE"):
        return None
    store = current_app.extensions.get("toekomstplan.pagecache")
    if store is None:
        store = _LRU(cfg["PAGE_CACHE_SIZE"], cfg.get("PAGE_CACHE_SECONDS", 600))
        current_app.extensions["toekomstplan.pagecache"] = store
    return store


def csp_nonce() -> str:
    """Return this response's nonce for inline <style> (a hole while rendering for the cache)."""
    if g.get("_punch_holes"):
        return NONCE_HOLE
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def csrf_token() -> str:
    """Return a CSRF token for a form (a hole while rendering for the cache).

    Cached pages must use this template global, not a WTForms form's hidden field.
    """
    if g.get("_punch_holes"):
        return CSRF_HOLE
    return generate_csrf()


def live(name: str) -> Markup:
    """Put in a page the part `name` that is made anew for every request (a hole when cached)."""
    if g.get("_punch_holes"):
        return _live_hole(name)
    # A live part is HTML our own templates rendered, user text escaped there.
    return Markup(g._live_parts[name]())  # noqa: S704


def _live_hole(name: str) -> Markup:
    return Markup("<!--live-{}-{}-->").format(_SALT, name)


def render_plan_page(
    template: str,
    plan: Plan,
    context: Callable[[], dict],
    live_parts: dict[str, Callable[[], str]] | None = None,
) -> str:
    """Render a page that shows `plan`, from the cache when nothing it shows has changed.

    `context` makes the template's variables; it runs only when the page is rendered anew.
    `live_parts` make the parts the template puts in with `live(name)`, on every request.
    When a change empties the cache, one thread per process renders the page and the others
    wait for it, instead of all of them rendering the same page at once.
    """
    store = _store()
    g._live_parts = live_parts or {}
    if store is None or "_flashes" in session:
        return render_template(template, plan=plan, **context())
    key = (
        template,
        plan.id,
        plan.created_at,
        plan.revision,
        current_user.get_id(),
        str(get_locale()),
        request.full_path,
    )
    html = store.get(key)
    if html is None:
        with store.render_lock(key):
            html = store.get(key)  # rendered by another thread while this one waited
            if html is None:
                g._punch_holes = True
                try:
                    html = render_template(template, plan=plan, **context())
                finally:
                    g._punch_holes = False
                store.put(key, html)
    for name, make in (live_parts or {}).items():
        html = html.replace(_live_hole(name), make())
    html = once.fill(html)
    return html.replace(CSRF_HOLE, csrf_token()).replace(NONCE_HOLE, csp_nonce())


def plan_changed(plan_id: int) -> None:
    """Raise a plan's revision atomically, in the caller's transaction.

    Every change to what a plan shows calls this, so its cached pages are rendered anew.
    """
    db.session.execute(sa.update(Plan).where(Plan.id == plan_id).values(revision=Plan.revision + 1))


def forget_plan(plan_id: int) -> None:
    """Drop this process's cached pages of a plan (its account is being deleted)."""
    store = _store()
    if store is not None:
        store.forget_plan(plan_id)
