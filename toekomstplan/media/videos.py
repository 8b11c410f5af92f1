"""Prepare phone videos for the plan: play everywhere, carry nothing about the phone or place.

Phones write where and when a video was made, and on which phone, into the container
(QuickTime `©xyz`, `com.apple.quicktime.location.ISO6709`, make, model, creation dates) and
into extra tracks (Apple's timed-metadata tracks). Only the first video and audio stream
are kept and every metadata map is cut, whether the video is copied or re-encoded.
"""

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import imageio_ffmpeg

from .refusals import MediaRefused, Refusal

# Codecs that play in every current browser inside an MP4, so such a video is only remuxed.
PLAYABLE_VIDEO = {"h264"}
PLAYABLE_AUDIO = {"aac", None}
# 4:2:0 8-bit is the only H.264 every browser decodes; High 10 or 4:4:4 gets re-encoded.
PLAYABLE_PIXEL_FORMATS = {"yuv420p", "yuvj420p"}
MAX_LONG_SIDE = 1920
POSTER_AT = 1.0  # seconds; a clip shorter than POSTER_MIN_DURATION gets its first frame
POSTER_MIN_DURATION = 1.5
PROBE_KEYS = ("video_codec", "audio_codec", "duration", "width", "height", "rotation")

_DURATION = re.compile(r"^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", re.MULTILINE)
_STREAM = re.compile(r"^\s*Stream #\d+:\d+\S*: (Video|Audio|Subtitle|Data|Attachment): (.*)$")
# ", 1920x1080" — the comma keeps fourcc hex such as "(avc1 / 0x31637661)" from matching.
_SIZE = re.compile(r", (\d+)x(\d+)(?=[\s,\[]|$)")
_PIXEL_FORMAT = re.compile(r"^[^,]+, ([a-z0-9_]+)")
_DISPLAY_MATRIX = re.compile(r"display ?matrix: rotation of (-?\d+(?:\.\d+)?) degrees", re.I)
_ROTATE_TAG = re.compile(r"^\s*rotate\s*: (-?\d+)\s*$")
_PROGRESS_TIME = re.compile(r"time=(\d+):(\d\d):(\d\d(?:\.\d+)?)")

# Only the containers phones and browsers record in, read from local files only: ffmpeg
# would otherwise follow an uploaded playlist to other files or read a PNG as a video.
_FORMATS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm"
_GUARD = ["-protocol_whitelist", "file", "-format_whitelist", _FORMATS]
# Cut every metadata map and let ffmpeg write no version strings of its own.
_STRIP = [
    "-map_metadata", "-1",
    "-map_metadata:s:v", "-1",
    "-map_metadata:s:a", "-1",
    "-map_chapters", "-1",
    "-dn", "-sn",
    "-fflags", "+bitexact",
]  # fmt: skip
# The first real video stream (`V` skips cover art) and the first audio stream, if any.
_MAPS = ["-map", "0:V:0", "-map", "0:a:0?"]
_MP4 = ["-movflags", "+faststart", "-f", "mp4"]
# Long side at most MAX_LONG_SIDE, never upscaled, both sides even for yuv420p. The size is
# that of the frame after ffmpeg's autorotation, so a portrait video stays portrait.
_SCALE = (
    f"scale=w='if(gte(iw,ih),trunc(min({MAX_LONG_SIDE},iw)/2)*2,-2)'"
    f":h='if(gte(iw,ih),-2,trunc(min({MAX_LONG_SIDE},ih)/2)*2)',format=yuv420p"
)
_TRANSCODE = [
    "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
    "-vf", _SCALE,
    "-c:a", "aac", "-b:a", "128k",
    "-flags:v", "+bitexact", "-flags:a", "+bitexact",
]  # fmt: skip


@dataclass(frozen=True)
class PreparedVideo:
    """A video ready to store: the MP4, its poster frame, and what the page needs to show it."""

    video: Path
    poster: Path
    duration: float
    width: int  # as displayed, after rotation
    height: int
    remuxed: bool


def ffmpeg_exe() -> str:
    """Return the system's ffmpeg, or the one bundled with imageio-ffmpeg."""
    return shutil.which("ffmpeg") or imageio_ffmpeg.get_ffmpeg_exe()


def probe(src: Path) -> dict:
    """Describe the first video and audio stream of `src`; rotation is clockwise degrees."""
    info = _inspect(src)
    return {key: info[key] for key in PROBE_KEYS}


def prepare_video(src: Path, workdir: Path, *, timeout: int = 600) -> PreparedVideo:
    """Make `src` into a metadata-free H.264 MP4 and a poster frame inside `workdir`."""
    deadline = time.monotonic() + timeout
    info = _inspect(src)
    workdir.mkdir(parents=True, exist_ok=True)
    video, poster = workdir / "video.mp4", workdir / "poster.png"
    # Written under temporary names, so a crash never leaves a file that looks finished.
    video_tmp, poster_tmp = workdir / ".video.partial.mp4", workdir / ".poster.partial.png"
    read, write = [*_input(src), *_MAPS], [*_STRIP, *_MP4, _file(video_tmp)]
    try:
        remuxed = _is_playable(info)
        if remuxed:
            try:
                _run([*read, "-c", "copy", *write], deadline)
            except MediaRefused:
                # Copying can fail on odd timestamps that re-encoding smooths over.
                remuxed = False
        if not remuxed:
            _run([*read, *_TRANSCODE, *write], deadline)
        result = _inspect(video_tmp)
        _extract_poster(video_tmp, poster_tmp, result["duration"], deadline)
        os.replace(video_tmp, video)
        os.replace(poster_tmp, poster)
    except BaseException:
        for path in (video_tmp, poster_tmp, video, poster):
            path.unlink(missing_ok=True)
        raise
    width, height = result["width"], result["height"]
    if result["rotation"] in (90, 270):
        width, height = height, width
    return PreparedVideo(video, poster, result["duration"], width, height, remuxed)


