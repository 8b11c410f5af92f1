"""Turn the export's own HTML into PDF bytes: one function, one locked-down URL fetcher.

WeasyPrint fetches every URL it meets: images, stylesheets, fonts, `url()` in CSS. Left to
its default fetcher that means file:// (any file the server can read), http(s):// (requests
from inside our network) and data: URLs. Ours answers only our own "tp:" scheme, never makes
a network request and never follows a redirect:

    tp:static/css/print.css, tp:static/fonts/<a bundled font>   the PDF's stylesheet and fonts
    tp:media/<media id>/print/<1, 2 or 4>                       a photo (or a video's poster)
                                                                of THIS plan that the person
                                                                exporting may see, at full,
                                                                half or quarter size

Everything else is refused. The base URL is a "tp:" URL too, never a folder on disk, so a
relative URL resolves to nothing we serve. Only the print variant is served (re-encoded,
EXIF-free, 1200 px): never an original. The HTML comes from our templates with every user
text escaped; no user HTML or CSS reaches this function.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from flask import current_app
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import access
from ..extensions import db
from ..models import Media, MediaFile, MediaStatus, Plan, User
from . import print_photos

# Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; the upload
# pipeline (media/images.py) needs it off, so a truncated photo is refused, not padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False

SCHEME = "tp"
BASE_URL = "tp:export/"
STYLESHEET_URL = "tp:static/css/print.css"
MAX_IMAGES = 80  # distinct photos in one PDF; the export leaves out any beyond this
MAX_PAGES = 60  # a PDF is cut off after this many pages
FONT_SUFFIXES = (".ttf", ".otf")
MEDIA_VARIANT = "print"
# Most photos are printed small: a third of the page wide, or a thumbnail beside a step. The
# JPEG decoder scales by 1/2 and 1/4 almost for free (it skips DCT coefficients), so those get
# the print variant at half or quarter size: still 270+ dpi on paper, a quarter or a
# sixteenth of the bytes, and no resampling in WeasyPrint. The cover gets it whole.
SCALES = {"1": 1, "2": 2, "4": 4}
# Each render holds a plan's photos and its layout in memory (see `make bench`): at most this
# many at once per process, so a burst of downloads cannot exhaust the server. Each has its
# own typesetter (fonts and the parsed stylesheet), reused from one render to the next.
CONCURRENT_RENDERS = 2
WAIT_SECONDS = 20
_typesetters: queue.LifoQueue = queue.LifoQueue()
_typesetters_made = 0
_typesetters_lock = threading.Lock()
_collector_lock = threading.Lock()
_rendering = 0

log = logging.getLogger(__name__)


class Refused(ValueError):
    """A URL the export fetcher does not serve."""


class Busy(Exception):
    """Too many PDFs are being made at this moment."""


def media_url(media: Media, scale: int = 1) -> str:
    """Return the URL the PDF's HTML uses for a photo or a video's poster, 1/`scale` size."""
    return f"{SCHEME}:media/{media.id}/{MEDIA_VARIANT}/{scale}"


def _static_files(static_folder: Path) -> frozenset[str]:
    fonts = static_folder / "fonts"
    names = {f"fonts/{p.name}" for p in fonts.iterdir() if p.suffix in FONT_SUFFIXES}
    return frozenset(names | {"css/print.css"})


class StaticFetcher(URLFetcher):
    """Serve the PDF's own stylesheet and fonts; refuse everything else."""

    def __init__(self, static_folder: str):
        # The parent's handlers (http, file, data, ftp) are never used: fetch() below does
        # not call the parent. The arguments only make its intent plain.
        super().__init__(allowed_protocols=(SCHEME,), allow_redirects=False, timeout=1)
        self.static_folder = Path(static_folder)
        self.static_files = _static_files(self.static_folder)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            if url.startswith(f"{SCHEME}:static/"):
                return self._static(url, url.removeprefix(f"{SCHEME}:static/"))
            if url.startswith(f"{SCHEME}:media/"):
                return self._media(url)
            raise Refused(url)
        except Refused:
            self.refused.append(url[:100])
            log.warning("PDF export refused a URL: %.100s", url)
            raise

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)

    def open(self, url, data=None, timeout=None):  # never the parent's network opener
        raise Refused(str(url))

    def _static(self, url: str, name: str) -> URLFetcherResponse:
        # An exact name from the allow-list: no path is ever built from the URL.
        if name not in self.static_files:
            raise Refused(url)
        content_type = "text/css" if name.endswith(".css") else "font/ttf"
        body = (self.static_folder / name).read_bytes()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _media(self, url: str) -> URLFetcherResponse:
        raise Refused(url)


