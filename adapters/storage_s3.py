"""The S3 object store (``KEEL_STORAGE_URL=s3://bucket/prefix``), through boto3.

An object lives at ``<prefix>/<key>``. ``put`` uploads to a staging key ``<prefix>/.staging/<tenant>/<uuid>``
with boto3's managed transfer (multipart, 8 MB parts, in the caller's thread so at most one part is
held), then copies it server-side to its content-addressed key and deletes the staging key. A failed
upload aborts its multipart upload; a crash leaves at most a staging object, which no key can name
(an S3 lifecycle rule on ``<prefix>/.staging/`` may expire them after a day).
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from adapters.storage import (
    LimitedStream,
    ObjectStore,
    StoredObject,
    check_key,
    check_range,
    tenant_part,
)
from domain.errors import NotFound, Unavailable

log = logging.getLogger("keel.storage")

PART_BYTES = 8 * 1024 * 1024
READ_CHUNK = 1_048_576
# No threads: the caller's chunks are read in the caller's thread and only one part is in memory.
UPLOAD = TransferConfig(multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES, use_threads=False)
# One CopyObject request up to S3's 5 GiB limit, a multipart copy beyond.
COPY = TransferConfig(multipart_threshold=5 * 1024**3, multipart_chunksize=512 * 1024**2, use_threads=False)
_MISSING = {"404", "NoSuchKey", "NotFound"}
_CONTENT_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}")
_UNSAFE_IN_QUOTES = re.compile(r'[\x00-\x1f\x7f"\\]')


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def _answers(key: str) -> Iterator[None]:
    """S3's failures as domain errors: a missing object NotFound, a failing or unreachable S3 Unavailable."""
    try:
        yield
    except ClientError as exc:
        if _code(exc) in _MISSING:
            raise NotFound("stored object", key) from None
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        if status >= 500 or status in (0, 408, 429):
            raise Unavailable("Object storage is unavailable.") from exc
        raise
    except BotoCoreError as exc:
        raise Unavailable("Object storage is unavailable.") from exc


def content_disposition(filename: str) -> str:
    """``attachment`` with the name twice: ASCII in quotes for old clients, UTF-8 (RFC 5987) for the rest."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", filename).strip() or "download"
    fallback = _UNSAFE_IN_QUOTES.sub("_", name.encode("ascii", "replace").decode().replace("?", "_"))
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


class S3Store(ObjectStore):
    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""

    @classmethod
    def connect(cls, url: str, *, endpoint_url: str | None = None) -> S3Store:
        """``s3://bucket/prefix``; credentials and region come from boto3's usual sources (AWS_*)."""
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"KEEL_STORAGE_URL={url!r} is not s3://bucket/prefix")
        config = Config(
            signature_version="s3v4",
            connect_timeout=5,
            read_timeout=60,
            retries={"mode": "standard", "max_attempts": 3},
            # An S3-compatible peer at an address has no per-bucket host names.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
        )
        client = boto3.client("s3", endpoint_url=endpoint_url, config=config)
        return cls(client, parts.netloc, parts.path)

    def _name(self, tenant_id: uuid.UUID, key: str) -> str:
        return self.prefix + check_key(tenant_id, key)

    def put(self, tenant_id: uuid.UUID, chunks: Iterable[bytes], *, max_bytes: int) -> StoredObject:
        staging = f"{self.prefix}.staging/{tenant_part(tenant_id)}/{uuid.uuid4().hex}"
        stream = LimitedStream(chunks, max_bytes)
        try:
            with _answers(staging):
                self.client.upload_fileobj(stream, self.bucket, staging, Config=UPLOAD)
            stored = stream.stored(tenant_id)
            name = self.prefix + stored.key
            if not self._head(name, stored.key):  # the same bytes are not stored yet
                with _answers(staging):
                    self.client.copy({"Bucket": self.bucket, "Key": staging}, self.bucket, name, Config=COPY)
            return stored
        finally:
            self._discard(staging)

    def read(
        self, tenant_id: uuid.UUID, key: str, *, start: int = 0, stop: int | None = None
    ) -> Iterator[bytes]:
        check_range(start, stop)
        name = self._name(tenant_id, key)
        if stop is not None and stop <= start:
            self.size(tenant_id, key)  # nothing to read, but a missing object is still NotFound
            return iter(())
        byte_range = f"bytes={start}-" + ("" if stop is None else str(stop - 1))
        try:
            with _answers(key):
                answer = self.client.get_object(Bucket=self.bucket, Key=name, Range=byte_range)
        except ClientError as exc:
            if _code(exc) == "InvalidRange":  # starts at or past the end: an empty slice
                return iter(())
            raise
        return _body_chunks(answer["Body"])

    def delete(self, tenant_id: uuid.UUID, key: str) -> None:
        name = self._name(tenant_id, key)
        with _answers(key):
            self.client.delete_object(Bucket=self.bucket, Key=name)

    def _stored_size(self, tenant_id: uuid.UUID, key: str) -> int | None:
        return self._head(self._name(tenant_id, key), key)

    def _presigned_url(
        self, key: str, expires_in: int, filename: str | None, content_type: str | None
    ) -> str | None:
        """A presigned GET; S3 answers with ``content_type`` and an attachment ``filename`` as headers."""
        params = {"Bucket": self.bucket, "Key": self.prefix + key}
        if filename is not None:
            params["ResponseContentDisposition"] = content_disposition(filename)
        if content_type is not None:
            if not _CONTENT_TYPE.fullmatch(content_type):
                raise ValueError("content_type must be a bare type/subtype")
            params["ResponseContentType"] = content_type
        url: str = self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
        return url

    def _head(self, name: str, key: str) -> int | None:
        try:
            with _answers(key):
                answer = self.client.head_object(Bucket=self.bucket, Key=name)
        except NotFound:
            return None
        return int(answer["ContentLength"])

    def _discard(self, staging: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=staging)
        except (ClientError, BotoCoreError):  # unreachable by any key; a lifecycle rule may expire it
            log.warning("could not delete the staging object %s", staging, exc_info=True)


def _body_chunks(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(READ_CHUNK)
    finally:
        body.close()
