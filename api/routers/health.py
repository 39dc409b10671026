"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from api.envelope import Envelope, ErrorEnvelope, error, success

router = APIRouter(tags=["health"])


class Alive(BaseModel):
    status: Literal["ok"]


class Checks(BaseModel):
    database: bool
    temporal: bool


class Ready(BaseModel):
    status: Literal["ready"]
    checks: Checks


@router.get("/healthz", summary="The process is up", response_model=Envelope[Alive])
async def healthz() -> dict[str, Any]:
    return success({"status": "ok"})


def _database_ok(request: Request) -> bool:
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def _temporal_ok(request: Request) -> bool:
    client = request.app.state.temporal
    if client is None:
        client = await request.app.state.connect_temporal()
    if client is None:
        return False
    try:
        await asyncio.wait_for(client.service_client.check_health(), timeout=3)
        return True
    except Exception:
        return False


@router.get(
    "/readyz",
    summary="The database and Temporal are reachable",
    response_model=Envelope[Ready],
    responses={503: {"model": ErrorEnvelope, "description": "not ready: `details.checks` says which"}},
)
async def readyz(request: Request) -> JSONResponse:
    checks = {
        "database": await run_in_threadpool(_database_ok, request),
        "temporal": await _temporal_ok(request),
    }
    if all(checks.values()):
        return JSONResponse(success({"status": "ready", "checks": checks}))
    return JSONResponse(error("service_unavailable", "Not ready.", {"checks": checks}), status_code=503)
