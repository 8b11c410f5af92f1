"""Stored files in S3-compatible object storage (boto3), with the local disk's contract.

`STORAGE_URL=s3://bucket` (or `s3://bucket/prefix`) chooses it; the endpoint, keys and
region come from boto3's own environment (`AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_REGION`), never from the repository. The bucket is private:
every byte goes out after the view asked `access.py`, either streamed here (with Range, for
seeking in a video) or, behind nginx (MEDIA_X_ACCEL_PREFIX), as an `X-Accel-Redirect` to a
signed URL valid for a minute, which nginx fetches from the store through an internal
location, so no Python thread streams a video.

A save is all or nothing: the bytes go to a temporary file on the local disk while they are
hashed, then up in one PUT (or a multipart upload that is aborted when it fails), so a reader
sees the old object or the new one and a refused upload leaves nothing in the bucket.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, cast
from urllib.parse import urlsplit

import boto3
from boto3.exceptions import S3UploadFailedError
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import Response, current_app, request

from .base import (
    CHUNK,
    Storage,
    Stored,
    Unavailable,
    check_key,
    copy_hashing,
    disposition,
    owned_prefix,
    private,
)

SIGNED_SECONDS = 60  # how long nginx may use a signed URL for one answer
MISSING = {"404", "NoSuchKey", "NotFound"}
SLOW = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout"}


class S3Storage(Storage):
    """Objects under `prefix` in `bucket`; work in progress under `work_root` on local disk."""

    def __init__(self, bucket: str, work_root: str | Path, *, prefix: str = "", **client):
        super().__init__(work_root)
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        config = Config(
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
        )
        self.client = boto3.session.Session().client("s3", config=config, **client)

    @classmethod
    def from_url(cls, url: str, work_root: str | Path) -> S3Storage:
        parts = urlsplit(url)
        if len(parts.netloc) < 3:
            raise ValueError(f"STORAGE_URL {url!r} names no bucket (3 characters or more)")
        return cls(parts.netloc, work_root, prefix=parts.path)

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def save(self, key: str, source: Path | BinaryIO) -> Stored:
        with _answering():
            return self._save(key, source)

    def _save(self, key: str, source: Path | BinaryIO) -> Stored:
        name = self._key(key)
        if isinstance(source, Path):  # a finished file on this disk: hashed, then sent
            with source.open("rb") as src:
                stored = copy_hashing(src, None)
            self.client.upload_file(str(source), self.bucket, name)
            return Stored(key, stored.size, stored.checksum)
        fd, tmp = tempfile.mkstemp(dir=self.work_dir(), prefix=owned_prefix("s3put"))
        try:
            with os.fdopen(fd, "w+b") as spool:
                stored = copy_hashing(source, spool)  # the whole of it, before anything is sent
                spool.seek(0)
                self.client.upload_fileobj(spool, self.bucket, name)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return Stored(key, stored.size, stored.checksum)

    def open(self, key: str) -> BinaryIO:
        """A seekable copy (Pillow seeks in a photo): in memory up to 16 MB, then on the
        local disk in the work folder, removed when it is closed."""
        with _answering():
            return self._open(key)

    def _open(self, key: str) -> BinaryIO:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(key) from error
            raise
        copy = tempfile.SpooledTemporaryFile(
            max_size=16 * 1024 * 1024, dir=str(self.work_dir()), prefix=owned_prefix("s3get")
        )
        try:
            with answer["Body"] as body:
                copy_hashing(cast(BinaryIO, body), cast(IO[bytes], copy))
        except BaseException:
            copy.close()
            raise
        copy.seek(0)
        return cast(BinaryIO, copy)

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        """A temporary file with the object's bytes (for ffmpeg), fetched straight to disk
        (in parts, for a video of hundreds of MB); removed afterwards."""
        fd, name = tempfile.mkstemp(dir=self.work_dir(), prefix=owned_prefix("copy"))
        os.close(fd)
        path = Path(name)
        try:
            with _answering():
                try:
                    self.client.download_file(self.bucket, self._key(key), name)
                except ClientError as error:
                    if _missing(error):
                        raise FileNotFoundError(key) from error
                    raise
            yield path
        finally:
            path.unlink(missing_ok=True)

    def _size(self, key: str) -> int | None:
        try:
            with _answering():
                head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return int(head["ContentLength"])

    def exists(self, key: str) -> bool:
        return self._size(key) is not None

    def delete(self, key: str) -> None:
        with _answering():
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def delete_prefix(self, prefix: str) -> None:
        start = self._key(prefix.rstrip("/")) + "/"
        with _answering():
            for page in self._pages(start):
                names: list[Any] = [{"Key": item["Key"]} for item in page]
                if names:  # at most 1000 a page, as delete_objects takes them
                    self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": names})

    def _pages(self, start: str) -> Iterator[list[Any]]:
        pages = self.client.get_paginator("list_objects_v2")
        for page in pages.paginate(Bucket=self.bucket, Prefix=start):
            yield page.get("Contents", [])

    def keys(self) -> Iterator[str]:
        with _answering():
            for page in self._pages(self.prefix):
                for item in page:
                    yield item["Key"][len(self.prefix) :]

    def send(self, key: str, *, content_type: str, download_name: str, etag: str) -> Response:
        proxy = current_app.config.get("MEDIA_X_ACCEL_PREFIX")
        if proxy:
            return self._redirect(proxy, key, content_type, download_name)
        size = self._size(key)
        if size is None:
            raise FileNotFoundError(key)
        response = Response(mimetype=content_type)
        response.set_etag(etag)
        response.headers["Accept-Ranges"] = "bytes"
        response.headers["Content-Disposition"] = disposition(download_name)
        private(response)
        if request.if_none_match.contains(etag):
            response.status_code = 304
            return response
        asked = request.range.range_for_length(size) if request.range else None
        if request.range and asked is None:  # a range past the end
            response.status_code = 416
            response.headers["Content-Range"] = f"bytes */{size}"
            return response
        start, stop = asked or (0, size)
        if asked:
            response.status_code = 206
            response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
        with _answering():
            body = self.client.get_object(
                Bucket=self.bucket, Key=self._key(key), Range=f"bytes={start}-{stop - 1}"
            )["Body"]
        response.response = _chunks(body)
        response.direct_passthrough = True
        response.content_length = stop - start
        return response

    def _redirect(self, proxy: str, key: str, content_type: str, download_name: str) -> Response:
        """Hand the answer to nginx: an internal location fetches the signed URL."""
        url = self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": self._key(key)},
            ExpiresIn=SIGNED_SECONDS,
        )
        signed = urlsplit(url)
        response = Response(content_type=content_type)
        response.headers["X-Accel-Redirect"] = f"{proxy.rstrip('/')}{signed.path}?{signed.query}"
        response.headers["Content-Disposition"] = disposition(download_name)
        return private(response)


@contextmanager
def _answering() -> Iterator[None]:
    """Turn "the store does not answer" (no connection, a timeout, a 5xx) into Unavailable,
    which the app answers with "try again in a moment"; a 4xx stays what it is."""
    try:
        yield
    except (BotoCoreError, S3UploadFailedError) as error:
        raise Unavailable(str(error)) from error
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if int(status) >= 500 or str(error.response.get("Error", {}).get("Code")) in SLOW:
            raise Unavailable(str(error)) from error
        raise


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in MISSING


def _chunks(body) -> Iterator[bytes]:
    try:
        while chunk := body.read(CHUNK):
            yield chunk
    finally:
        body.close()
