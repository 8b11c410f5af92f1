"""The photo pipeline: recognise an upload by its bytes, decode it safely, write clean variants.

Young people's phone photos carry their GPS position, the phone's serial number and more
without them knowing. Every variant is therefore re-encoded from pixels only, with an empty
info dict, and the EXIF orientation is applied to the pixels before the metadata goes.
"""

import contextlib
import functools
import io
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pillow_heif
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin

from toekomstplan.media.refusals import MediaRefused, Refusal

PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")  # Pillow format names we open

# Registered once, when this module is first imported. We never use a HEIC's embedded
# thumbnails, depth maps (portrait mode) or auxiliary images, so pillow-heif need not read them.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

# What a decoder raises for a file that claims one of our formats but is truncated or corrupt.
# ImageFile.LOAD_TRUNCATED_IMAGES stays False, so a truncated JPEG raises instead of being
# padded with grey.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, struct.error)

_PHOTO_KINDS = frozenset({"jpeg", "png", "webp", "heif"})
_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
# ISO-BMFF stills that are neither a video nor a photo format we open (AVIF, Canon CR3).
_OTHER_STILL_BRANDS = frozenset({b"avif", b"avis", b"crx "})
# The first atom of a QuickTime file from before the 'ftyp' box existed. These are English
# words, so the atom's size must also fit in the file before we believe it.
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})

MASTER_LONG_SIDE = 2048
# The JPEG decoder only scales by 1/2, 1/4 and 1/8. Accepting a master down to 1920 px lets a
# 4032 px phone photo decode at half size (2016 px, no resampling needed) instead of decoding
# all 12 megapixels and resampling them.
DRAFT_LONG_SIDE = 1920


@dataclass(frozen=True)
class Variant:
    name: str  # "master", "display", "thumb", "print"
    path: Path  # the written file
    content_type: str  # "image/jpeg" / "image/webp"
    width: int
    height: int


# What each format is stored as: the file's extension and its media type.
_FORMATS = {"JPEG": (".jpg", "image/jpeg"), "WEBP": (".webp", "image/webp")}


@dataclass(frozen=True)
class _Recipe:
    name: str
    long_side: int
    format: str  # "JPEG" or "WEBP"
    options: dict[str, Any]

    @property
    def filename(self) -> str:
        return self.name + _FORMATS[self.format][0]

    @property
    def content_type(self) -> str:
        return _FORMATS[self.format][1]


# The master is what we keep: JPEG quality 90 is visually lossless for phone photos, and
# optimize=True (Huffman tables per image) saves ~5% for ~20 ms. Baseline, not progressive:
# progressive doubles the encode time for another ~5%.
MASTER = _Recipe("master", MASTER_LONG_SIDE, "JPEG", {"quality": 90, "optimize": True})
# Shown on screens. WebP quality 80 is the usual web point; method=2 takes ~40 ms at 1280 px
# where the default method=4 takes ~95 ms (and 6 ~300 ms) for files only a few % smaller.
DISPLAY = _Recipe("display", 1280, "WEBP", {"quality": 80, "method": 2})
# Lists load many thumbnails, so bytes count more here, and at 400 px method=4 costs ~5 ms.
THUMB = _Recipe("thumb", 400, "WEBP", {"quality": 80, "method": 4})
# For the A4 PDF: printed at most ~17 cm wide at ~180 dpi is 1200 px. Baseline JPEG, because
# PDF writers embed it as it is (DCTDecode); quality 82 is plenty on paper, and optimize=True
# saves ~10% for ~3 ms.
PRINT = _Recipe("print", 1200, "JPEG", {"quality": 82, "optimize": True})


def sniff(path: Path) -> str | None:
    """Name the media type from the file's first bytes; None for anything we do not take."""
    with path.open("rb") as file:
        head = file.read(16)
        file_size = file.seek(0, io.SEEK_END)
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return _iso_brand(head[8:12])
    if head[4:8] in _QUICKTIME_ATOMS:
        atom_size = int.from_bytes(head[:4], "big")
        # 0 means "up to the end of the file" and 1 "a 64-bit size follows".
        if atom_size in (0, 1) or 8 <= atom_size <= file_size:
            return "mov"
    return None