def _static_folder() -> str:
    # create_app always gives the app its static folder.
    return cast(str, current_app.static_folder)


class ExportFetcher(StaticFetcher):
    """Serve the PDF's own files and this plan's print photos `viewer` may see; refuse the rest."""

    def __init__(self, plan: Plan, viewer: User):
        super().__init__(_static_folder())
        self.plan = plan
        self.viewer = viewer
        self.images: set[str] = set()

    def _checked(self, url: str) -> tuple[MediaFile, int]:
        """Return the stored print file and the scale of a photo URL this viewer may have."""
        rest = url.removeprefix(f"{SCHEME}:media/")
        media_id, variant, scale = (rest.split("/") + ["", ""])[:3]
        if (
            variant != MEDIA_VARIANT
            or scale not in SCALES
            or not media_id
            or len(media_id) > 32
            or rest.count("/") != 2
        ):
            raise Refused(url)
        if media_id not in self.images and len(self.images) >= MAX_IMAGES:
            raise Refused(url)
        media = db.session.get(Media, media_id)
        if (
            media is None
            or media.plan_id != self.plan.id
            or media.status != MediaStatus.READY
            or not access.can_see_media(self.viewer, media)
        ):
            raise Refused(url)
        stored = media.file(MEDIA_VARIANT)
        if stored is None or stored.content_type != "image/jpeg":
            raise Refused(url)
        self.images.add(media_id)
        return stored, SCALES[scale]

    def _media(self, url: str) -> URLFetcherResponse:
        stored, scale = self._checked(url)
        return URLFetcherResponse(
            url, print_photos.photo(stored, scale), {"Content-Type": "image/jpeg"}
        )


@contextmanager
def _no_cyclic_gc():
    """Pause Python's cycle collector while WeasyPrint builds its boxes.

    A render allocates hundreds of thousands of objects, which set the collector off again and
    again for a quarter of the render time; what they leave is collected once afterwards.
    """
    global _rendering
    with _collector_lock:
        _rendering += 1
        gc.disable()
    try:
        yield
    finally:
        with _collector_lock:
            _rendering -= 1
            if _rendering == 0:
                gc.enable()


class _Typesetter:
    """Fonts and the parsed print stylesheet, for one render at a time.

    Loading the fonts (the colour emoji font alone is 10 MB) and parsing the stylesheet for
    every PDF costs a tenth of a render; WeasyPrint lets a font configuration be shared
    between documents, but Pango's font maps are not thread-safe, so each of the
    CONCURRENT_RENDERS renders has its own.
    """

    def __init__(self, static_folder: str):
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(
            url=STYLESHEET_URL,
            base_url=BASE_URL,
            url_fetcher=StaticFetcher(static_folder),
            font_config=self.fonts,
        )


def _take_typesetter() -> _Typesetter:
    global _typesetters_made
    try:
        return _typesetters.get_nowait()
    except queue.Empty:
        pass
    with _typesetters_lock:
        make = _typesetters_made < CONCURRENT_RENDERS
        if make:
            _typesetters_made += 1
    if make:
        return _Typesetter(_static_folder())
    try:
        return _typesetters.get(timeout=WAIT_SECONDS)
    except queue.Empty:
        raise Busy from None


def render_pdf(html: str, *, plan: Plan, viewer: User) -> bytes:
    """Render the export's HTML to an A4 PDF, fetching only what `viewer` may see of `plan`."""
    typesetter = _take_typesetter()
    try:
        with _no_cyclic_gc():
            return _render(html, plan, viewer, typesetter)
    finally:
        _typesetters.put(typesetter)


def _render(html: str, plan: Plan, viewer: User, typesetter: _Typesetter) -> bytes:
    fetcher = ExportFetcher(plan, viewer)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        font_config=typesetter.fonts, stylesheets=[typesetter.stylesheet]
    )
    if len(document.pages) > MAX_PAGES:
        log.warning("PDF of plan %s cut off at %d pages", plan.id, MAX_PAGES)
        document = document.copy(document.pages[:MAX_PAGES])
    return document.write_pdf()
