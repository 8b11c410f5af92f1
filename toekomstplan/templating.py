"""What templates may use besides their own variables: filters and small helpers."""

import hashlib
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, url_for
from flask_babel import format_date, format_decimal, format_time, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from . import access, once, pagecache


def paragraphs(text: str | None) -> Markup:
    """Show text as its writer typed it: blank lines make paragraphs, escaped."""
    if not text:
        return Markup("")
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.split("\n")))
        for b in blocks
    )


def when(moment: datetime) -> str:
    """A moment in Dutch time: the date as every other date is written, then the time."""
    return f"{format_date(moment, 'medium')}, {format_time(moment, 'short')}"


def control_attrs(described: list, errors: list, counter: int | None, extra: dict) -> dict:
    """Return the HTML attributes of a form control, leaving out the ones not needed."""
    attrs = {"class": "input", **extra}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if errors:
        attrs["aria-invalid"] = "true"
    if counter:
        attrs["data-counter"] = counter
        attrs.setdefault("maxlength", counter)
    return attrs


_static_urls: dict[tuple[str, str], str] = {}


def static_url(filename: str) -> str:
    """Return a static file's URL with its content hash, so browsers may keep it for a year."""
    folder = current_app.static_folder or ""
    key = (folder, filename)
    url = None if current_app.debug else _static_urls.get(key)
    if url is None:
        digest = hashlib.sha256((Path(folder) / filename).read_bytes())
        url = _static_urls[key] = url_for("static", filename=filename, v=digest.hexdigest()[:10])
    return url


def is_mine(plan) -> bool:
    """Whether the person looking is the young person whose plan it is.

    Pages speak to the young person ("my goals") and about them to everyone else ("the goals
    of Sanne"); what each may do is still access.py's to decide.
    """
    return access.is_owner(current_user, plan)


def _context() -> dict:
    # Flask-WTF's own context processor also offers `csrf_token`, and a context processor
    # wins over a global: ours comes later, so cached pages get the hole, never a token.
    return {"current_locale": str(get_locale()), "csrf_token": pagecache.csrf_token}


def init_app(app: Flask) -> None:
    """Register the template helpers and filters."""
    app.jinja_env.globals.update(
        csp_nonce=pagecache.csp_nonce,
        csrf_token=pagecache.csrf_token,
        once_field=once.field,
        live=pagecache.live,
        static_url=static_url,
        control_attrs=control_attrs,
        is_mine=is_mine,
    )
    app.context_processor(_context)
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["decimal"] = format_decimal  # 12,5 in Dutch, 12.5 in English
