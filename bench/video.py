"""Video measurements: the memory a big upload costs, and pages beside slow videos.

- `make_video` writes a real H.264/AAC MP4 with ffmpeg (the app's own `ffmpeg_exe`), big
  enough that four phones at about 1 MB/s need the whole measurement to download it.
- `make_big_upload` writes, once, a file of almost UPLOAD_MAX_MB that starts with that
  video's `ftyp` box, so the app sniffs it as an MP4 and stores it (preparing it would fail,
  which does not matter here: no job consumer runs).
- `upload` streams that file as a browser's multipart form from disk in 1 MiB chunks;
  `WorkerMemory` reads the resident high-water mark of every gunicorn worker around it.
- `SlowClient` downloads a video like a phone on a slow connection: a small receive buffer,
  64 KiB at a time, sleeping to hold its rate; `page_times` times plan pages meanwhile.

Everything talks to 127.0.0.1 only; memory figures need Linux (/proc).
`bench/video_figures.py` runs these against the bench's app and reports the figures.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

from procfs import status_kb
from report import BenchError
from sandbox import HOST

CHUNK = 1024 * 1024


class VideoBenchError(BenchError):
    """A video measurement could not be made; the message says why."""


# --- files ---------------------------------------------------------------------------------


def make_video(path: Path, seconds: int = 20) -> None:
    """Write a 1280x720 H.264 MP4 at about 20 Mbit/s with AAC audio (about 45-50 MB).

    H.264 4:2:0 with AAC is what phones record and what the app only remuxes, so preparing it
    takes a second, not a minute.
    """
    from toekomstplan.media.videos import ffmpeg_exe

    command = [
        ffmpeg_exe(), "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", str(seconds),
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-b:v", "20M", "-maxrate", "20M", "-bufsize", "40M",
        "-c:a", "aac", "-b:a", "128k",
        "-movflags", "+faststart", str(path),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=180, check=False)
    except subprocess.TimeoutExpired as error:
        raise VideoBenchError("ffmpeg took over 180 s to make the bench video") from error
    if done.returncode != 0 or not path.is_file():
        tail = done.stderr.decode(errors="replace")[-2000:]
        raise VideoBenchError(f"ffmpeg could not make the bench video:\n{tail}")


def ftyp_box(video: Path) -> bytes:
    """Return the MP4's leading `ftyp` box (its first bytes, as the app sniffs them)."""
    with video.open("rb") as file:
        head = file.read(8)
        if len(head) < 8 or head[4:8] != b"ftyp":
            raise VideoBenchError(f"{video.name} does not start with an ftyp box")
        size = int.from_bytes(head[:4], "big")
        return head + file.read(size - 8)


def make_big_upload(path: Path, head: bytes, size: int) -> None:
    """Write `size` bytes: `head`, then incompressible padding, 1 MiB at a time."""
    block = os.urandom(CHUNK)
    with path.open("wb") as out:
        out.write(head)
        left = size - len(head)
        while left > 0:
            left -= out.write(block[: min(left, CHUNK)])


# --- gunicorn worker memory ----------------------------------------------------------------


class WorkerMemory:
    """How far each worker's resident memory rose above where it stood at `start`.

    `start` resets each worker's high-water mark (VmHWM) to its current resident size by
    writing 5 to /proc/<pid>/clear_refs, so the figure is the peak of this measurement alone,
    not of the wrk runs before it. Where the kernel refuses, the marks are compared as they
    are (which can only understate the growth; the log says so).
    """

    def __init__(self, pids: list[int]):
        if not pids:
            raise VideoBenchError("the app's gunicorn has no worker processes")
        self.pids = pids
        self.baseline_kb: dict[int, int] = {}
        self.reset = True

    def start(self) -> None:
        for pid in self.pids:
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                self.reset = False
        for pid in self.pids:
            field = "VmRSS" if self.reset else "VmHWM"
            self.baseline_kb[pid] = status_kb(pid, field)

    def growth_mb(self) -> dict[int, float]:
        return {pid: (status_kb(pid, "VmHWM") - self.baseline_kb[pid]) / 1024 for pid in self.pids}


def connections_per_worker(pids: list[int], server_port: int, client_ports: set[int]) -> dict:
    """Count, per worker, the connections from `client_ports` it holds (Linux /proc)."""
    inodes = {}  # socket inode -> client port, from the kernel's table of TCP sockets
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if local_port == server_port and remote_port in client_ports:
                inodes[fields[9]] = remote_port
    counts = {}
    for pid in pids:
        held = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                held.add(inodes[target[8:-1]])
        counts[pid] = len(held)
    return counts


# --- HTTP ----------------------------------------------------------------------------------


def upload(
    port: int,
    path: str,
    cookie: str,
    csrf_token: str,
    file: Path,
    filename: str,
    content_type: str = "video/mp4",
) -> tuple[int, dict, float]:
    """POST `file` as the gallery's upload form does, streamed from disk; return the status,
    the JSON answer and the seconds it took."""
    boundary = "bench" + secrets.token_hex(16)
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{csrf_token}\r\n"
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + file.stat().st_size + len(tail)
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        conn.putheader("Content-Length", str(length))
        conn.putheader("Accept", "application/json")
        conn.putheader("Cookie", cookie)
        conn.putheader("Origin", f"http://{HOST}:{port}")
        conn.endheaders()
        try:
            conn.send(head)
            with file.open("rb") as source:
                while chunk := source.read(CHUNK):
                    conn.send(chunk)
            conn.send(tail)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early (413, 400): its answer says why
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    seconds = time.monotonic() - started
    try:
        answer = json.loads(body) if body else {}
    except ValueError:
        answer = {"body": body[:500].decode(errors="replace")}
    return response.status, answer, seconds


