"""The bench's browser: requests on 127.0.0.1, cookies, a form's CSRF token, logging in."""

from __future__ import annotations

import html
import http.client
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from report import BenchError
from sandbox import HOST


def request(port: int, method: str, path: str, headers=None, body: bytes | None = None):
    """Make one request on a new connection; return the status, headers and body."""
    conn = http.client.HTTPConnection(HOST, port, timeout=15)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class Cookies:
    """The cookies a browser keeps for the app, sent back as one Cookie header."""

    def __init__(self, header: str = ""):
        self.values: dict[str, str] = dict(p.split("=", 1) for p in header.split("; ") if "=" in p)

    def update(self, headers) -> None:
        for line in headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                self.values[name] = morsel.value

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.values.items())


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.inputs[a["name"]] = a.get("value") or ""


def csrf_token(path: str, body: bytes) -> str:
    """Return the csrf_token field of the page at `path`."""
    parser = FormParser()
    parser.feed(body.decode())
    token = parser.inputs.get("csrf_token")
    if not token:
        raise BenchError(f"GET {path} has no csrf_token field")
    return token


def form_headers(port: int, cookie: str) -> dict[str, str]:
    """Headers of a form a browser posts from one of the app's pages."""
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Origin": f"http://{HOST}:{port}",
    }


def log_in(port: int, login: str, password: str) -> str:
    """Log in like a browser; return the Cookie header of the logged-in session."""
    cookies = Cookies()
    status, headers, body = request(port, "GET", "/login")
    if status != 200:
        raise BenchError(f"GET /login answered {status}")
    cookies.update(headers)
    token = csrf_token("/login", body)
    form = urlencode({"csrf_token": token, "login": login, "password": password}).encode()
    status, headers, body = request(
        port, "POST", "/login", form_headers(port, cookies.header()), form
    )
    location = headers.get("Location", "")
    if status not in (302, 303) or "/login" in location:
        snippet = body.decode(errors="replace")[:500]
        raise BenchError(f"POST /login answered {status} (Location {location!r}):\n{snippet}")
    cookies.update(headers)
    # Like a browser: follow the redirects to the plan and keep the cookies each page sets.
    for _ in range(5):
        status, headers, body = request(
            port, "GET", urlsplit(location).path or "/", {"Cookie": cookies.header()}
        )
        cookies.update(headers)
        location = headers.get("Location", "")
        if status not in (301, 302, 303):
            break
    return cookies.header()


def page_form(port: int, path: str, cookie: str) -> tuple[str, str, bytes]:
    """Open a page with forms like a browser; return its csrf_token, the Cookie header with
    whatever the page set, and the page."""
    status, headers, body = request(port, "GET", path, {"Cookie": cookie})
    if status != 200:
        raise BenchError(f"GET {path} answered {status} {headers.get('Location', '')}")
    cookies = Cookies(cookie)
    cookies.update(headers)
    return csrf_token(path, body), cookies.header(), body


def check_plan_home(port: int, path: str, cookie: str, title: str) -> None:
    """Refuse to go on unless the plan home answers 200 and shows the plan's title."""
    status, headers, body = request(port, "GET", path, {"Cookie": cookie})
    if status != 200:
        raise BenchError(f"GET {path} answered {status} {headers.get('Location', '')}")
    if html.escape(title).encode() not in body:
        raise BenchError(f"GET {path} does not show the plan title {title!r}")
