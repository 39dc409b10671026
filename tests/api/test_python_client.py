"""keel-client (clients/python) against the live stack: an approval started and decided by its
assignee, processes paged through, a CSV imported and waited for, typed errors (a slot found and
booked is the getting-started tour's, tests/api/test_getting_started_clients.py); and
its transport's retries and Idempotency-Keys, against a scripted peer."""

from __future__ import annotations

import io
import time
import uuid

import httpx
import pytest
from keel_client import Keel
from keel_client.api.entity_types import create_type
from keel_client.api.identity import create_role, create_user
from keel_client.api.imports import start_import
from keel_client.api.processes import get_process, list_processes, start_process
from keel_client.api.tasks import complete_task
from keel_client.keel import AsyncRetryTransport, NotFound, RetryTransport, ValidationFailed, error_from
from keel_client.models import (
    EntityTypeIn,
    ProcessStart,
    RoleCreate,
    TaskCompleteIn,
    UserCreate,
)
from keel_client.types import File

from tests.api.conftest import Live
from tests.conftest import TenantFixture

PASSWORD = "a-long-password"


@pytest.fixture
def keel(live: Live, tenant: TenantFixture) -> Keel:
    return Keel(live.url, api_key=tenant.api_key)


def sign_in(live: Live, email: str) -> Keel:
    answer = httpx.post(f"{live.url}/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return Keel(live.url, token=answer.json()["access_token"])


def approval(key: str, assignee: str) -> ProcessStart:
    return ProcessStart.from_dict(
        {
            "definition": "approval",
            "business_key": key,
            "input": {"subject": "Laptops", "chain": [{"assignee": assignee, "due": "P2D"}]},
        }
    )


def test_an_approval_is_started_decided_by_its_assignee_and_waited_for(
    keel: Keel, live: Live, tenant: TenantFixture
) -> None:
    permissions = ["tasks:read", "tasks:complete"]
    keel.call(create_role, body=RoleCreate.from_dict({"name": "buyer", "permissions": permissions}))
    email = f"mia@{tenant.domain}"
    keel.call(
        create_user, body=UserCreate.from_dict({"email": email, "password": PASSWORD, "roles": ["buyer"]})
    )
    process = keel.call(start_process, body=approval("PO-CLIENT-1", "role:buyer"))
    assert process.status == "running"

    with sign_in(live, email) as mia:
        task = mia.wait_for_task(process_id=process.id, timeout=30)
        done = mia.call(complete_task, task.id, body=TaskCompleteIn(outcome="approve", comment="fine"))
    assert done.status == "completed"
    finished = keel.wait_for_process(process.id, timeout=60)
    assert finished.status == "completed"
    assert keel.call(get_process, process.id).status == "completed"


def test_processes_are_paged_through_with_next_cursor(keel: Keel) -> None:
    started = {keel.call(start_process, body=approval(f"PAGE-{n}", "role:admin")).id for n in range(5)}
    deadline = time.monotonic() + 20  # the list is Temporal's visibility, written a moment after a start
    while True:
        seen = [process.id for process in keel.iterate(list_processes, definition="approval", limit=2)]
        if started <= set(seen) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert started <= set(seen)
    assert len(seen) == len(set(seen))
    pages = list(keel.pages(list_processes, definition="approval", limit=2))
    assert len(pages) >= 3 and pages[-1].meta.next_cursor is None


def test_a_csv_is_imported_and_waited_for(keel: Keel) -> None:
    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
    }
    keel.call(create_type, body=EntityTypeIn.from_dict({"name": "contact", "schema": schema}))
    csv = b"name,email\nAda,ada@example.com\nGrace,grace@example.com\n"
    upload = File(payload=io.BytesIO(csv), file_name="contacts.csv", mime_type="text/csv")
    started = keel.call(start_import, "contact", body=upload)
    finished = keel.wait_for_import(started.id, timeout=120)
    assert (finished.status, finished.rows_ok, finished.rows_failed) == ("completed", 2, 0)


def test_errors_are_typed_exceptions_with_the_envelope(keel: Keel) -> None:
    with pytest.raises(NotFound) as missing:
        keel.call(get_process, uuid.uuid4())
    assert missing.value.code == "not_found" and missing.value.status == 404
    with pytest.raises(ValidationFailed) as bad:
        keel.call(start_process, body=ProcessStart.from_dict({"definition": "Not A Name"}))
    assert bad.value.code == "validation_failed"
    assert any(field["field"].endswith("definition") for field in bad.value.fields)


def scripted(answers: list[httpx.Response], seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    return httpx.MockTransport(handle)


def test_posts_are_retried_on_429_and_503_with_one_idempotency_key() -> None:
    seen: list[httpx.Request] = []
    slept: list[float] = []
    answers = [
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.Response(503, headers={"Retry-After": "0"}),
        httpx.Response(201, json={"status": "success", "data": {"ok": True}, "meta": {}}),
    ]
    transport = RetryTransport(scripted(answers, seen), sleep=slept.append)
    with httpx.Client(transport=transport, base_url="http://keel") as http:
        answer = http.post("/api/v1/things", json={"a": 1})
    assert answer.status_code == 201
    assert slept == [2.0, 0.0]
    keys = {request.headers["Idempotency-Key"] for request in seen}
    assert len(seen) == 3 and len(keys) == 1
    assert all(request.content == b'{"a":1}' for request in seen)


def test_retries_end_and_the_error_is_raised() -> None:
    delays: list[float] = []
    answers = [
        httpx.Response(
            503,
            json={
                "status": "error",
                "error": {"code": "service_unavailable", "message": "down", "details": {}},
            },
        )
    ] * 3
    transport = RetryTransport(scripted(list(answers), []), retries=2, backoff=0.1, sleep=delays.append)
    with httpx.Client(transport=transport, base_url="http://keel") as http:
        answer = http.get("/api/v1/processes")
    assert answer.status_code == 503 and len(delays) == 2 and delays[0] < delays[1]
    error = error_from(answer.status_code, answer.content)
    assert (type(error).__name__, error.code, error.message) == (
        "ServiceUnavailable",
        "service_unavailable",
        "down",
    )


def test_a_credential_is_required() -> None:
    with pytest.raises(ValueError):
        Keel("http://keel")
    with pytest.raises(ValueError):
        Keel("http://keel", api_key="keel_x", token="t")


async def test_the_asyncio_functions_retry_too_with_one_idempotency_key() -> None:
    seen: list[httpx.Request] = []
    slept: list[float] = []
    answers = [
        httpx.Response(503, headers={"Retry-After": "1"}),
        httpx.Response(201, json={"status": "success", "data": {"ok": True}, "meta": {}}),
    ]

    async def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    transport = AsyncRetryTransport(httpx.MockTransport(handle), sleep=sleep)
    async with httpx.AsyncClient(transport=transport, base_url="http://keel") as http:
        answer = await http.post("/api/v1/things", json={"a": 1})
    assert answer.status_code == 201 and slept == [1.0]
    assert len({request.headers["Idempotency-Key"] for request in seen}) == 1 and len(seen) == 2


async def test_the_asyncio_functions_are_authenticated_against_the_live_stack(
    live: Live, tenant: TenantFixture
) -> None:
    async with Keel(live.url, api_key=tenant.api_key) as keel:
        missing = await get_process.asyncio_detailed(uuid.uuid4(), client=keel.client)
        listed = await list_processes.asyncio_detailed(client=keel.client, limit=1)
    assert missing.status_code == 404 and listed.status_code == 200
