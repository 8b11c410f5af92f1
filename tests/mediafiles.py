"""Test media made on the spot: nothing binary is committed."""

import io
import struct
import subprocess
import zlib
from pathlib import Path

from PIL import Image

from toekomstplan.media.videos import ffmpeg_exe

GPS_IFD = 0x8825


def jpeg_with_gps(size=(64, 48), orientation: int = 6, colour=(220, 80, 40)) -> bytes:
    """Return a JPEG with a GPS position, a camera serial, a comment and an orientation."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber lives in the Exif IFD, but any tag will do
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 2.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def flat_png(width: int, height: int, *, alpha: bool = True) -> bytes:
    """Return a real, decodable PNG of one colour, written row by row: a 7000x7000 one is a
    few hundred kilobytes on the wire and 196 MB of pixels once decoded (a "PNG bomb")."""
    bands = 4 if alpha else 3
    row = b"\x00" + b"\x80" * (width * bands)  # filter byte "none", then the pixels
    pack = zlib.compressobj(9)
    data = b"".join(pack.compress(row) for _ in range(height)) + pack.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (30, 120, 200, 128)).save(out, "PNG")
    return out.getvalue()


def video(tmp_path: Path, *, codec: str = "libx264", container: str = "mp4") -> bytes:
    """Return a 1-second video with sound and a location tag."""
    target = tmp_path / f"clip.{container}"
    args = [
        ffmpeg_exe(), "-nostdin", "-y", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15",
        "-f", "lavfi", "-i", "sine=frequency=440",
        "-t", "1", "-c:v", codec, "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-metadata", "location=+52.5200+013.4050/",
        str(target),
    ]  # fmt: skip
    subprocess.run(args, check=True, timeout=60)
    return target.read_bytes()
