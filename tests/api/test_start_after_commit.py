"""Record, then start the workflow after the commit, or undo: one helper, one answer.

When Temporal refuses a start (a workflow with that id already runs) or does not answer, the rows
the request committed are removed again and the answer is 503 ``service_unavailable``: the request
changed nothing, so the same request can be retried and succeed.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.process_runtime import Start, start_or_undo
from domain.errors import Unavailable
from keel.temporal import connect
from tests.api.conftest import Api, data, error_of
from workflows.booking import BookingWorkflow


class Refusing:
    """A Temporal client whose start of the listed workflow ids fails with the given error."""

    def __init__(self, refuse: dict[str, BaseException]) -> None:
        self.refuse = refuse
        self.started: list[str] = []

    async def start_workflow(self, workflow: Any, arg: Any, *, id: str, **options: Any) -> None:
        await asyncio.sleep(0)
        if id in self.refuse:
            raise self.refuse[id]
        self.started.append(id)


def starts(*ids: str) -> list[Start]:
    return [Start(BookingWorkflow.run, None, wid) for wid in ids]


async def run(client: Refusing, ids: list[str]) -> tuple[list[str], list[list[str]]]:
    undone: list[str] = []
    stopped: list[list[str]] = []

    async def stop(started: list[str]) -> None:
        stopped.append(sorted(started))

    await start_or_undo(
        client,  # type: ignore[arg-type]
        "queue",
        starts(*ids),
        undo=lambda: undone.append("rows"),
        started_undo=stop,
    )
    return undone, stopped


async def test_all_started_undoes_nothing():
    client = Refusing({})
    assert await run(client, ["a", "b"]) == ([], [])
    assert sorted(client.started) == ["a", "b"]


@pytest.mark.parametrize(
    "error",
    [
        WorkflowAlreadyStartedError("b", "booking"),
        RPCError("unavailable", RPCStatusCode.UNAVAILABLE, b""),
    ],
    ids=["already-started", "no-answer"],
)
async def test_a_refused_start_undoes_the_rows_stops_the_started_and_answers_503(error):
    client = Refusing({"b": error})
    undone: list[str] = []
    stopped: list[list[str]] = []

    async def stop(started: list[str]) -> None:
        stopped.append(sorted(started))

    with pytest.raises(Unavailable) as raised:
        await start_or_undo(
            client,  # type: ignore[arg-type]
            "queue",
            starts("a", "b", "c"),
            undo=lambda: undone.append("rows"),
            started_undo=stop,
        )
    assert raised.value.code == "service_unavailable"
    assert undone == ["rows"] and stopped == [["a", "c"]]


async def test_any_other_failure_is_raised_after_the_undo():
    client = Refusing({"a": ValueError("a bug")})
    undone: list[str] = []
    with pytest.raises(ValueError, match="a bug"):
        await start_or_undo(client, "queue", starts("a"), undo=lambda: undone.append("rows"))  # type: ignore[arg-type]
    assert undone == ["rows"]


def approval(tenant: Any, key: str) -> dict[str, Any]:
    chain = [{"assignee": f"user:{tenant.admin_email}", "due": "P2D"}]
    return {"definition": "approval", "business_key": key, "input": {"subject": "Chairs", "chain": chain}}


def test_a_process_temporal_refuses_answers_503_and_is_not_recorded(admin: Api, tenant, live):
    """The id is taken in Temporal (not in Keel): formerly 409 here, 503 elsewhere; now 503 everywhere."""
    key = f"PO-{uuid.uuid4().hex[:8]}"
    workflow_id = f"{tenant.domain}:approval:{key}"

    async def block() -> None:  # a run of a type no worker polls, holding the process's workflow id
        client = await connect(live.settings)
        await client.start_workflow("blocker", id=workflow_id, task_queue=f"nobody-{key}")

    async def unblock() -> None:
        client = await connect(live.settings)
        await client.get_workflow_handle(workflow_id).terminate()

    asyncio.run(block())
    try:
        err = error_of(
            admin.post("/api/v1/processes", json=approval(tenant, key)), 503, "service_unavailable"
        )
        assert "Temporal" in err["message"]
    finally:
        asyncio.run(unblock())
    # Nothing was kept: the same request now starts the process (a kept row would be a 409 duplicate).
    started = data(admin.post("/api/v1/processes", json=approval(tenant, key)), 201)
    assert started["business_key"] == key and started["workflow_id"] == workflow_id
