"""The photos a PDF prints: the print variant whole, or decoded at half or quarter size."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

from PIL import Image

from ..models import MediaFile
from ..storage import storage

SCALED_QUALITY = 85
# The same photos go into the next PDF of the plan (the young person's, then the worker's,
# then the meeting version): scaled ones are kept per process, up to this many bytes. The key
# holds the stored file's checksum, and every fetch is checked before the cache is asked.
SCALED_CACHE_BYTES = 24 * 1024 * 1024


def scaled(jpeg: bytes, scale: int) -> bytes:
    """Return the JPEG at 1/`scale` of its size, decoded at that size (no resampling)."""
    if scale == 1:
        return jpeg
    with Image.open(io.BytesIO(jpeg), formats=("JPEG",)) as image:
        width, height = image.size
        image.draft("RGB", (max(1, width // scale), max(1, height // scale)))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=SCALED_QUALITY)
    return out.getvalue()


class _ScaledCache:
    """Scaled photos by (storage key, checksum, scale), least recently used out first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[tuple, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self.lock:
            body = self.items.get(key)
            if body is not None:
                self.items.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        with self.lock:
            if key in self.items or len(body) > self.max_bytes // 8:
                return
            self.items[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _, old = self.items.popitem(last=False)
                self.size -= len(old)


_cache = _ScaledCache(SCALED_CACHE_BYTES)


def photo(stored: MediaFile, scale: int) -> bytes:
    """Return a print variant at 1/`scale` size (the caller has checked access)."""
    if scale == 1:
        with storage().open(stored.key) as file:
            return file.read()
    key = (stored.key, stored.checksum, scale)
    body = _cache.get(key)
    if body is None:
        with storage().open(stored.key) as file:
            body = scaled(file.read(), scale)
        _cache.put(key, body)
    return body
