"""Test media made on the spot: nothing binary is committed."""

import io
import subprocess
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
