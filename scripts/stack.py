"""`make stack`: the production shape on this machine, on loopback, with the demo data.

PostgreSQL (Debian's), Redis (throttles and the job queue), SeaweedFS as the S3-compatible
object store (a private bucket), two app hosts (two gunicorns, each with its own instance,
upload and temporary folder and no shared disk, as two machines would have), a job consumer,
an SMTP sink for the mail, and nginx in front at http://127.0.0.1:8080. The web and consumer
commands are read from the systemd units in deploy/systemd and nginx includes
deploy/nginx/http.conf and site.conf: the files production uses, unchanged (only the paths
/opt/toekomstplan and /var/log/nginx point into this checkout and .stack/).

State lives in .stack/ and survives a restart; `make stack` again reuses it. The tests of the
stack (tests/stack, `make test-stack`) start the same Stack in a temporary folder.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "bench"))
import redis_server  # noqa: E402
import s3_server  # noqa: E402

DEPLOY = ROOT / "deploy"
HOST = "127.0.0.1"
BUCKET = "toekomstplan-media"


@dataclass
class Ports:
    nginx: int = 8080
    hosts: tuple[int, ...] = (8101, 8102)
    redis: int = 6390
    s3: int = 8333
    smtp: int = 8025

    @classmethod
    def free(cls) -> Ports:
        """Free ports for a stack beside another one (the tests', the bench's)."""
        port = s3_server.free_port  # also free at port + 10000, which SeaweedFS takes
        return cls(nginx=port(), hosts=(port(), port()), redis=port(), s3=port(), smtp=port())


def unit_command(unit: str) -> list[str]:
    """ExecStart of a unit in deploy/systemd, with /opt/toekomstplan pointing here."""
    text = (DEPLOY / "systemd" / unit).read_text()
    line = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE)
    if line is None:
        raise RuntimeError(f"{unit} has no ExecStart")
    return line.group(1).replace("/opt/toekomstplan", str(ROOT)).split()


@dataclass
class Stack:
    folder: Path
    database_url: str
    ports: Ports = field(default_factory=Ports)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.redis: redis_server.RedisServer | None = None
        self.store: s3_server.S3Server | None = None
        secret = self.folder / "secret_key"
        if not secret.exists():
            secret.write_text(secrets.token_urlsafe(48))
            secret.chmod(0o600)
        self.secret_key = secret.read_text().strip()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.ports.nginx}"

    def environment(self, host: int | None) -> dict[str, str]:
        """The settings of /etc/toekomstplan/env, for app host `host` (or the consumer)."""
        if self.redis is None or self.store is None:
            raise RuntimeError("start Redis and the object store first")
        place = self.folder / (f"host{host}" if host is not None else "consumer")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "GUNICORN"))}
        env.update(
            TOEKOMSTPLAN_ENV="production",
            SECRET_KEY=self.secret_key,
            DATABASE_URL=self.database_url,
            STORAGE_URL=f"s3://{BUCKET}",
            **self.store.environment(),
            RATELIMIT_STORAGE_URI=self.redis.url(0),
            HUEY_REDIS_URL=self.redis.url(1),
            INSTANCE_PATH=str(place / "instance"),
            UPLOAD_DIR=str(place / "uploads"),
            TMPDIR=str(place / "tmp"),
            TRUSTED_HOSTS=f"{HOST},localhost",
            BASE_URL=self.url,
            SESSION_COOKIE_SECURE="0",  # plain http on loopback; production is https
            PROXY_HOPS="1",
            MEDIA_X_ACCEL_PREFIX="/_store",
            MAIL_SERVER=HOST,
            MAIL_PORT=str(self.ports.smtp),
            MAIL_USE_TLS="0",
            PYTHONUNBUFFERED="1",
        )
        if host is not None:
            env["BIND"] = f"{HOST}:{self.ports.hosts[host]}"
        for name in ("instance", "uploads", "tmp"):
            (place / name).mkdir(parents=True, exist_ok=True)
        return env

    # Starting and stopping

    def start(self, demo: bool = True) -> None:
        self.redis = redis_server.start(self.folder / "redis", self.ports.redis)
        self.store = s3_server.start(self.folder / "seaweedfs", self.ports.s3)
        try:
            self.store.make_bucket(BUCKET)
        except Exception as error:  # already there from an earlier start
            if "BucketAlready" not in repr(error):
                raise
        self._spawn("smtp", [str(BIN / "python"), "-m", "aiosmtpd", "-n", "-l",
                             f"{HOST}:{self.ports.smtp}", "-c", "aiosmtpd.handlers.Mailbox",
                             str(self.folder / "mail")])  # fmt: skip
        self._flask(["db", "upgrade"])
        if demo:
            print(self._flask(["demo"]), end="")
        for host in range(len(self.ports.hosts)):
            self._spawn(f"web{host}", unit_command("toekomstplan-web.service"), host)
        self.start_consumer()
        for host, port in enumerate(self.ports.hosts):
            _wait_http(f"http://{HOST}:{port}/healthz", self.processes[f"web{host}"])
        self._nginx()
        _wait_http(f"{self.url}/healthz", self.processes["nginx"])

    def _flask(self, args: list[str]) -> str:
        result = subprocess.run(
            [str(BIN / "flask"), *args],
            cwd=ROOT,
            env={**self.environment(0), "FLASK_APP": "wsgi.py"},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def _spawn(self, name: str, command: list[str], host: int | None = 0) -> None:
        with (self.folder / f"{name}.log").open("ab") as log:  # the process keeps its copy
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.environment(host),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _nginx(self) -> None:
        folder = self.folder / "nginx"
        (folder / "logs").mkdir(parents=True, exist_ok=True)
        hosts = "\n".join(
            f"        server {HOST}:{port} max_fails=1 fail_timeout=10s;"
            for port in self.ports.hosts
        )
        site = (DEPLOY / "nginx" / "site.conf").read_text()
        (folder / "site.conf").write_text(
            site.replace("/var/log/nginx/", f"{folder / 'logs'}/")
        )  # the only change: where the log goes
        # The stack's own nginx.conf (production keeps Debian's, user www-data): its workers
        # run as whoever runs the stack, so they can use the temporary folders here.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"""daemon off;
{user}
worker_processes 2;
pid {folder / "nginx.pid"};
error_log {folder / "logs" / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {folder / "body"};
    proxy_temp_path {folder / "proxy"};
    fastcgi_temp_path {folder / "fastcgi"};
    uwsgi_temp_path {folder / "uwsgi"};
    scgi_temp_path {folder / "scgi"};
    include {DEPLOY / "nginx" / "http.conf"};
    upstream toekomstplan_app {{
{hosts}
        keepalive 32;
        keepalive_timeout 60s;
    }}
    upstream toekomstplan_store {{ server {HOST}:{self.ports.s3}; keepalive 16; }}
    map "" $toekomstplan_store_host {{ default "{HOST}:{self.ports.s3}"; }}
    server {{
        listen {HOST}:{self.ports.nginx};
        server_name {HOST} localhost;
        include {folder / "site.conf"};
    }}
}}
"""
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self._spawn("nginx", [nginx, "-c", str(folder / "nginx.conf"), "-p", str(folder)], 0)

    def kill(self, name: str) -> None:
        """SIGKILL a process of the stack and everything it started, as a machine that dies."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_host(self, host: int) -> None:
        """SIGKILL one app host (all its workers)."""
        self.kill(f"web{host}")

    def start_host(self, host: int) -> None:
        self._spawn(f"web{host}", unit_command("toekomstplan-web.service"), host)
        _wait_http(f"http://{HOST}:{self.ports.hosts[host]}/healthz", self.processes[f"web{host}"])

    def start_consumer(self) -> None:
        self._spawn("consumer", unit_command("toekomstplan-consumer.service"), None)

    def stop_store(self) -> None:
        """Stop the object store, as an outage would."""
        if self.store is not None:
            self.store.stop()

    def start_store(self) -> None:
        """Start the object store again on its port, with its data and keys."""
        self.store = s3_server.start(self.folder / "seaweedfs", self.ports.s3)

    def media_check(self) -> str:
        return self._flask(["media", "check"])

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for server in (self.store, self.redis):
            if server is not None:
                server.stop()


