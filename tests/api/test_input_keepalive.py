"""A refused request, even a 500, leaves the client's keep-alive connection open for the next one."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.app import create_app
from tests.api.conftest import Api, served


def _local_port(response: httpx.Response) -> int:
    stream = response.extensions["network_stream"]
    port: int = stream.get_extra_info("socket").getsockname()[1]
    return port


def test_a_422_keeps_the_connection(admin: Api) -> None:
    first = admin.get("/api/v1/users?email=%00")
    assert first.status_code == 422
    second = admin.post(
        "/api/v1/entity-types", content=b"[" * 5000, headers={"content-type": "application/json"}
    )
    assert second.status_code == 422
    third = admin.get("/api/v1/users")
    assert third.status_code == 200
    assert _local_port(first) == _local_port(second) == _local_port(third)


@pytest.fixture
def exploding(settings) -> Iterator[str]:
    app = create_app(settings.model_copy(update={"temporal_address": "127.0.0.1:1"}))

    def explode() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/explode", explode)
    app.state.public_routes.add(("GET", "/explode"))
    with served(app) as url:
        yield url


def test_a_500_keeps_the_connection(exploding: str) -> None:
    with httpx.Client(base_url=exploding) as client:
        boom = client.get("/explode")
        assert boom.status_code == 500 and boom.json()["error"]["code"] == "internal_error"
        assert boom.headers.get("connection") != "close"
        after = client.get("/healthz")
        assert after.status_code == 200
        assert _local_port(boom) == _local_port(after)
