"""The hand-written layer over the generated client (``make clients`` keeps this module).

``Keel`` holds authenticated connections (one for the generated ``sync`` functions, one for their
``asyncio`` twins) whose transports retry 429 and 503 answers (and refused connections) with
exponential backoff, honouring ``Retry-After``, and give every POST an ``Idempotency-Key`` first, so
that a retried POST is done once. ``call`` runs any generated operation and answers the envelope's
``data`` or raises a ``KeelError`` subclass; ``iterate`` follows ``meta.next_cursor`` through every
page; the ``wait_for_*`` helpers wait on long polls.

    from keel_client import Keel
    from keel_client.api.processes import start_process
    from keel_client.models import ProcessStart

    with Keel("http://127.0.0.1:8000", api_key="keel_...") as keel:
        process = keel.call(start_process, body=ProcessStart.from_dict({...}))
        done = keel.wait_for_process(process.id)
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from .client import AuthenticatedClient
from .types import UNSET, Response

RETRIED_STATUSES = frozenset({429, 503})
LONG_POLL_SECONDS = 60.0  # the most the API waits in one long poll
OPEN_IMPORT = frozenset({"pending", "running"})


class Endpoint(Protocol):
    """A generated operation module, e.g. ``keel_client.api.processes.start_process``."""

    def sync_detailed(self, *args: Any, **kwargs: Any) -> Response[Any]: ...


class KeelError(Exception):
    """An error answer: ``code``, ``message`` and ``details`` from the error envelope; ``fields`` lists
    each bad field of a 422 (``{"field", "message"}``)."""

    status: int = 0

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message
        self.details: dict[str, Any] = details or {}

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.details.get("fields", []))

    @property
    def correlation_id(self) -> str | None:
        """The id of a 500 in the server's logs."""
        return self.details.get("correlation_id")


class BadRequest(KeelError):
    status = 400


class Unauthenticated(KeelError):
    status = 401


class Forbidden(KeelError):
    status = 403


class NotFound(KeelError):
    status = 404


class Conflict(KeelError):
    status = 409


class Gone(KeelError):
    status = 410


class PreconditionFailed(KeelError):
    status = 412


class PayloadTooLarge(KeelError):
    status = 413


class UnsupportedMediaType(KeelError):
    status = 415


class ValidationFailed(KeelError):
    status = 422


class Locked(KeelError):
    status = 423


class RateLimited(KeelError):
    status = 429


class InternalError(KeelError):
    status = 500


class ServiceUnavailable(KeelError):
    status = 503


ERRORS: dict[int, type[KeelError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Gone,
        PreconditionFailed,
        PayloadTooLarge,
        UnsupportedMediaType,
        ValidationFailed,
        Locked,
        RateLimited,
        InternalError,
        ServiceUnavailable,
    )
}


def error_from(status: int, content: bytes) -> KeelError:
    """The typed error of an answer with ``status``, read from its error envelope."""
    try:
        error = json.loads(content)["error"]
        code, message, details = str(error["code"]), str(error["message"]), dict(error.get("details") or {})
    except (ValueError, KeyError, TypeError):  # not Keel's envelope (a proxy's page, say)
        code, message, details = f"http_{status}", content[:200].decode(errors="replace"), {}
    return ERRORS.get(status, KeelError)(status, code, message, details)


def retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Retrying:
    """The retry policy both transports share: which answers are retried, how long to wait."""

    def __init__(self, *, retries: int = 4, backoff: float = 0.5, max_delay: float = 30.0) -> None:
        self.retries, self.backoff, self.max_delay = retries, backoff, max_delay

    def delay(self, attempt: int, after: str | None = None) -> float:
        told = retry_after(after)
        if told is not None:
            return min(told, self.max_delay)
        return min(self.backoff * 2**attempt * (1 + random.random() / 4), self.max_delay)  # noqa: S311

    @staticmethod
    def keyed(request: httpx.Request) -> None:
        """Every POST gets an ``Idempotency-Key`` before its first attempt: the server does a retried
        POST once and answers the first response again."""
        if request.method == "POST" and "idempotency-key" not in request.headers:
            request.headers["Idempotency-Key"] = f"keel-client-{uuid.uuid4()}"

    def again(self, attempt: int, response: httpx.Response) -> float | None:
        """Seconds to wait before the next attempt after ``response``, or None: keep it."""
        if response.status_code not in RETRIED_STATUSES or attempt >= self.retries:
            return None
        return self.delay(attempt, response.headers.get("retry-after"))


