"""Gunicorn settings for production, also used unchanged by `make bench`.

Start with `gunicorn -c gunicorn.conf.py` from the repository root (the app defaults to
`wsgi:app`; gunicorn also reads this file by itself when started there). The settings that
differ between hosts come from environment variables, so one file serves every host.

Run gunicorn behind a reverse proxy (nginx, Caddy) that terminates TLS and buffers requests:
gunicorn reads request bodies itself, so a proxy that buffers keeps photo uploads over a slow
phone connection from reaching a worker byte by byte.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this container may use, not the host's
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# BIND wins ("127.0.0.1:8000", "unix:/run/toekomstplan.sock"); PORT alone means a platform
# that routes to us from outside the container; neither means a local reverse proxy.
if os.environ.get("BIND"):
    bind = [os.environ["BIND"]]
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{os.environ['PORT']}"]
else:
    bind = ["127.0.0.1:8000"]

wsgi_app = "wsgi:app"

# gthread: each worker process serves several requests at once on threads. With sync workers
# one slow client (a phone on a weak 3G signal, a large photo upload) holds a whole process,
# and a handful of them leave none for everyone else. With gthread a slow client holds one
# thread, and idle keep-alive connections wait in the worker's poller and hold no thread at
# all. Threads add little overhead: part of each request waits on the database or the
# socket, and argon2 (log-in) runs in C without holding the GIL.
worker_class = "gthread"

# One process per core, at least two. The GIL lets one process use about one core, so
# fewer processes leave cores idle; more processes than cores do not add throughput, since
# the threads below already fill the waits on the database and the network, but they do
# add memory and cache misses (on the bench's 2-core machine 4 workers used 10-30% more CPU
# per plan home than 2). Two at least, so one crashing or recycling worker never leaves the
# site down. Every concurrent log-in hashes with 64 MiB of memory (argon2id), so memory
# grows with workers x threads. Set WEB_CONCURRENCY to override.
workers = _int("WEB_CONCURRENCY", max(2, _cores()))

# Four threads per process: enough to keep a few slow clients from blocking a worker,
# few enough that the GIL does not make every request wait for the others.
threads = _int("GUNICORN_THREADS", 4)

# The worker heartbeat: a worker whose main loop stops answering this long is restarted.
# With gthread it does not cut off a long request on a thread (a 500 MB upload over a slow
# line, a video download), so it can stay short.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# Longer than the proxy's upstream keep-alive timeout (nginx: keepalive_timeout 60s in the
# upstream block), so nginx is always the one to close an idle connection. The other way
# round, gunicorn closed connections just as nginx sent a request on them: "connection
# reset by peer", a 502 for a POST (nginx does not resend those) and the host left out.
# That happened on `make stack` under Locust with the earlier 5 s.
keepalive = _int("GUNICORN_KEEPALIVE", 75)

# Recycle workers now and then so a slow memory leak never takes the site down; the jitter
# keeps them from all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

# Access log off by default: the proxy already logs requests, and a log line per request
# (with IP addresses and paths of young people's plans) is personal data we do not need.
# Set GUNICORN_ACCESS_LOG=- to log to stdout while debugging.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Only the local proxy may say the request came in over HTTPS (X-Forwarded-Proto), which
# turns on Strict-Transport-Security; comma-separated addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file lives in memory, so a slow or full disk cannot make gunicorn think
# its workers hang (common in containers).
# Only gunicorn's own per-worker files go there, created with mkstemp, so S108 does not apply.
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Gunicorn 25+ opens a control socket for `gunicornc` at one fixed path per user, so two
# instances (the app and the bench's yardstick, or two sites) would take it from each other.
# Signals (systemd stop/reload, kill -HUP) manage it well enough, so it is off unless
# GUNICORN_CONTROL_SOCKET names a path. Older gunicorn versions ignore these settings.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# Each worker builds its own app (and its own database connections) after the fork.
preload_app = False


def post_worker_init(worker):
    """A new worker first clears what a killed one left in the work folder (a raw upload
    with its location data): work files name the process that made them."""
    if getattr(worker.wsgi, "import_name", None) != "toekomstplan":
        return  # another app under this configuration (the bench's bare hello app)
    from toekomstplan.media import housekeeping

    housekeeping.at_start(worker.wsgi)
