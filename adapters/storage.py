"""Stored objects (document bytes) behind one small protocol, on the local filesystem or S3.

Objects are content-addressed per tenant: the key of some bytes is
``<tenant_id>/<sha256[:2]>/<sha256>``, so storing the same bytes twice stores them once, and a key
says what its bytes are. A key is never trusted as a path: every operation takes the caller's tenant
and refuses (``ValidationFailed`` on ``key``) any key that is not exactly that shape for that
tenant, before touching the store.

``put`` streams: it hashes and counts while writing, never holds the whole object, and refuses a
stream past its byte limit (``PayloadTooLarge``) leaving nothing behind. Bytes land under a name no
key can match (a temporary file, an S3 staging key) and reach their real key only once complete, so
a crash leaves at most an unreachable leftover, never a partial object under a key.

The adapter is chosen by ``KEEL_STORAGE_URL`` (:func:`object_store`): ``file://`` (default,
``<KEEL_HOME>/storage``) or ``s3://bucket/prefix`` (``adapters/storage_s3.py``).
"""

from __future__ import annotations

import abc
import functools
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from domain.errors import NotFound, PayloadTooLarge, ValidationFailed
from keel.settings import Settings

READ_CHUNK = 1_048_576  # bytes per chunk of a read
MAX_URL_SECONDS = 7 * 24 * 3600  # the longest a SigV4 presigned URL may live
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int