def _wait_http(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 in {seconds:.0f} s")


def postgres_url(folder: Path, name: str = "toekomstplan_stack", fresh: bool = False) -> str:
    """A database of the stack's own in Debian's PostgreSQL: STACK_DATABASE_URL if set, else
    made here (as root), with a role whose password is kept in the stack's folder; `fresh`
    drops what an earlier run left in it."""
    if os.environ.get("STACK_DATABASE_URL") and not fresh:
        return os.environ["STACK_DATABASE_URL"]
    if os.geteuid() != 0 or shutil.which("pg_lsclusters") is None:
        sys.exit(
            "make stack needs PostgreSQL. Install and start it with:\n"
            "  sudo apt-get install -y postgresql && sudo pg_ctlcluster 15 main start\n"
            "and set STACK_DATABASE_URL=postgresql+psycopg://USER:PASSWORD@127.0.0.1/DB"
        )
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not clusters.strip():
        sys.exit("No PostgreSQL cluster: run `pg_createcluster 15 main` first.")
    version, cluster = clusters.split()[:2]
    subprocess.run(["pg_ctlcluster", version, cluster, "start"], capture_output=True)
    password_file = folder / "pg-password"
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(18))
        password_file.chmod(0o600)
    password = password_file.read_text().strip()
    role = f"{name}_app"
    sql = (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} LOGIN; END IF; END $$; "
        f"ALTER ROLE {role} PASSWORD '{password}';"
    )
    _as_postgres(["psql", "-qc", sql])
    if fresh:
        _as_postgres(["dropdb", "--if-exists", "--force", name])
    exists = _as_postgres(["psql", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"])
    if exists.strip() != "1":
        _as_postgres(["createdb", "-O", role, name])
    return f"postgresql+psycopg://{role}:{password}@{HOST}/{name}"


def _as_postgres(command: list[str]) -> str:
    result = subprocess.run(
        ["su", "postgres", "-c", " ".join(_quote(part) for part in command)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr}")
    return result.stdout


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\"'\"'") + "'"


def main() -> int:
    folder = ROOT / ".stack"
    folder.mkdir(exist_ok=True)
    first = not (folder / "secret_key").exists()
    stack = Stack(folder, postgres_url(folder))
    try:
        stack.start(demo=first)
        print(f"\nToekomstplan runs at {stack.url} (two app hosts behind nginx). Ctrl+C stops.")
        print(f"Logs and data: {folder}/ (mail arrives in {folder / 'mail'})")
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        print("a process of the stack stopped; see its log in .stack/", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