def timed_get(port: int, path: str, cookie: str, timeout: float) -> tuple[int | None, float]:
    """GET `path` on a new connection (a new visitor); return the status (None when it timed
    out or failed) and the milliseconds it took, body included."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = None
    finally:
        conn.close()
    return status, (time.perf_counter() - started) * 1000


def page_times(
    port: int,
    path: str,
    cookie: str,
    count: int,
    *,
    timeout: float = 10,
    deadline: float | None = None,
    pause: float = 0.05,
    keep_going=lambda: True,
) -> tuple[list[float], int]:
    """Time up to `count` sequential GETs; return the times (a timed-out request counts with
    the time it waited) and how many did not answer 200 in time."""
    times, failed = [], 0
    for _ in range(count):
        if deadline is not None and time.monotonic() > deadline:
            break
        if not keep_going():
            break
        status, ms = timed_get(port, path, cookie, timeout)
        times.append(ms)
        if status != 200:
            failed += 1
        time.sleep(pause)
    return times, failed


class SlowClient(threading.Thread):
    """Download `path` like a phone on a slow connection, until the file ends or `stop`."""

    RECV = 64 * 1024

    def __init__(self, port: int, path: str, cookie: str, rate: float, stop: threading.Event):
        super().__init__(daemon=True, name=f"slow-client-{path}")
        self.port, self.path, self.cookie, self.rate, self.stop = port, path, cookie, rate, stop
        self.streaming = threading.Event()  # set once the first bytes of the body came in
        self.status: int | None = None
        self.local_port: int | None = None
        self.received = 0
        self.finished_at: float | None = None  # when the whole file had come in
        self.error: BaseException | None = None

    def run(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            # A small receive buffer, so the server feels the slow reader at once.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.RECV)
            sock.settimeout(30)
            sock.connect((HOST, self.port))
            self.local_port = sock.getsockname()[1]
            sock.sendall(
                (
                    f"GET {self.path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                    f"Cookie: {self.cookie}\r\nRange: bytes=0-\r\n"  # as a <video> asks
                    "Accept: */*\r\nConnection: close\r\n\r\n"
                ).encode()
            )
            buffer = b""
            while b"\r\n\r\n" not in buffer:
                data = sock.recv(self.RECV)
                if not data:
                    raise ConnectionError("the server closed before its headers were complete")
                buffer += data
            head, _, body = buffer.partition(b"\r\n\r\n")
            self.status = int(head.split(b" ", 2)[1])
            if self.status not in (200, 206):
                raise ConnectionError(f"GET {self.path} answered {self.status}")
            self.received = len(body)
            self.streaming.set()
            started = time.monotonic()
            while not self.stop.is_set():
                data = sock.recv(self.RECV)
                if not data:
                    self.finished_at = time.monotonic()
                    break
                self.received += len(data)
                ahead = started + self.received / self.rate - time.monotonic()
                if ahead > 0:
                    self.stop.wait(ahead)
        except BaseException as error:  # reported by the bench, never lost in the thread
            self.error = error
        finally:
            sock.close()
            self.streaming.set()  # never leave the bench waiting for a client that failed


def during_slow_downloads(
    port: int,
    page_path: str,
    video_path: str,
    cookie: str,
    *,
    clients: int = 4,
    rate: float = 1024 * 1024,
    requests: int = 30,
    max_seconds: float = 60,
    workers: list[int] | None = None,
    log=print,
) -> dict:
    """Start `clients` slow downloads of `video_path`, then time `requests` plan pages.

    Returns the page times in ms, how many failed, and how the downloads went. The
    downloads are stopped (their sockets closed) before this returns, whatever happens.
    """
    stop = threading.Event()
    slow = [SlowClient(port, video_path, cookie, rate, stop) for _ in range(clients)]
    try:
        for client in slow:
            client.start()
        for client in slow:
            if not client.streaming.wait(15):
                raise VideoBenchError(f"a slow client got no bytes of {video_path} in 15 s")
            if client.error is not None:
                raise VideoBenchError(f"a slow client failed: {client.error!r}")
        time.sleep(1)  # let the server's send buffers fill, so every download is really waiting
        spread = {}
        if workers:
            ports = {c.local_port for c in slow if c.local_port}
            spread = connections_per_worker(workers, port, ports)
        log(
            f"{clients} slow clients are streaming {video_path} (downloads per worker: "
            f"{spread or 'unknown'}); timing {page_path}"
        )
        started = time.monotonic()
        times, failed = page_times(
            port,
            page_path,
            cookie,
            requests,
            deadline=started + max_seconds,
            keep_going=lambda: all(c.finished_at is None for c in slow),
        )
        ended = time.monotonic()
    finally:
        stop.set()
        for client in slow:
            client.join(timeout=10)
    errors = [c.error for c in slow if c.error is not None]
    if errors:
        raise VideoBenchError(f"a slow client failed during the measurement: {errors[0]!r}")
    if any(c.is_alive() for c in slow):
        raise VideoBenchError("a slow client did not stop within 10 s")
    early = [c for c in slow if c.finished_at is not None and c.finished_at < ended]
    if not times:
        raise VideoBenchError("no plan page was timed during the slow downloads")
    return {
        "times_ms": times,
        "failed": failed,
        "seconds": ended - started,
        "finished_early": len(early),
        "received_mb": [round(c.received / 1024 / 1024, 1) for c in slow],
        "per_worker": spread,
        "median_ms": statistics.median(times),
    }