class RetryTransport(httpx.BaseTransport, Retrying):
    """Retries 429/503 answers and refused connections (``Retrying``), for ``httpx.Client``."""

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        **policy: Any,
    ) -> None:
        Retrying.__init__(self, **policy)
        self.inner, self.sleep = inner or httpx.HTTPTransport(), sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.keyed(request)
        request.read()  # the body in memory, to send again
        attempt = 0
        while True:
            try:
                response = self.inner.handle_request(request)
            except httpx.ConnectError:
                if attempt >= self.retries:
                    raise
                self.sleep(self.delay(attempt))
                attempt += 1
                continue
            wait = self.again(attempt, response)
            if wait is None:
                return response
            response.close()
            self.sleep(wait)
            attempt += 1

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport, Retrying):
    """The same retries for ``httpx.AsyncClient``: the generated ``asyncio`` functions."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        **policy: Any,
    ) -> None:
        Retrying.__init__(self, **policy)
        self.inner, self.sleep = inner or httpx.AsyncHTTPTransport(), sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.keyed(request)
        await request.aread()
        attempt = 0
        while True:
            try:
                response = await self.inner.handle_async_request(request)
            except httpx.ConnectError:
                if attempt >= self.retries:
                    raise
                await self.sleep(self.delay(attempt))
                attempt += 1
                continue
            wait = self.again(attempt, response)
            if wait is None:
                return response
            await response.aclose()
            await self.sleep(wait)
            attempt += 1

    async def aclose(self) -> None:
        await self.inner.aclose()


class Keel:
    """A connection to Keel's API with an API key (``keel_...``) or an access token."""

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 0.5,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        credential = api_key or token
        if not credential or (api_key and token):
            raise ValueError("give one of api_key or token")
        policy: dict[str, Any] = {"retries": retries, "backoff": backoff}
        settings: dict[str, Any] = {
            "base_url": url.rstrip("/"),
            "headers": {"Authorization": f"Bearer {credential}"},
            # a long poll answers after up to LONG_POLL_SECONDS: reads may take that long
            "timeout": httpx.Timeout(timeout, read=timeout + LONG_POLL_SECONDS),
        }
        self.client = AuthenticatedClient(base_url=settings["base_url"], token=credential)
        # Both of the generated functions' connections retry: ``sync_*`` and ``asyncio_*``.
        self.client.set_httpx_client(httpx.Client(**settings, transport=RetryTransport(transport, **policy)))
        self.client.set_async_httpx_client(
            httpx.AsyncClient(**settings, transport=AsyncRetryTransport(async_transport, **policy))
        )

    def __enter__(self) -> Keel:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.get_httpx_client().close()

    async def __aenter__(self) -> Keel:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close both connections (from a coroutine: the ``asyncio`` one needs the loop)."""
        self.close()
        await self.client.get_async_httpx_client().aclose()

    @staticmethod
    def unwrap(response: Response[Any]) -> Any:
        """The envelope's ``data`` of a generated operation's answer, or its error raised."""
        if response.status_code >= 400:
            raise error_from(response.status_code, response.content)
        parsed = response.parsed
        data = getattr(parsed, "data", UNSET)
        return parsed if data is UNSET else data

    def call(self, endpoint: Endpoint, *args: Any, **kwargs: Any) -> Any:
        """Run a generated operation (``keel.call(get_process, process_id)``): its ``data``."""
        return self.unwrap(endpoint.sync_detailed(*args, client=self.client, **kwargs))

    def pages(self, endpoint: Endpoint, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Every page of a list operation, following ``meta.next_cursor``."""
        cursor = kwargs.pop("cursor", UNSET)
        while True:
            response = endpoint.sync_detailed(*args, client=self.client, cursor=cursor, **kwargs)
            if response.status_code >= 400:
                raise error_from(response.status_code, response.content)
            yield response.parsed
            meta = getattr(response.parsed, "meta", None)
            cursor = getattr(meta, "next_cursor", None)
            if not isinstance(cursor, str):
                return

    def iterate(self, endpoint: Endpoint, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Every item of a list operation, page after page (``limit`` sets the page size)."""
        for page in self.pages(endpoint, *args, **kwargs):
            yield from page.data

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Any request (httpx's arguments), answered as the envelope's ``data`` (JSON), or the raw
        ``httpx.Response`` when it is not JSON; errors raised."""
        response = self.client.get_httpx_client().request(method, path, **kwargs)
        if response.status_code >= 400:
            raise error_from(response.status_code, response.content)
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json().get("data")
        return response

    def wait_for_process(self, process_id: uuid.UUID | str, timeout: float = 600.0) -> Any:
        """The process (``ProcessOut``) once it has ended: long polls, each up to a minute."""
        from .api.processes import get_process

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            process = self.call(get_process, _uuid(process_id), wait=max(0.0, min(left, LONG_POLL_SECONDS)))
            if process.status != "running":
                return process
            if left <= 0:
                raise TimeoutError(f"process {process_id} still running after {timeout} s")

    def wait_for_task(self, *, timeout: float = 60.0, **filters: Any) -> Any:
        """The first task (``TaskOut``) matching ``filters`` (``process_id``, ``status``, ``assignee``;
        open ones by default) as soon as one exists: long polls, each up to a minute."""
        from .api.tasks import list_tasks
        from .models import ListTasksStatusType0

        filters.setdefault("status", "open")
        if isinstance(filters["status"], str):
            filters["status"] = ListTasksStatusType0(filters["status"])
        if "process_id" in filters:
            filters["process_id"] = _uuid(filters["process_id"])
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            tasks = self.call(list_tasks, wait=max(0.0, min(left, LONG_POLL_SECONDS)), limit=1, **filters)
            if tasks:
                return tasks[0]
            if left <= 0:
                raise TimeoutError(f"no task matching {filters} after {timeout} s")

    def wait_for_import(self, import_id: uuid.UUID | str, timeout: float = 600.0) -> Any:
        """The import (``ImportOut``) once it has completed, failed or been cancelled."""
        from .api.imports import get_import

        deadline, pause = time.monotonic() + timeout, 0.2
        while True:
            job = self.call(get_import, _uuid(import_id))
            if job.status not in OPEN_IMPORT:
                return job
            if time.monotonic() + pause > deadline:
                raise TimeoutError(f"import {import_id} still {job.status} after {timeout} s")
            time.sleep(pause)
            pause = min(pause * 1.5, 2.0)


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