def _is_playable(info: dict) -> bool:
    return (
        info["video_codec"] in PLAYABLE_VIDEO
        and info["audio_codec"] in PLAYABLE_AUDIO
        and info["pixel_format"] in PLAYABLE_PIXEL_FORMATS
    )


def _extract_poster(video: Path, poster: Path, duration: float, deadline: float) -> None:
    at = POSTER_AT if duration >= POSTER_MIN_DURATION else 0.0
    for seek in dict.fromkeys((at, 0.0)):
        args = ["-ss", f"{seek:.3f}", *_input(video), "-map", "0:V:0", "-frames:v", "1"]
        args += ["-map_metadata", "-1", "-c:v", "png", "-f", "image2", "-update", "1"]
        _run([*args, _file(poster)], deadline)
        if poster.exists() and poster.stat().st_size > 0:
            return
    raise MediaRefused(Refusal.VIDEO_FAILED, detail="no frame for the poster")


def _run(args: list[str], deadline: float) -> None:
    """Run ffmpeg quietly; refuse with its last error lines when it fails or runs too long."""
    command = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-nostats", "-v", "error", "-y", *args]
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise MediaRefused(Refusal.VIDEO_FAILED, detail="out of time")
    try:
        done = subprocess.run(  # noqa: S603
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=remaining,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise MediaRefused(Refusal.VIDEO_FAILED, detail="ffmpeg timed out") from exc
    if done.returncode != 0:
        raise MediaRefused(Refusal.VIDEO_FAILED, detail=_tail(done.stderr))


def _inspect(src: Path) -> dict:
    """Read the stream summary ffmpeg prints for an input (imageio-ffmpeg has no ffprobe)."""
    try:
        done = subprocess.run(  # noqa: S603
            [ffmpeg_exe(), "-nostdin", "-hide_banner", *_input(src)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise MediaRefused(Refusal.DAMAGED, detail="ffmpeg timed out reading it") from exc
    # With no output file ffmpeg always exits 1; whether it read the input shows in the text.
    info = _parse(done.stderr.decode("utf-8", "replace"))
    if info is None:
        raise MediaRefused(Refusal.DAMAGED, detail=_tail(done.stderr))
    if info["duration"] is None:
        info["duration"] = _count_duration(src)
    return info


def _parse(text: str) -> dict | None:
    """Return the first video and audio stream of an ffmpeg input summary, or None."""
    if "Input #0" not in text:
        return None
    info: dict[str, Any] = {
        "video_codec": None,
        "audio_codec": None,
        "pixel_format": None,
        "duration": None,
        "width": 0,
        "height": 0,
        "rotation": 0,
    }
    if match := _DURATION.search(text):
        hours, minutes, seconds = match.groups()
        info["duration"] = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    in_video = False  # whether the lines being read belong to the chosen video stream
    for line in text.splitlines():
        if stream := _STREAM.match(line):
            in_video = _read_stream(info, *stream.groups())
        elif in_video and (matrix := _DISPLAY_MATRIX.search(line)):
            # The display matrix angle is counter-clockwise; the old rotate tag clockwise.
            info["rotation"] = round(-float(matrix.group(1))) % 360
        elif in_video and (tag := _ROTATE_TAG.match(line)):
            info["rotation"] = int(tag.group(1)) % 360
    if not info["video_codec"] or info["width"] <= 0 or info["height"] <= 0:
        return None
    return info


def _read_stream(info: dict[str, Any], kind: str, description: str) -> bool:
    """Take the codec (and size) of the first audio and video stream; True for the video."""
    codec = description.split()[0].rstrip(",")
    if kind == "Audio" and info["audio_codec"] is None:
        info["audio_codec"] = codec
    elif kind == "Video" and info["video_codec"] is None and "(attached pic)" not in description:
        size = _SIZE.search(description)
        pixel_format = _PIXEL_FORMAT.match(description)
        info["video_codec"] = codec
        info["width"], info["height"] = map(int, size.groups()) if size else (0, 0)
        info["pixel_format"] = pixel_format.group(1) if pixel_format else None
        return True
    return False


def _count_duration(src: Path) -> float:
    """Read every packet of the video to time a file whose header does not say (WebM)."""
    command = [ffmpeg_exe(), "-nostdin", "-hide_banner", *_input(src), "-map", "0:V:0"]
    try:
        done = subprocess.run(  # noqa: S603
            [*command, "-c", "copy", "-f", "null", "-"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 0.0
    times = _PROGRESS_TIME.findall(done.stderr.decode("utf-8", "replace"))
    if not times:
        return 0.0
    hours, minutes, seconds = times[-1]
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _input(path: Path) -> list[str]:
    return [*_GUARD, "-i", _file(path)]


def _file(path: Path) -> str:
    # "file:" keeps a name with a colon or a leading dash from being read as anything else.
    return f"file:{path}"


def _tail(stderr: bytes, lines: int = 8) -> str:
    return "\n".join(stderr.decode("utf-8", "replace").strip().splitlines()[-lines:])