class ObjectStore(abc.ABC):
    """A store of content-addressed objects. Subclasses store and read bytes; what every store answers
    the same way (``exists``, ``size``, the checks of ``download_url``) is here."""

    @abc.abstractmethod
    def put(self, tenant_id: uuid.UUID, chunks: Iterable[bytes], *, max_bytes: int) -> StoredObject:
        """Stores the stream; past ``max_bytes`` raises ``PayloadTooLarge`` and keeps nothing."""

    @abc.abstractmethod
    def read(
        self, tenant_id: uuid.UUID, key: str, *, start: int = 0, stop: int | None = None
    ) -> Iterator[bytes]:
        """The bytes ``[start, stop)`` (clamped to the object, as a slice), in chunks.

        A missing object raises ``NotFound`` at the call, before the first chunk."""

    @abc.abstractmethod
    def delete(self, tenant_id: uuid.UUID, key: str) -> None:
        """Removes the object; deleting a missing one is not an error."""

    @abc.abstractmethod
    def _stored_size(self, tenant_id: uuid.UUID, key: str) -> int | None:
        """The object's size in bytes, None when it is missing (the key checked first)."""

    @abc.abstractmethod
    def _presigned_url(
        self, key: str, expires_in: int, filename: str | None, content_type: str | None
    ) -> str | None:
        """``download_url`` once the key and the expiry are checked."""

    def exists(self, tenant_id: uuid.UUID, key: str) -> bool:
        return self._stored_size(tenant_id, key) is not None

    def size(self, tenant_id: uuid.UUID, key: str) -> int:
        """The object's size in bytes; ``NotFound`` when it is missing."""
        size = self._stored_size(tenant_id, key)
        if size is None:
            raise NotFound("stored object", key)
        return size

    def download_url(
        self,
        tenant_id: uuid.UUID,
        key: str,
        *,
        expires_in: int,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> str | None:
        """A URL that downloads the object without credentials until it expires, or None when the
        store has no such thing (local: the API signs its own URL)."""
        checked = check_key(tenant_id, key)
        check_expiry(expires_in)
        return self._presigned_url(checked, expires_in, filename, content_type)


# -- keys -------------------------------------------------------------------------------------------


def tenant_part(tenant_id: uuid.UUID) -> str:
    if not isinstance(tenant_id, uuid.UUID):  # a string here could carry a path; only a UUID cannot
        raise TypeError(f"tenant_id must be a UUID, not {type(tenant_id).__name__}")
    return str(tenant_id)


def key_for(tenant_id: uuid.UUID, sha256: str) -> str:
    if not _HEX64.fullmatch(sha256):
        raise ValueError("sha256 must be 64 lowercase hexadecimal digits")
    return f"{tenant_part(tenant_id)}/{sha256[:2]}/{sha256}"


def check_key(tenant_id: uuid.UUID, key: object) -> str:
    """``key`` when it is exactly the content-addressed key of some bytes of this tenant."""
    tenant = tenant_part(tenant_id)
    if isinstance(key, str):
        parts = key.split("/")
        if len(parts) == 3 and parts[0] == tenant and _HEX64.fullmatch(parts[2]) and parts[1] == parts[2][:2]:
            return key
    raise ValidationFailed.one("key", "is not the key of a stored object of this tenant")


def check_range(start: int, stop: int | None) -> None:
    if start < 0 or (stop is not None and stop < 0):
        raise ValueError("a byte range starts and stops at non-negative offsets")


def check_expiry(expires_in: int) -> None:
    if not 1 <= expires_in <= MAX_URL_SECONDS:
        raise ValueError(f"expires_in must be between 1 and {MAX_URL_SECONDS} seconds")


# -- streaming with a limit -------------------------------------------------------------------------


class LimitedStream:
    """The chunks as a read-only, non-seekable file, hashed and counted as they are read.

    Reading past ``max_bytes`` raises ``PayloadTooLarge``; only what one ``read`` asks for is held.
    """

    def __init__(self, chunks: Iterable[bytes], max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self._chunks = iter(chunks)
        self._buffer = bytearray()
        self._ended = False
        self.max_bytes = max_bytes
        self.size = 0
        self.hash = hashlib.sha256()

    def _pull(self) -> None:
        chunk = next(self._chunks, None)
        if chunk is None:
            self._ended = True
            return
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError(f"chunks must be bytes, not {type(chunk).__name__}")
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise PayloadTooLarge(f"The content is larger than {self.max_bytes} bytes.", self.max_bytes)
        self.hash.update(chunk)
        self._buffer += chunk

    def read(self, size: int | None = -1) -> bytes:
        """Exactly ``size`` bytes unless the stream ends first (S3 parts but the last must be full)."""
        while not self._ended and (size is None or size < 0 or len(self._buffer) < size):
            self._pull()
        if size is None or size < 0 or size > len(self._buffer):
            size = len(self._buffer)
        with memoryview(self._buffer) as view:  # one copy out of the buffer, not two
            data = bytes(view[:size])
        del self._buffer[:size]
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def stored(self, tenant_id: uuid.UUID) -> StoredObject:
        digest = self.hash.hexdigest()
        return StoredObject(key_for(tenant_id, digest), digest, self.size)


def _file_chunks(file: IO[bytes], remaining: int | None) -> Iterator[bytes]:
    """Reads ``file`` to its end or for ``remaining`` bytes, then closes it."""
    with file:
        while remaining is None or remaining > 0:
            chunk = file.read(READ_CHUNK if remaining is None else min(READ_CHUNK, remaining))
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


# -- the local filesystem -------------------------------------------------------------------------


class LocalStore(ObjectStore):
    """Objects as files ``<root>/<tenant>/<sha[:2]>/<sha>``; writes go to ``<root>/<tenant>/.incoming-*``
    (same file system) and are renamed into place, so a file under a key is always complete."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, tenant_id: uuid.UUID, key: str) -> Path:
        return self.root / check_key(tenant_id, key)

    def put(self, tenant_id: uuid.UUID, chunks: Iterable[bytes], *, max_bytes: int) -> StoredObject:
        tenant_dir = self.root / tenant_part(tenant_id)
        tenant_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        stream = LimitedStream(chunks, max_bytes)
        fd, temp_name = tempfile.mkstemp(dir=tenant_dir, prefix=".incoming-")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while data := stream.read(READ_CHUNK):
                    out.write(data)
                out.flush()
                os.fsync(out.fileno())  # the bytes are on disk before any name points at them
            stored = stream.stored(tenant_id)
            target = self.root / stored.key
            if _size_or_none(target) == stored.size:  # the same bytes are already stored
                temp.unlink()
                return stored
            target.parent.mkdir(mode=0o700, exist_ok=True)
            os.replace(temp, target)
            _fsync_dir(target.parent)
            return stored
        finally:
            temp.unlink(missing_ok=True)

    def read(
        self, tenant_id: uuid.UUID, key: str, *, start: int = 0, stop: int | None = None
    ) -> Iterator[bytes]:
        check_range(start, stop)
        file = self._open(self._path(tenant_id, key), key)
        try:
            file.seek(start)
        except BaseException:
            file.close()
            raise
        return _file_chunks(file, None if stop is None else max(0, stop - start))

    def delete(self, tenant_id: uuid.UUID, key: str) -> None:
        self._path(tenant_id, key).unlink(missing_ok=True)

    def _stored_size(self, tenant_id: uuid.UUID, key: str) -> int | None:
        return _size_or_none(self._path(tenant_id, key))

    def _presigned_url(
        self, key: str, expires_in: int, filename: str | None, content_type: str | None
    ) -> str | None:
        return None

    @staticmethod
    def _open(path: Path, key: str) -> IO[bytes]:
        try:  # O_NOFOLLOW: a symbolic link planted under a key is not followed out of the store
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except (FileNotFoundError, NotADirectoryError):
            raise NotFound("stored object", key) from None
        return os.fdopen(fd, "rb")


def _size_or_none(path: Path) -> int | None:
    try:
        return path.lstat().st_size
    except (FileNotFoundError, NotADirectoryError):
        return None


def _fsync_dir(path: Path) -> None:
    """Makes a rename durable: the directory entry is flushed, not only the file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- choosing the adapter -------------------------------------------------------------------------


def object_store(settings: Settings) -> ObjectStore:
    """The store ``KEEL_STORAGE_URL`` names, built once per URL and endpoint (S3 clients pool connections)."""
    return _store(settings.storage_location, settings.s3_endpoint_url)


@functools.lru_cache(maxsize=8)
def _store(url: str, endpoint_url: str | None) -> ObjectStore:
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise ValueError(f"KEEL_STORAGE_URL={url!r} must not have a query or a fragment")
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path:
            raise ValueError(f"KEEL_STORAGE_URL={url!r} is not a local directory (file:///absolute/path)")
        return LocalStore(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        from adapters.storage_s3 import S3Store

        return S3Store.connect(url, endpoint_url=endpoint_url)
    raise ValueError(f"KEEL_STORAGE_URL={url!r}: use file:// (local) or s3://bucket/prefix")