def _iso_brand(brand: bytes) -> str | None:
    """Name the kind of an ISO media file (MP4, MOV, HEIF) from the brand in its ftyp box."""
    if brand == b"qt  ":
        return "mov"
    if brand in _HEIF_BRANDS:
        return "heif"
    if brand in _OTHER_STILL_BRANDS:
        return None
    return "mp4"


# Bounds on decoding, so one person sending big images cannot take a worker's memory:
# - a JPEG decodes at a reduced size (draft), so it may have up to `max_pixels` (50 MP);
# - PNG, WebP and HEIF decode whole. Without transparency that is fine up to 50 MP (a 48.8 MP
#   RGB image, as a 48 MP phone's HEIF, peaked at 247 MB more resident memory through the
#   whole pipeline); with transparency (RGBA, LA, P) it costs more copies: 24 MP peaked at
#   298 MB and a 7000x7000 RGBA PNG at 608 MB (measured with ru_maxrss on this machine).
#   So transparent images over FULL_DECODE_MAX_PIXELS are refused from their header;
# - a decode of more than LARGE_DECODE_PIXELS waits for the process's one "large" turn, so
#   eight of them at once take one decode's memory, not eight; small images never wait.
FULL_DECODE_MAX_PIXELS = 24_000_000
_TRANSPARENT_MODES = frozenset({"RGBA", "LA", "P", "PA", "RGBa", "La"})
LARGE_DECODE_PIXELS = 4_000_000
_LARGE_TURN = threading.BoundedSemaphore(1)


def process_photo(
    src: Path,
    workdir: Path,
    *,
    max_pixels: int = 50_000_000,
    max_full_pixels: int = FULL_DECODE_MAX_PIXELS,
) -> list[Variant]:
    """Decode a photo and write master.jpg, display.webp, thumb.webp and print.jpg to workdir."""
    if src.stat().st_size == 0:
        raise MediaRefused(Refusal.EMPTY)
    kind = sniff(src)
    if kind not in _PHOTO_KINDS:
        raise MediaRefused(Refusal.UNSUPPORTED, f"sniffed as {kind}")
    decoded = _decoded_pixels(src, max_pixels, max_full_pixels)
    with _LARGE_TURN if decoded > LARGE_DECODE_PIXELS else contextlib.nullcontext():
        return _variants(src, workdir, max_pixels)


