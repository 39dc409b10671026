"""Documents on S3 (moto's server over HTTP): uploads land in the bucket, content and ranges read
back through the API, and the download URL is the store's presigned one, usable without a bearer."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from adapters.storage_s3 import S3Store
from api.app import create_app
from tests.adapters.test_storage import s3_endpoint  # noqa: F401  (the moto server fixture)
from tests.api.conftest import Api, Live, data, served
from tests.conftest import TenantFixture
from tests.domain.pdf_helpers import pages_pdf


@pytest.fixture(scope="module")
def s3_url(live: Live, s3_endpoint: str) -> Iterator[tuple[str, str]]:  # noqa: F811
    bucket = f"keel-docs-{uuid.uuid4().hex[:8]}"
    S3Store.connect("s3://unused", endpoint_url=s3_endpoint).client.create_bucket(Bucket=bucket)
    settings = live.settings.model_copy(
        update={"storage_url": f"s3://{bucket}/documents", "s3_endpoint_url": s3_endpoint}
    )
    with served(create_app(settings)) as url:
        yield url, s3_endpoint


def test_upload_read_and_presigned_download(s3_url: tuple[str, str], tenant: TenantFixture) -> None:
    url, endpoint = s3_url
    api = Api(url, tenant.api_key)
    content = pages_pdf("Stored in S3")
    meta = json.dumps({"name": "s3.pdf", "document_type": "contract"})
    doc = data(
        api.post(
            "/api/v1/documents", files={"file": ("s3.pdf", content, "application/pdf")}, data={"meta": meta}
        ),
        201,
    )
    assert api.get(f"/api/v1/documents/{doc['id']}/content").content == content
    part = api.get(f"/api/v1/documents/{doc['id']}/content", headers={"Range": "bytes=1-4"})
    assert part.status_code == 206 and part.content == content[1:5]

    link = data(api.get(f"/api/v1/documents/{doc['id']}/download-url", params={"expires_in": 120}))
    assert link["url"].startswith(endpoint) and urlsplit(link["url"]).query  # signed by the store
    fetched = httpx.get(link["url"], timeout=30)
    assert fetched.status_code == 200 and fetched.content == content
    assert "s3.pdf" in fetched.headers.get("content-disposition", "")
