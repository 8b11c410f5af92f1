"""One person's browser on the stack, and what the stack's tests make with it."""

from __future__ import annotations

import io
import uuid
from urllib.parse import urlencode, urlsplit

from PIL import Image

from ..loopback import bench_module

client = bench_module("client")
PASSWORD = "a walk along the river"


class Browser:
    """One person's browser: cookies kept, a new connection for every request."""

    def __init__(self, port: int):
        self.port = port
        self.cookies = client.Cookies()

    def get(self, path: str, headers: dict | None = None):
        status, answer, body = client.request(
            self.port, "GET", path, {"Cookie": self.cookies.header(), **(headers or {})}
        )
        self.cookies.update(answer)
        return status, answer, body

    def token(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return client.csrf_token(path, body)

    def post(self, path: str, fields: dict, page: str, headers: dict | None = None):
        form = urlencode({"csrf_token": self.token(page), **fields}).encode()
        status, answer, body = client.request(
            self.port,
            "POST",
            path,
            {**client.form_headers(self.port, self.cookies.header()), **(headers or {})},
            form,
        )
        self.cookies.update(answer)
        return status, answer, body

    def upload(
        self, plan_id: int, data: bytes, name: str, kind: str = "image/jpeg"
    ) -> tuple[int, bytes]:
        token = self.token(f"/plans/{plan_id}/media")
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
                f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: {kind}\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            **client.form_headers(self.port, self.cookies.header()),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Accept": "application/json",
        }
        status, answer, reply = client.request(
            self.port, "POST", f"/plans/{plan_id}/media", headers, body
        )
        self.cookies.update(answer)
        return status, reply


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (46, 106, 79)).save(out, "JPEG", quality=90)
    return out.getvalue()


def register(browser: Browser, login: str, name: str = "Noor") -> int:
    status, _, _ = browser.post(
        "/register", {"name": name, "login": login, "password": PASSWORD}, "/register"
    )
    assert status in (200, 302), status
    status, answer, _ = browser.get("/")
    assert status == 302 and "/plans/" in answer["Location"], (status, answer.get("Location"))
    return int(urlsplit(answer["Location"]).path.rsplit("/", 1)[-1])