def _decoded_pixels(src: Path, max_pixels: int, max_full_pixels: int) -> int:
    """Return how many pixels decoding `src` will make, from its header; refuse too many."""
    try:
        with Image.open(src, formats=PHOTO_FORMATS) as image:
            width, height = image.size  # from the header: no pixel is decoded yet
            if width * height > max_pixels:
                raise MediaRefused(Refusal.TOO_MANY_PIXELS, f"{width}x{height}")
            if isinstance(image, JpegImagePlugin.JpegImageFile):
                scale = max(1, min(8, max(width, height) // DRAFT_LONG_SIDE))
                return (width // scale) * (height // scale)
            if image.mode in _TRANSPARENT_MODES and width * height > max_full_pixels:
                raise MediaRefused(Refusal.TOO_MANY_PIXELS, f"{image.mode} {width}x{height}")
            return width * height
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise MediaRefused(Refusal.TOO_MANY_PIXELS, str(error)) from error
    except _DECODE_ERRORS as error:
        raise MediaRefused(Refusal.DAMAGED, f"{type(error).__name__}: {error}") from error


def _variants(src: Path, workdir: Path, max_pixels: int) -> list[Variant]:
    picture, icc_profile = _decode(src, max_pixels)
    master = _fit(_to_rgb(picture), MASTER.long_side)
    if icc_profile and picture.mode in ("RGB", "RGBA", "RGBX", "P", "PA"):
        master = _to_srgb(master, icc_profile)
    display = _fit(master, DISPLAY.long_side)
    return [
        _write(master, MASTER, workdir),
        _write(display, DISPLAY, workdir),
        _write(_fit(display, THUMB.long_side), THUMB, workdir),
        _write(_fit(master, PRINT.long_side), PRINT, workdir),
    ]


def _decode(src: Path, max_pixels: int) -> tuple[Image.Image, bytes | None]:
    """Return the photo's pixels upright, with its ICC profile; refuse bombs and damage."""
    try:
        with Image.open(src, formats=PHOTO_FORMATS) as image:
            width, height = image.size  # from the header: no pixel is decoded yet
            if width * height > max_pixels:
                raise MediaRefused(Refusal.TOO_MANY_PIXELS, f"{width}x{height}")
            if isinstance(image, JpegImagePlugin.JpegImageFile):  # also MPO (iPhone, Samsung)
                image.draft("RGB", _draft_box(image.size))
            image.load()
            icc_profile = image.info.get("icc_profile")
            # pillow-heif has already applied a HEIC's rotation and reset its orientation to 1.
            ImageOps.exif_transpose(image, in_place=True)
            return image, icc_profile
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise MediaRefused(Refusal.TOO_MANY_PIXELS, str(error)) from error
    except _DECODE_ERRORS as error:
        # sniff() recognised one of our formats, so a file Pillow cannot read is damaged.
        raise MediaRefused(Refusal.DAMAGED, f"{type(error).__name__}: {error}") from error


def _draft_box(size: tuple[int, int]) -> tuple[int, int]:
    """Return the smallest decode size, in the photo's own aspect ratio, the master allows."""
    width, height = size
    long_side = max(width, height)
    if long_side <= DRAFT_LONG_SIDE:
        return size
    # Rounded up: the decoder picks the largest scale whose result still covers the box.
    return (
        -(-width * DRAFT_LONG_SIDE // long_side),
        -(-height * DRAFT_LONG_SIDE // long_side),
    )


def _to_rgb(image: Image.Image) -> Image.Image:
    """Return the image as 8-bit RGB, with any transparency composited on white."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # 16-bit grey (PNG): scale to 8 bits, where convert("L") would clip at 255.
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if image.mode == "P" or "transparency" in image.info:
        image = image.convert("RGBA")  # palette and tRNS transparency become an alpha band
    if image.mode in ("RGBA", "RGBa", "LA", "La", "PA"):
        rgba = image.convert("RGBA")
        on_white = Image.new("RGB", rgba.size, "white")
        on_white.paste(rgba, mask=rgba.getchannel("A"))
        return on_white
    # CMYK (Adobe JPEGs), L and 1 convert directly.
    return image if image.mode == "RGB" else image.convert("RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """Return the RGB image converted from its ICC profile to sRGB, when that profile is not sRGB.

    We convert rather than drop: an iPhone's Display P3 photo shown as sRGB looks dull. It is
    cheap enough (~40 ms at master size, once, the transform cached per profile). Profiles we
    cannot read, and CMYK or grey ones, are just dropped: every variant is then read as sRGB.
    """
    transform = _srgb_transform(icc_profile)
    if transform is None:
        return image
    converted = ImageCms.applyTransform(image, transform)  # None only with inPlace=True
    return converted if converted is not None else image


@functools.lru_cache(maxsize=8)
def _srgb_transform(icc_profile: bytes) -> ImageCms.ImageCmsTransform | None:
    """Return a transform from an RGB profile to sRGB; None for sRGB or unusable profiles."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if profile.profile.xcolor_space != "RGB ":
            return None
        if "srgb" in (profile.profile.profile_description or "").lower():
            return None
        return ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), "RGB", "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _fit(image: Image.Image, long_side: int) -> Image.Image:
    """Return the image scaled down to fit long_side, keeping its aspect; never scaled up."""
    width, height = image.size
    if max(width, height) <= long_side:
        return image
    scale = long_side / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # Lanczos keeps downscaled photos sharp; reducing_gap=3.0 first shrinks by a whole factor
    # when the ratio is large (panoramas), which is faster and, at 3.0, indistinguishable.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _write(image: Image.Image, recipe: _Recipe, workdir: Path) -> Variant:
    """Encode one variant into workdir, with no metadata at all."""
    # A clean info dict: Pillow's JPEG writer copies image.info["comment"] into the file.
    # EXIF, XMP and ICC are only written when passed to save(), which we never do.
    image.info = {}
    path = workdir / recipe.filename
    image.save(path, format=recipe.format, **recipe.options)
    return Variant(recipe.name, path, recipe.content_type, image.width, image.height)
