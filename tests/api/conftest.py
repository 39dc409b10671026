"""A live stack for black-box API tests: uvicorn and a worker, each in its own thread and event loop."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from api.app import create_app
from db.session import make_engine
from keel.settings import Settings
from keel.temporal import connect, free_port
from tests.conftest import LocalStripe, TenantFixture, TypesenseServer
from workers.main import build_worker
from workers.outbox_listener import run_listener


@dataclass
class Live:
    url: str
    settings: Settings


def _run_worker(settings: Settings, stop: threading.Event, ready: threading.Event) -> None:
    async def main() -> None:
        client = await connect(settings)
        engine = make_engine(settings.require_database_url())
        async with build_worker(client, engine, settings.temporal_task_queue, settings=settings):
            listener = asyncio.create_task(run_listener(settings, client))  # outbox dispatch
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)
            listener.cancel()
        engine.dispose()

    asyncio.run(main())


@pytest.fixture(scope="session")
def live(
    settings: Settings, dev_server: str, typesense: TypesenseServer, localstripe: LocalStripe
) -> Iterator[Live]:
    port = free_port()
    live_settings = settings.model_copy(
        update={
            "temporal_address": dev_server,
            "api_port": port,
            "max_body_bytes": 65536,
            "dev_outbox_enabled": True,  # GET /api/v1/dev/outbox shows what the outbox adapter stored
            # Webhook tests deliver to receivers on loopback, and wait seconds, not hours, for retries.
            "webhook_allow_private": "127.0.0.0/8",
            "webhook_retry_schedule": "0s,1s,1s",
            "typesense_url": typesense.url,
            "typesense_api_key": SecretStr(typesense.api_key),  # model_copy does not validate
            "stripe_api_key": SecretStr(localstripe.api_key),
            "stripe_api_base": localstripe.url,
            "stripe_webhook_secret": SecretStr(localstripe.webhook_secret),
        }
    )
    stop, ready = threading.Event(), threading.Event()
    worker = threading.Thread(target=_run_worker, args=(live_settings, stop, ready), daemon=True)
    worker.start()
    with served(create_app(live_settings), port) as url:
        if not ready.wait(timeout=30):
            raise RuntimeError("the worker did not start")
        yield Live(url, live_settings)
    stop.set()
    worker.join(timeout=10)


@contextmanager
def served(app: FastAPI, port: int | None = None) -> Iterator[str]:
    """``app`` served by uvicorn in a thread of this process, on loopback; yields its base URL."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Api:
    """An HTTP client bound to one credential."""

    def __init__(self, base: str, credential: str | None) -> None:
        headers = {"Authorization": f"Bearer {credential}"} if credential else {}
        self.http = httpx.Client(base_url=base, headers=headers, timeout=30)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.post(path, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.put(path, **kw)

    def patch(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.patch(path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.delete(path, **kw)

    def login(self, email: str, password: str) -> Api:
        r = self.http.post("/api/v1/auth/token", data={"username": email, "password": password})
        assert r.status_code == 200, r.text
        return Api(str(self.http.base_url), r.json()["access_token"])


@pytest.fixture
def api(live: Live) -> Callable[[str | None], Api]:
    return lambda credential: Api(live.url, credential)


@pytest.fixture
def admin(api: Callable[[str | None], Api], tenant: TenantFixture) -> Api:
    return api(tenant.api_key)


@pytest.fixture
def anonymous(api: Callable[[str | None], Api]) -> Api:
    return api(None)


def data(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "success" and "timestamp" in body
    return body["data"]


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error" and body["error"]["code"] == code, body
    return body["error"]


@pytest.fixture
def approver(admin: Api, tenant: TenantFixture) -> str:
    """The email of a new user (password ``a-long-password``) whose only role may read and decide tasks."""
    role = f"approver{uuid.uuid4().hex[:6]}"
    data(
        admin.post("/api/v1/roles", json={"name": role, "permissions": ["tasks:read", "tasks:complete"]}), 201
    )
    email = f"{role}@{tenant.domain}"
    data(
        admin.post("/api/v1/users", json={"email": email, "password": "a-long-password", "roles": [role]}),
        201,
    )
    return email
