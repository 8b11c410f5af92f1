"""The photo pipeline: every variant upright, the right size and format, and free of metadata.

All media are generated here. exiftool reads the outputs, because it knows far more metadata
than Pillow does; without it these tests fail rather than skip.
"""

import io
import json
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from toekomstplan.media.images import PHOTO_FORMATS, Variant, process_photo, sniff
from toekomstplan.media.refusals import MediaRefused, Refusal

RED = (255, 0, 0)
WHITE = (255, 255, 255)
SECRET_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="52,30.2N" exif:GPSLongitude="6,5.5E"/></rdf:RDF></x:xmpmeta>'
)
# exiftool groups an image without metadata still has: the file itself, its JFIF or RIFF
# header, and figures exiftool derives from those.
CLEAN_GROUPS = {"ExifTool", "File", "JFIF", "RIFF", "Composite"}
TELLTALES = ("GPS", "Comment", "Serial", "Make", "Model", "Profile", "XMP", "Location")


def phone_exif(orientation: int = 1) -> bytes:
    """Return EXIF like a phone writes: make, model, serial number, GPS position, orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-0042-SECRET"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 5.0, 30.1)
    return exif.tobytes()


def corner_image(size: tuple[int, int]) -> Image.Image:
    """Return a white image with a red block in its top-left corner."""
    image = Image.new("RGB", size, WHITE)
    image.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    return image


def exiftool(*paths: Path) -> list[dict]:
    """Return exiftool's reading of every tag in every group of the files."""
    if shutil.which("exiftool") is None:
        pytest.fail("exiftool is not installed: run scripts/ensure-system-deps exiftool")
    result = subprocess.run(
        ["exiftool", "-j", "-G", "-a", *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def assert_no_metadata(variants: list[Variant]) -> None:
    """Fail if exiftool finds any EXIF, XMP, ICC, GPS, comment or serial number in a variant."""
    for tags in exiftool(*(variant.path for variant in variants)):
        groups = {key.split(":", 1)[0] for key in tags if ":" in key}
        assert groups <= CLEAN_GROUPS, (tags["SourceFile"], groups - CLEAN_GROUPS)
        leaks = [key for key in tags if any(word in key for word in TELLTALES)]
        assert not leaks, (tags["SourceFile"], leaks)


def is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


def is_white(pixel: tuple[int, ...]) -> bool:
    return min(pixel[:3]) > 235


def pixels(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGB")


def assert_upright_corner(variants: list[Variant], size: tuple[int, int]) -> None:
    """Fail unless every variant has the given size with its red block at the top right."""
    width, height = size
    for variant in variants:
        assert (variant.width, variant.height) == size, variant
        image = pixels(variant.path)
        assert image.size == size
        assert is_red(image.getpixel((width - 2, 1))), variant.name
        assert is_white(image.getpixel((1, 1))), variant.name
        assert is_white(image.getpixel((1, height - 2))), variant.name
        assert is_white(image.getpixel((width - 2, height - 2))), variant.name


def refusal(src: Path, workdir: Path, **kwargs) -> Refusal:
    with pytest.raises(MediaRefused) as caught:
        process_photo(src, workdir, **kwargs)
    assert not any(workdir.iterdir()), "nothing may be written for a refused upload"
    return caught.value.reason


def png_header_claiming(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims the given size (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def display_p3_profile() -> bytes:
    """Return a minimal ICC v2 matrix/TRC profile with Apple's Display P3 primaries."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    name = b"Display P3\0"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(8 + 3 + 67)
    gamma = b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0233) + bytes(2)  # gamma 2.2
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", gamma),
        (b"gTRC", gamma),
        (b"bTRC", gamma),
        (b"cprt", b"text" + bytes(4) + b"none" + bytes(4)),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (
        struct.pack(">I", offset + len(data))
        + bytes(4)
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acsp"
        + bytes(28)
        + xyz(0.9642, 1.0, 0.8249)[8:]  # D50 illuminant
        + bytes(48)
    )
    return header + struct.pack(">I", len(tags)) + table + data


def test_phone_jpeg_comes_out_upright_without_gps_serial_or_comment(tmp_path):
    src = tmp_path / "IMG_0001.jpg"
    corner_image((40, 20)).save(
        src,
        quality=95,
        exif=phone_exif(orientation=6),
        comment=b"Thuis, Dorpsstraat 1",
        xmp=SECRET_XMP,
    )
    [source_tags] = exiftool(src)
    assert "EXIF:GPSLatitude" in source_tags and "EXIF:SerialNumber" in source_tags
    assert "File:Comment" in source_tags and "XMP:GPSLatitude" in source_tags
    out = tmp_path / "out"
    out.mkdir()

    variants = process_photo(src, out)

    assert [variant.name for variant in variants] == ["master", "display", "thumb", "print"]
    # Orientation 6 means "turn 90 degrees clockwise": 40x20 becomes 20x40, and the stored
    # top-left corner ends up top right.
    assert_upright_corner(variants, (20, 40))
    assert_no_metadata(variants)
    for variant in variants:
        assert b"Dorpsstraat" not in variant.path.read_bytes()


def test_variants_have_their_sizes_formats_and_content_types(tmp_path):
    src = tmp_path / "landscape.jpg"
    Image.linear_gradient("L").resize((3000, 2000)).convert("RGB").save(src, quality=90)

    variants = {variant.name: variant for variant in process_photo(src, tmp_path)}

    expected = {
        "master": ("master.jpg", "JPEG", "image/jpeg", (2048, 1365)),
        "display": ("display.webp", "WEBP", "image/webp", (1280, 853)),
        "thumb": ("thumb.webp", "WEBP", "image/webp", (400, 267)),
        "print": ("print.jpg", "JPEG", "image/jpeg", (1200, 800)),
    }
    for name, (filename, pillow_format, content_type, size) in expected.items():
        variant = variants[name]
        assert variant.path == tmp_path / filename
        assert variant.content_type == content_type
        assert (variant.width, variant.height) == size
        with Image.open(variant.path) as image:
            assert image.format == pillow_format
            assert image.size == size
        assert sniff(variant.path) == pillow_format.lower()


def test_twelve_megapixel_jpeg_is_decoded_at_half_scale(tmp_path):
    src = tmp_path / "12mp.jpg"
    Image.new("RGB", (4032, 3024), (90, 120, 150)).save(src, quality=80)

    master = process_photo(src, tmp_path)[0]

    # A full decode would have been resampled to 2048x1536.
    assert (master.width, master.height) == (2016, 1512)


def test_small_photo_is_never_upscaled(tmp_path):
    src = tmp_path / "small.png"
    Image.new("RGB", (300, 200), (10, 200, 30)).save(src)

    variants = process_photo(src, tmp_path)

    assert {(variant.width, variant.height) for variant in variants} == {(300, 200)}


def test_png_transparency_lands_on_white_and_text_chunks_are_dropped(tmp_path):
    src = tmp_path / "sticker.png"
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (32, 0, 64, 64))
    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "Dorpsstraat 1, Zwolle")
    image.save(src, pnginfo=text)

    variants = process_photo(src, tmp_path)

    for variant in variants:
        image = pixels(variant.path)
        assert is_white(image.getpixel((4, 32)))
        red, green, blue = image.getpixel((60, 32))
        assert blue > 200 and red < 40 and green < 40
        assert b"Dorpsstraat" not in variant.path.read_bytes()
    assert_no_metadata(variants)


def test_palette_png_with_transparent_index_lands_on_white(tmp_path):
    src = tmp_path / "palette.png"
    image = Image.new("P", (32, 32), 0)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.paste(1, (16, 0, 32, 32))
    image.save(src, transparency=0)

    master = pixels(process_photo(src, tmp_path)[0].path)

    assert is_white(master.getpixel((4, 16)))
    assert is_red(master.getpixel((28, 16)))


def test_sixteen_bit_grey_png_keeps_its_tones(tmp_path):
    src = tmp_path / "grey16.png"
    Image.new("I;16", (32, 32), 32896).save(src)  # 50% grey in 16 bits

    master = pixels(process_photo(src, tmp_path)[0].path)

    assert all(abs(band - 128) <= 3 for band in master.getpixel((16, 16)))


@pytest.mark.parametrize(
    ("mode", "pillow_format"),
    [("CMYK", "JPEG"), ("L", "JPEG"), ("LA", "PNG"), ("1", "PNG"), ("RGBA", "WEBP")],
)
def test_other_colour_modes_come_out_as_rgb(tmp_path, mode, pillow_format):
    src = tmp_path / "photo"
    Image.new("RGB", (48, 32), WHITE).convert(mode).save(src, format=pillow_format)

    variants = process_photo(src, tmp_path)

    for variant in variants:
        with Image.open(variant.path) as image:
            assert image.mode == "RGB"
            assert is_white(image.getpixel((24, 16)))


def test_heic_with_gps_is_decoded_upright_and_clean(tmp_path):
    src = tmp_path / "IMG_0002.HEIC"
    heif = pillow_heif.from_pillow(corner_image((64, 48)))
    heif.save(src, quality=90, exif=phone_exif(orientation=6))
    [source_tags] = exiftool(src)
    assert "EXIF:GPSLatitude" in source_tags

    variants = process_photo(src, tmp_path)

    assert_upright_corner(variants, (48, 64))
    assert_no_metadata(variants)


def test_webp_with_exif_is_decoded_upright_and_clean(tmp_path):
    src = tmp_path / "shared.webp"
    corner_image((40, 20)).save(src, quality=95, exif=phone_exif(orientation=6))
    [source_tags] = exiftool(src)
    assert "EXIF:GPSLatitude" in source_tags

    variants = process_photo(src, tmp_path)

    assert_upright_corner(variants, (20, 40))
    assert_no_metadata(variants)


def test_multi_picture_jpeg_from_a_phone_is_taken(tmp_path):
    src = tmp_path / "portrait.jpg"
    corner_image((40, 20)).save(
        src,
        format="MPO",
        save_all=True,
        append_images=[Image.new("RGB", (40, 20), "blue")],
        exif=phone_exif(orientation=6),
    )

    variants = process_photo(src, tmp_path)

    assert_upright_corner(variants, (20, 40))
    assert_no_metadata(variants)


def test_display_p3_photo_is_converted_to_srgb_and_its_profile_dropped(tmp_path):
    p3_src, srgb_src = tmp_path / "p3.jpg", tmp_path / "srgb.jpg"
    colour = (200, 60, 60)
    srgb_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (32, 32), colour).save(p3_src, quality=95, icc_profile=display_p3_profile())
    Image.new("RGB", (32, 32), colour).save(srgb_src, quality=95, icc_profile=srgb_profile)
    (tmp_path / "p3").mkdir()
    (tmp_path / "srgb").mkdir()

    from_p3 = process_photo(p3_src, tmp_path / "p3")
    from_srgb = process_photo(srgb_src, tmp_path / "srgb")

    # A P3 red is redder than the same numbers in sRGB.
    red, green, _ = pixels(from_p3[0].path).getpixel((16, 16))
    assert red >= 210 and green <= 50
    unchanged = pixels(from_srgb[0].path).getpixel((16, 16))
    assert all(abs(got - want) <= 3 for got, want in zip(unchanged, colour, strict=True))
    assert_no_metadata(from_p3 + from_srgb)


@pytest.mark.parametrize(
    ("width", "height"),
    [(30_000, 30_000), (8_000, 8_000)],
    ids=["beyond-pillow-limit", "beyond-our-limit"],
)
def test_decompression_bomb_is_refused_from_its_header(tmp_path, width, height):
    src = tmp_path / "bomb.png"
    src.write_bytes(png_header_claiming(width, height))
    out = tmp_path / "out"
    out.mkdir()

    started = time.perf_counter()
    assert refusal(src, out) == Refusal.TOO_MANY_PIXELS
    assert time.perf_counter() - started < 1


def test_photo_over_the_given_pixel_limit_is_refused(tmp_path):
    src = tmp_path / "photo.jpg"
    Image.new("RGB", (40, 20)).save(src)
    out = tmp_path / "out"
    out.mkdir()

    assert refusal(src, out, max_pixels=799) == Refusal.TOO_MANY_PIXELS


@pytest.mark.parametrize("pillow_format", ["JPEG", "PNG", "WEBP", "HEIF"])
@pytest.mark.parametrize("keep", [0.5, 0.9], ids=["half", "most"])
def test_truncated_photo_is_damaged_not_padded(tmp_path, pillow_format, keep):
    whole = io.BytesIO()
    Image.effect_noise((256, 256), 50).convert("RGB").save(whole, format=pillow_format)
    src = tmp_path / "cut"
    src.write_bytes(whole.getvalue()[: int(len(whole.getvalue()) * keep)])
    out = tmp_path / "out"
    out.mkdir()

    assert refusal(src, out) == Refusal.DAMAGED


def test_jpeg_magic_followed_by_garbage_is_damaged(tmp_path):
    src = tmp_path / "garbage.jpg"
    src.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    out.mkdir()

    assert refusal(src, out) == Refusal.DAMAGED


def test_empty_file_is_refused_as_empty(tmp_path):
    src = tmp_path / "empty.jpg"
    src.write_bytes(b"")
    out = tmp_path / "out"
    out.mkdir()

    assert refusal(src, out) == Refusal.EMPTY


def _gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, format="GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.jpg", b"#!/bin/sh\nrm -rf ~\n"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("animation.gif", _gif_bytes()),
        ("notes.png", b"Get free phone photos here\n"),
        ("clip.jpg", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"),
    ],
)
def test_files_that_are_not_our_photo_formats_are_unsupported(tmp_path, name, content):
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out"
    out.mkdir()

    assert refusal(src, out) == Refusal.UNSUPPORTED


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heif"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heic", "heif"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "mp4"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "mp4"),
        (b"\x00\x00\x00\x1cftyp3gp4\x00\x00\x00\x00isom3gp4", "mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "mov"),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x08mdat", "mov"),
        (b"\x00\x00\x00\x10moov\x00\x00\x00\x08mvhd", "mov"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81", "webm"),
        (b"GIF89a\x08\x00\x08\x00", None),
        (b"<?xml version='1.0'?><svg>", None),
        (b"#!/bin/sh\necho hi\n", None),
        (b"Get free stuff\n", None),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", None),
        (b"", None),
    ],
)
def test_sniff_decides_by_the_first_bytes(tmp_path, head, kind):
    path = tmp_path / "upload.bin"
    path.write_bytes(head)

    assert sniff(path) == kind


def test_photo_formats_are_the_four_we_open():
    assert PHOTO_FORMATS == ("JPEG", "PNG", "WEBP", "HEIF")
