"""HTTP around every view: big bodies only where allowed, id URLs, security headers."""

from flask import Blueprint, Flask, Request, current_app, g, request
from flask_login import login_required
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import ids
from .storage import storage


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class TextParameters(ImmutableMultiDict):
    """Form fields and query values without NUL characters.

    A NUL means nothing in text, and PostgreSQL refuses it in any text value, so a crafted
    body would otherwise end in a database error. Every other control character is left to
    the services' `clean_line`/`clean_text`, which know what the field may hold.
    """

    def __init__(self, mapping=None):
        if mapping is not None:
            pairs = MultiDict(mapping).items(multi=True)
            mapping = [(_without_nul(key), _without_nul(value)) for key, value in pairs]
        super().__init__(mapping)


class AppRequest(Request):
    """A request that may be big only where its view accepts uploads.

    Everything else keeps MAX_CONTENT_LENGTH (1 MB). Uploaded files stream straight to a
    temporary file the storage hands out, never into memory. Text values never hold a NUL.
    """

    parameter_storage_class = TextParameters

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
        stream = storage().upload_file()
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
        kwargs.setdefault("max", ids.MAX_ID)
        super().__init__(map, *args, **kwargs)


def accepts_uploads(setting: str):
    """Let a view receive bodies up to the size in config[`setting`]."""

    def mark(view):
        view.upload_limit = setting
        return view

    return mark


def for_logged_in(bp: Blueprint) -> Blueprint:
    """Make every page of `bp` ask for a log-in first (the check of @login_required)."""
    bp.before_request(login_required(lambda: None))
    return bp


def wants_json() -> bool:
    """Say whether the page's script asked for JSON (Accept: application/json)."""
    return request.accept_mimetypes.best == "application/json"


def allow_form_target(origin: str) -> None:
    """Let this page's form lead to `origin` (its POST is answered with a redirect there,
    which Content-Security-Policy form-action checks too)."""
    g.form_targets = (*g.get("form_targets", ()), origin)


def security_headers(response):
    """Send the headers every response needs."""
    style = "'self'"
    if "csp_nonce" in g:
        style += f" 'nonce-{g.csp_nonce}'"
    # A form that leads to another site (an organisation's log-in page) names it.
    form_action = " ".join(["'self'", *g.get("form_targets", ())])
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; "
        f"style-src {style}; img-src 'self' data: blob:; media-src 'self' blob:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        f"form-action {form_action}; frame-ancestors 'none'",
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
    """Use our request class, the id converter and the headers hook; behind a proxy, trust
    exactly PROXY_HOPS hops of X-Forwarded-For and -Proto."""
    app.request_class = AppRequest
    app.url_map.converters["int"] = IdConverter  # before the rules that use it
    app.after_request(security_headers)
    hops = app.config.get("PROXY_HOPS") or 0
    if hops:
        # Each proxy appends the address it saw: only the last `hops` entries are ours, so
        # whatever a client wrote in front of them is ignored (the throttles see the client).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
