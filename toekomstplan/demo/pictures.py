"""Pictures and a video for demo and benchmark plans, drawn on the spot (nothing binary is
committed)."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from ..media.videos import ffmpeg_exe

PHOTO_SIZE = (1600, 1200)  # a photo a phone resized before upload, or a scanned drawing


def landscape(path: Path) -> None:
    """A sunrise over hills, like a drawing a young person might put on a cover."""
    w, h = 1600, 1200
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / h
        draw.line([(0, y), (w, y)], fill=(int(255 - 60 * t), int(190 - 40 * t), int(120 + 80 * t)))
    draw.ellipse((980, 260, 1300, 580), fill=(255, 226, 120))
    for i, colour in enumerate([(46, 106, 79), (64, 145, 108), (29, 78, 137)]):
        top = 640 + i * 150
        points = [(x, top + 60 * math.sin(x / (180 + 60 * i) + i)) for x in range(0, w + 1, 20)]
        draw.polygon([*points, (w, h), (0, h)], fill=colour)
    image.save(path, "JPEG", quality=90)


def sunflower(path: Path) -> None:
    """A sunflower drawing."""
    image = Image.new("RGB", (1000, 1000), (255, 248, 231))
    draw = ImageDraw.Draw(image)
    draw.rectangle((490, 520, 510, 980), fill=(64, 145, 108))
    draw.ellipse((520, 700, 700, 780), fill=(64, 145, 108))
    for i in range(16):
        angle = i * math.pi / 8
        x, y = 500 + 200 * math.cos(angle), 400 + 200 * math.sin(angle)
        draw.ellipse((x - 70, y - 70, x + 70, y + 70), fill=(255, 200, 40))
    draw.ellipse((370, 270, 630, 530), fill=(120, 70, 20))
    image.save(path, "PNG")


def guitar(path: Path) -> None:
    """A guitar on a blue wall."""
    image = Image.new("RGB", (900, 1200), (168, 218, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((430, 80, 470, 640), fill=(90, 50, 20))
    draw.ellipse((250, 560, 650, 960), fill=(200, 110, 40))
    draw.ellipse((300, 420, 600, 720), fill=(200, 110, 40))
    draw.ellipse((400, 640, 500, 740), fill=(60, 30, 10))
    for x in range(436, 466, 7):
        draw.line([(x, 80), (x, 900)], fill=(240, 240, 240), width=2)
    image.save(path, "JPEG", quality=90)


def photo_like(path: Path, number: int, colours: tuple | None = None) -> None:
    """Write a photo-like JPEG: a gradient, a few shapes and sensor noise, so it is as big
    and as slow to process as a real photo of its size."""
    width, height = PHOTO_SIZE
    default = (((46 + number * 37) % 256, 106, 79), (244, 162, (89 * number) % 256))
    top, bottom = colours or default
    image = Image.composite(
        Image.new("RGB", PHOTO_SIZE, bottom),
        Image.new("RGB", PHOTO_SIZE, top),
        Image.linear_gradient("L").resize(PHOTO_SIZE),
    )
    draw = ImageDraw.Draw(image)
    for i in range(8):
        x = (number * 379 + i * 211) % width
        y = (number * 173 + i * 307) % height
        r = 80 + (number * 53 + i * 97) % 220
        colour = ((number * 71 + i * 40) % 256, (i * 90 + 30) % 256, (number * 30 + i * 15) % 256)
        shape = draw.ellipse if (number + i) % 2 else draw.rectangle
        shape((x - r, y - r, x + r, y + r), fill=colour)
    noise = Image.merge("RGB", [Image.effect_noise(PHOTO_SIZE, 20 + band) for band in range(3)])
    ImageChops.add(image, noise, 1.0, -128).save(path, "JPEG", quality=90)


def animation(path: Path) -> None:
    """A few seconds of the Game of Life with a tune: a video made in a coding class."""
    args = [
        ffmpeg_exe(), "-nostdin", "-y", "-loglevel", "error",
        "-f", "lavfi",
        "-i", "life=s=320x240:mold=10:r=12:ratio=0.3:death_color=#1d4e89:life_color=#f4a259",
        "-f", "lavfi", "-i", "sine=frequency=523:beep_factor=4",
        "-t", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        str(path),
    ]  # fmt: skip
    subprocess.run(args, check=True, timeout=120)  # noqa: S603 (fixed arguments, our own path)
