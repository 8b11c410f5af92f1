"""What every page shares: security headers, template helpers and filters."""

import hashlib
import tempfile
from pathlib import Path

from flask import Flask, Request, current_app, g, request, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape
from werkzeug.routing import IntegerConverter

from . import pagecache
from .plan import themes
from .storage import storage


class AppRequest(Request):
    """A request that may be big only where its view accepts uploads.

    Everything else keeps MAX_CONTENT_LENGTH (1 MB). Uploaded files stream straight to a
    temporary file on the upload disk, never into memory.
    """

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        view = current_app.view_functions.get(self.endpoint) if self.endpoint else None
        setting = getattr(view, "upload_limit", None)
        return current_app.config[setting or "MAX_CONTENT_LENGTH"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ):
        stream = tempfile.NamedTemporaryFile(dir=storage().tmp_dir(), prefix="upload-")  # noqa: SIM115
        # Kept so `close` removes it even when parsing stops half-way (a 413, a lost phone).
        self.__dict__.setdefault("_upload_streams", []).append(stream)
        return stream

    def close(self) -> None:
        super().close()
        for stream in self.__dict__.get("_upload_streams", ()):
            stream.close()


class IdConverter(IntegerConverter):
    """An <int:...> part of a URL that fits an id column: a bigger number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def accepts_uploads(setting: str):
    """Let a view receive bodies up to the size in config[`setting`]."""

    def mark(view):
        view.upload_limit = setting
        return view

    return mark


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
    key = (current_app.static_folder, filename)
    url = None if current_app.debug else _static_urls.get(key)
    if url is None:
        digest = hashlib.sha256((Path(current_app.static_folder) / filename).read_bytes())
        url = _static_urls[key] = url_for("static", filename=filename, v=digest.hexdigest()[:10])
    return url


def template_context() -> dict:
    return {"current_locale": str(get_locale())}


def security_headers(response):
    """Send the headers every response needs."""
    style = "'self'"
    if "csp_nonce" in g:
        style += f" 'nonce-{g.csp_nonce}'"
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; "
        f"style-src {style}; img-src 'self' data: blob:; media-src 'self' blob:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "geolocation=(), microphone=(), interest-cohort=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if request.endpoint != "static":
        # Plan pages hold personal data: never in a shared cache, not kept on a shared phone.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Register the headers hook and the template helpers."""
    app.request_class = AppRequest
    app.after_request(security_headers)
    app.jinja_env.globals.update(
        csp_nonce=pagecache.csp_nonce,
        csrf_token=pagecache.csrf_token,
        themes=themes,
        static_url=static_url,
        control_attrs=control_attrs,
    )
    app.context_processor(template_context)
    app.jinja_env.filters["paragraphs"] = paragraphs
