"""What templates may use besides their own variables: filters and small helpers."""

import hashlib
from pathlib import Path

from flask import Flask, current_app, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from . import pagecache


def paragraphs(text: str | None) -> Markup:
    """Show text as its writer typed it: blank lines make paragraphs, escaped."""
    if not text:
        return Markup("")
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.split("\n")))
        for b in blocks
    )


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


def _context() -> dict:
    return {"current_locale": str(get_locale())}


def init_app(app: Flask) -> None:
    """Register the template helpers and filters."""
    app.jinja_env.globals.update(
        csp_nonce=pagecache.csp_nonce,
        csrf_token=pagecache.csrf_token,
        static_url=static_url,
        control_attrs=control_attrs,
    )
    app.context_processor(_context)
    app.jinja_env.filters["paragraphs"] = paragraphs
