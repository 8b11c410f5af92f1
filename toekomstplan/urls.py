"""Links: where a redirect may go, and absolute links for mails and PDFs."""

from urllib.parse import urlsplit

from flask import current_app, url_for


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def external_url(endpoint: str, **values) -> str:
    """Build an absolute link from BASE_URL, never from the request's Host header."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)
