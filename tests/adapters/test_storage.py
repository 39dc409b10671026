"""The object stores, each test against both: the local filesystem and S3 (moto's server over HTTP)."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from adapters.storage import LocalStore, ObjectStore, StoredObject, key_for, object_store
from adapters.storage_s3 import S3Store, content_disposition
from domain.errors import NotFound, PayloadTooLarge, ValidationFailed
from keel.settings import Settings
from keel.temporal import free_port

MB = 1024 * 1024
ACCESS_KEY = SECRET_KEY = "testing"
REGION = "us-east-1"
TENANT = uuid.UUID("0a0b0c0d-1111-4111-8111-111111111111")
OTHER = uuid.UUID("22222222-2222-4222-8222-222222222222")


def chunked(data: bytes, size: int = 65_536) -> Iterator[bytes]:
    for at in range(0, len(data), size):
        yield data[at : at + size]


def random_stream(total: int, size: int = 65_536) -> Iterator[bytes]:
    """``total`` random bytes made as they are read, so the test itself never holds them all."""
    rng = random.Random(total)
    for at in range(0, total, size):
        yield rng.randbytes(min(size, total - at))


def read_all(store: ObjectStore, tenant: uuid.UUID, key: str, **span: int) -> bytes:
    return b"".join(store.read(tenant, key, **span))


# -- the S3 peer: moto's standalone server, one per module ---------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    server = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as env:
        # Dummy credentials through the variables boto3 reads itself; no profile or instance metadata.
        env.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        env.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        env.setenv("AWS_DEFAULT_REGION", REGION)
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        env.delenv("AWS_PROFILE", raising=False)
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"{endpoint}/moto-api/", timeout=1)
                    break
                except httpx.HTTPError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("moto_server did not start") from None
                    time.sleep(0.1)
            yield endpoint
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


@pytest.fixture(scope="module")
def s3_client(s3_endpoint: str) -> Any:
    return S3Store.connect("s3://unused", endpoint_url=s3_endpoint).client


def s3_store(client: Any) -> S3Store:
    bucket = f"keel-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return S3Store(client, bucket, "documents")


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalStore(tmp_path / "storage")
    return s3_store(request.getfixturevalue("s3_client"))


def leftovers(store: ObjectStore) -> list[str]:
    """Everything the store holds, finished or not: files, objects, unfinished multipart uploads."""
    if isinstance(store, LocalStore):
        if not store.root.exists():
            return []
        return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if not p.is_dir())
    assert isinstance(store, S3Store)
    objects = store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
    uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    return sorted([o["Key"] for o in objects] + [f"upload:{u['Key']}" for u in uploads])


# -- storing and reading -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.7 tiny", os.urandom(3 * MB + 17)], ids=["empty", "small", "3MB"]
)
def test_what_is_stored_reads_back_under_its_content_address(store: ObjectStore, data: bytes):
    stored = store.put(TENANT, chunked(data, 100_003), max_bytes=10 * MB)

    digest = hashlib.sha256(data).hexdigest()
    assert stored == StoredObject(f"{TENANT}/{digest[:2]}/{digest}", digest, len(data))
    assert store.exists(TENANT, stored.key) and store.size(TENANT, stored.key) == len(data)
    assert read_all(store, TENANT, stored.key) == data
    assert all(len(chunk) <= MB for chunk in store.read(TENANT, stored.key))


def test_the_same_bytes_are_stored_once_per_tenant(store: ObjectStore):
    first = store.put(TENANT, [b"invoice ", b"42"], max_bytes=100)
    second = store.put(TENANT, [b"invo", b"ice 42"], max_bytes=100)
    elsewhere = store.put(OTHER, [b"invoice 42"], max_bytes=100)

    assert first == second
    assert elsewhere.sha256 == first.sha256 and elsewhere.key == key_for(OTHER, first.sha256) != first.key
    assert len(leftovers(store)) == 2  # one per tenant, no temporary or staging object left
    store.delete(OTHER, elsewhere.key)
    assert read_all(store, TENANT, first.key) == b"invoice 42"


def test_concurrent_puts_of_the_same_bytes_agree(store: ObjectStore):
    data = os.urandom(MB)
    results: list[StoredObject] = []
    threads = [
        threading.Thread(target=lambda: results.append(store.put(TENANT, chunked(data), max_bytes=MB)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and len(results) == 4
    assert leftovers(store) == [
        results[0].key if isinstance(store, LocalStore) else f"documents/{results[0].key}"
    ]
    assert read_all(store, TENANT, results[0].key) == data


@pytest.mark.parametrize(
    ("start", "stop"),
    [
        (0, None),
        (0, 1),
        (5, 10),
        (MB - 1, MB + 2),
        (2 * MB, None),
        (3, 3),
        (9, 4),
        (0, 10 * MB),
        (3 * MB, None),
    ],
)
def test_a_byte_range_reads_like_a_slice(store: ObjectStore, start: int, stop: int | None):
    data = os.urandom(2 * MB + 5)
    key = store.put(TENANT, chunked(data), max_bytes=3 * MB).key
    assert (
        read_all(store, TENANT, key, start=start, **({} if stop is None else {"stop": stop}))
        == data[start:stop]
    )


def test_a_negative_offset_is_refused(store: ObjectStore):
    key = store.put(TENANT, [b"abc"], max_bytes=10).key
    for span in ({"start": -1}, {"start": 0, "stop": -1}):
        with pytest.raises(ValueError):
            store.read(TENANT, key, **span)


def test_a_missing_object_is_not_found_before_any_byte_is_sent(store: ObjectStore):
    key = key_for(TENANT, hashlib.sha256(b"never stored").hexdigest())
    assert not store.exists(TENANT, key)
    for call in (
        lambda: store.read(TENANT, key),
        lambda: store.read(TENANT, key, start=5, stop=10),
        lambda: store.read(TENANT, key, start=5, stop=5),
        lambda: store.size(TENANT, key),
    ):
        with pytest.raises(NotFound):
            call()  # raised by the call itself, not when the first chunk is pulled
    store.delete(TENANT, key)  # deleting what is not there is not an error


def test_delete_removes_the_object(store: ObjectStore):
    key = store.put(TENANT, [b"to be deleted"], max_bytes=100).key
    store.delete(TENANT, key)
    assert not store.exists(TENANT, key) and leftovers(store) == []
    with pytest.raises(NotFound):
        store.read(TENANT, key)


# -- limits and failures leave nothing ------------------------------------------------------------


def test_a_stream_exactly_at_the_limit_is_stored(store: ObjectStore):
    assert store.put(TENANT, [b"x" * 1000], max_bytes=1000).size == 1000


@pytest.mark.parametrize(
    ("total", "limit"), [(1001, 1000), (30 * MB, 20 * MB)], ids=["one-byte-over", "over-in-a-later-part"]
)
def test_a_stream_past_the_limit_is_refused_and_leaves_nothing(store: ObjectStore, total: int, limit: int):
    with pytest.raises(PayloadTooLarge) as refused:
        store.put(TENANT, random_stream(total), max_bytes=limit)
    assert refused.value.code == "payload_too_large" and refused.value.details == {"limit_bytes": limit}
    assert leftovers(store) == []


def test_a_stream_that_fails_midway_leaves_nothing(store: ObjectStore):
    def broken() -> Iterator[bytes]:
        yield from random_stream(9 * MB)  # past the first S3 part
        raise ConnectionResetError("the client went away")

    with pytest.raises(ConnectionResetError):
        store.put(TENANT, broken(), max_bytes=20 * MB)
    assert leftovers(store) == []


def test_chunks_that_are_not_bytes_are_refused(store: ObjectStore):
    with pytest.raises(TypeError):
        store.put(TENANT, iter([b"ok", "text"]), max_bytes=100)  # type: ignore[arg-type]
    assert leftovers(store) == []


def test_a_big_stream_is_never_held_whole(store: ObjectStore):
    """30 MB through each store: S3 sends four 8 MB parts of one multipart upload; memory stays bounded."""
    parts: list[int] = []
    if isinstance(store, S3Store):
        store.client.meta.events.register(
            "provide-client-params.s3.UploadPart", lambda params, **_: parts.append(params["PartNumber"])
        )
    tracemalloc.start()
    try:
        stored = store.put(TENANT, random_stream(30 * MB), max_bytes=32 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    expected = hashlib.sha256()
    for chunk in random_stream(30 * MB):
        expected.update(chunk)
    assert (stored.size, stored.sha256) == (30 * MB, expected.hexdigest())
    # S3: the part being filled and the one just sent (~16 MB whatever the size); local: a few chunks.
    bound = 20 * MB if isinstance(store, S3Store) else 4 * MB
    assert peak < bound, f"{peak / MB:.1f} MB held while storing 30 MB"
    if isinstance(store, S3Store):
        assert parts == [1, 2, 3, 4]
    tail = read_all(store, TENANT, stored.key, start=30 * MB - 10)
    assert tail == b"".join(random_stream(30 * MB))[-10:]
    assert store.size(TENANT, stored.key) == 30 * MB


# -- keys from outside are never paths -------------------------------------------------------------

DIGEST = hashlib.sha256(b"secret").hexdigest()
FORGED = [
    "",
    f"{TENANT}",
    f"{TENANT}/{DIGEST[:2]}",
    f"{TENANT}/{DIGEST[:2]}/{DIGEST}/",
    f"/{TENANT}/{DIGEST[:2]}/{DIGEST}",
    f"{TENANT}/{DIGEST[:2]}/{DIGEST}\n",
    f"{TENANT}/{DIGEST[:2]}/{DIGEST.upper()}",
    f"{str(TENANT).upper()}/{DIGEST[:2]}/{DIGEST}",
    f"{TENANT}/00/{DIGEST}" if not DIGEST.startswith("00") else f"{TENANT}/ff/{DIGEST}",
    f"{TENANT}/{DIGEST[:2]}/{DIGEST[:63]}",
    f"{TENANT}/{DIGEST[:2]}/{DIGEST}0",
    f"{TENANT}/../{OTHER}/{DIGEST[:2]}/{DIGEST}",
    f"{TENANT}/{DIGEST[:2]}/../../{OTHER}/{DIGEST[:2]}/{DIGEST}",
    f"{TENANT}\\{DIGEST[:2]}\\{DIGEST}",
    f"{TENANT}/{DIGEST[:2]}/{DIGEST}\x00",
    f"{TENANT}/.incoming-abc",
    f".staging/{TENANT}/d72f820abb364657b11322fa8bf6455e",  # fixed: parallel workers collect the same ids
    f"documents/{TENANT}/{DIGEST[:2]}/{DIGEST}",
    f"{TENANT}/{DIGEST[:2]}/{'0' * 64}",
    "../../etc/passwd",
]


def every_operation(store: ObjectStore, tenant: uuid.UUID, key: Any) -> list[Callable[[], object]]:
    return [
        lambda: store.read(tenant, key),
        lambda: store.read(tenant, key, start=0, stop=10),
        lambda: store.exists(tenant, key),
        lambda: store.size(tenant, key),
        lambda: store.delete(tenant, key),
        lambda: store.download_url(tenant, key, expires_in=60),
    ]


@pytest.mark.parametrize("key", [*FORGED, None, b"bytes"], ids=repr)
def test_a_forged_key_is_refused_by_every_operation(store: ObjectStore, key: Any):
    for call in every_operation(store, TENANT, key):
        with pytest.raises(ValidationFailed) as refused:
            call()
        assert refused.value.fields[0].field == "key"


def test_another_tenants_key_is_refused_and_its_object_untouched(store: ObjectStore):
    theirs = store.put(OTHER, [b"their contract"], max_bytes=100)
    for call in every_operation(store, TENANT, theirs.key):
        with pytest.raises(ValidationFailed):
            call()
    assert read_all(store, OTHER, theirs.key) == b"their contract"


def test_a_tenant_is_a_uuid_not_a_string(store: ObjectStore):
    with pytest.raises(TypeError):
        store.put("../x", [b"a"], max_bytes=10)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        store.exists(str(TENANT), key_for(TENANT, DIGEST))  # type: ignore[arg-type]
    assert leftovers(store) == []


def test_local_leftovers_of_a_crash_are_never_served(tmp_path: Path):
    store = LocalStore(tmp_path)
    key = store.put(TENANT, [b"complete"], max_bytes=100).key
    partial = tmp_path / str(TENANT) / ".incoming-crashed"
    partial.write_bytes(b"half an obj")
    assert store.exists(TENANT, key)
    with pytest.raises(ValidationFailed):
        store.read(TENANT, f"{TENANT}/.incoming-crashed")


# -- download URLs ---------------------------------------------------------------------------------


def test_a_local_store_has_no_download_url(tmp_path: Path):
    store = LocalStore(tmp_path)
    key = store.put(TENANT, [b"x"], max_bytes=10).key
    assert store.download_url(TENANT, key, expires_in=60) is None
    with pytest.raises(ValueError):
        store.download_url(TENANT, key, expires_in=0)


def presign_valid(url: str, *, at: datetime) -> bool:
    """What S3 checks of a presigned URL: its SigV4 signature over everything else, and its age.

    moto serves any URL carrying a signature without checking it, so the check is made here the way
    S3 makes it, with the credentials the peer was given."""
    base, _, query = url.partition("?")
    fields = query.split("&")
    params = dict(field.split("=", 1) for field in fields)
    signed_at = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    unsigned = base + "?" + "&".join(f for f in fields if not f.startswith("X-Amz-Signature="))
    request = AWSRequest(method="GET", url=unsigned)
    request.context["timestamp"] = params["X-Amz-Date"]
    auth = S3SigV4QueryAuth(
        Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION, expires=int(params["X-Amz-Expires"])
    )
    signature = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
    fresh = signed_at <= at <= signed_at + timedelta(seconds=int(params["X-Amz-Expires"]))
    return signature == params["X-Amz-Signature"] and fresh


def test_a_presigned_url_downloads_with_plain_http_until_it_expires(s3_client: Any):
    store = s3_store(s3_client)
    data = os.urandom(MB + 3)
    key = store.put(TENANT, chunked(data), max_bytes=2 * MB).key
    url = store.download_url(
        TENANT, key, expires_in=90, filename='Facture n°1 "final".pdf', content_type="application/pdf"
    )
    assert url is not None

    answer = httpx.get(url)
    assert answer.status_code == 200 and answer.content == data
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == (
        "attachment; filename=\"Facture n_1 _final_.pdf\"; filename*=UTF-8''Facture%20n%C2%B01%20%22final%22.pdf"
    )
    assert httpx.get(url.partition("?")[0]).status_code == 403  # the object itself is private

    now = datetime.now(UTC)
    assert "X-Amz-Expires=90&" in url
    assert presign_valid(url, at=now)
    assert not presign_valid(url, at=now + timedelta(seconds=91))
    assert not presign_valid(url.replace("X-Amz-Expires=90", "X-Amz-Expires=9000"), at=now)  # tampered


def test_presigned_urls_live_between_a_second_and_a_week(s3_client: Any):
    store = s3_store(s3_client)
    key = store.put(TENANT, [b"x"], max_bytes=10).key
    for seconds in (0, -5, 7 * 24 * 3600 + 1):
        with pytest.raises(ValueError):
            store.download_url(TENANT, key, expires_in=seconds)
    with pytest.raises(ValueError):
        store.download_url(TENANT, key, expires_in=60, content_type="text/html\r\nX-Evil: 1")


@pytest.mark.parametrize(
    ("filename", "header"),
    [
        ("a.pdf", "attachment; filename=\"a.pdf\"; filename*=UTF-8''a.pdf"),
        (
            "x\r\nSet-Cookie: y.pdf",
            "attachment; filename=\"xSet-Cookie: y.pdf\"; filename*=UTF-8''xSet-Cookie%3A%20y.pdf",
        ),
        ("back\\slash", "attachment; filename=\"back_slash\"; filename*=UTF-8''back%5Cslash"),
        ("\x00\x07", "attachment; filename=\"download\"; filename*=UTF-8''download"),
    ],
)
def test_a_download_name_cannot_break_its_header(filename: str, header: str):
    assert content_disposition(filename) == header


# -- choosing the adapter --------------------------------------------------------------------------


def test_the_default_store_is_local_under_keel_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("KEEL_STORAGE_URL", raising=False)
    settings = Settings(home=tmp_path / "home")
    assert settings.storage_location == (tmp_path / "home" / "storage").as_uri()
    store = object_store(settings)
    assert isinstance(store, LocalStore) and store.root == tmp_path / "home" / "storage"
    assert settings.document_max_bytes == 25 * MB and settings.document_max_pages == 500


def test_a_file_url_names_another_directory(tmp_path: Path):
    store = object_store(Settings(storage_url=(tmp_path / "elsewhere").as_uri()))
    assert isinstance(store, LocalStore) and store.root == tmp_path / "elsewhere"


def test_an_s3_url_picks_the_s3_store_with_its_endpoint(s3_endpoint: str):
    store = object_store(Settings(storage_url="s3://keel-bucket/tenants/docs/", s3_endpoint_url=s3_endpoint))
    assert isinstance(store, S3Store)
    assert (store.bucket, store.prefix) == ("keel-bucket", "tenants/docs/")
    assert store.client.meta.endpoint_url == s3_endpoint
    assert (
        object_store(Settings(storage_url="s3://keel-bucket/tenants/docs/", s3_endpoint_url=s3_endpoint))
        is store
    )


@pytest.mark.parametrize(
    "url",
    [
        "ftp://host/x",
        "file://remote-host/x",
        "s3://",
        "s3:///prefix",
        "s3://bucket/x?versionId=1",
        "/plain/path",
    ],
)
def test_a_storage_url_that_names_no_store_is_refused(url: str):
    with pytest.raises(ValueError, match="KEEL_STORAGE_URL"):
        object_store(Settings(storage_url=url))
