"""Page weight: the bytes a phone downloads for the plan home on a first visit.

The plan home's HTML plus every stylesheet, script, font and icon it references (following
@import, url() and the first source of each @font-face in the CSS), raw and gzipped; photos
are left out, they come from the upload routes.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from client import request
from report import BenchError, figure, log
from sandbox import HOST

TEXT_TYPES = ("text/", "javascript", "json", "svg", "xml")


class AssetParser(HTMLParser):
    """Collect what a browser fetches for a page, photos excluded."""

    LINK_RELS = {
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "mask-icon",
        "manifest",
        "preload",
        "modulepreload",
    }

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and self.LINK_RELS & set(a.get("rel", "").lower().split()):
            if a.get("href"):
                self.urls.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "img" and a.get("src", "").startswith("/static/"):
            # Icons and illustrations are static files; photos come from the upload routes.
            self.urls.append(a["src"])
        elif tag == "use":
            href = a.get("href") or a.get("xlink:href") or ""
            if href and not href.startswith("#"):
                self.urls.append(href.split("#")[0])
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}", re.I)
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""", re.I)


def css_references(css: str) -> list[str]:
    """Return the URLs a stylesheet makes the browser fetch.

    Of each @font-face only the first source counts: a browser takes the first format it
    knows (woff2 on every current phone) and never downloads the fallbacks.
    """
    css = CSS_COMMENT.sub("", css)
    urls = []
    for block in CSS_FONT_FACE.findall(css):
        first = CSS_URL.search(block)
        if first:
            urls.append(first.group(2))
    rest = CSS_FONT_FACE.sub("", css)
    urls += [m.group(2) for m in CSS_IMPORT.finditer(rest)]
    urls += [m.group(2) for m in CSS_URL.finditer(rest)]
    return [u.strip() for u in urls if not u.strip().startswith(("data:", "#"))]


def page_weight(port: int, path: str, cookie: str) -> dict:
    """Bytes of the page plus everything it references, as fetched on a first visit."""
    base = f"http://{HOST}:{port}"
    headers = {"Cookie": cookie, "Accept-Encoding": "identity"}
    status, response_headers, body = request(port, "GET", path, headers)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}")
    files = {path: (response_headers.get("Content-Type", ""), body)}
    parser = AssetParser()
    parser.feed(body.decode())
    queue = [urljoin(base + path, u) for u in parser.urls]
    for style in parser.styles:
        queue += [urljoin(base + path, u) for u in css_references(style)]
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != base:
            raise BenchError(f"the plan home references an off-site file: {url}")
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target in files:
            continue
        status, response_headers, content = request(port, "GET", target, headers)
        if status != 200:
            raise BenchError(f"{target}, referenced by the plan home, answered {status}")
        content_type = response_headers.get("Content-Type", "")
        files[target] = (content_type, content)
        if "css" in content_type:
            queue += [urljoin(url, u) for u in css_references(content.decode())]
    raw = sum(len(content) for _, content in files.values())
    compressed = sum(
        len(gzip.compress(content, 6)) if any(t in kind for t in TEXT_TYPES) else len(content)
        for kind, content in files.values()
    )
    for target, (kind, content) in files.items():
        log(f"  {len(content):>8} B  {kind.split(';')[0]:<24} {target}")
    return {
        "kb": raw / 1024,
        "kb_gzip": compressed / 1024,
        "html_kb": len(body) / 1024,
        "files": len(files),
    }


def weight_figures(port: int, path: str, cookie: str) -> None:
    """Weigh the plan home and report its HTML, its files and their bytes, raw and gzipped."""
    weight = page_weight(port, path, cookie)
    figure("plan_home_html_kb", f"{weight['html_kb']:.1f}")
    figure("plan_home_files", weight["files"])
    figure("plan_home_kb", f"{weight['kb']:.1f}")
    figure("plan_home_kb_gzip", f"{weight['kb_gzip']:.1f}")
