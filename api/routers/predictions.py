"""Predictions from models trained on the tenant's own history: when a process will end (and whether it
will miss a due date), and whether a booking's person will come. Each answer states its model's
back-tested quality; too little history is a 409 ``insufficient_history`` saying how much there is."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.deps import Ctx, Db, SettingsDep
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.analytics.predictions import service as predictions
from domain.analytics.predictions.schemas import CompletionPrediction, NoShowPrediction

router = APIRouter(prefix="/api/v1/predictions", tags=["predictions"])
routes = ResourceRoutes(router, CompletionPrediction, item="")


@routes.read(
    409,
    below="/process-completion",
    summary="When a running process is expected to end (median, 10th to 90th percentile) and the "
    "probability that it misses a due date; an ended process answers its actual end",
)
def process_completion(
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    process_id: Annotated[uuid.UUID, Query(description="the process")],
) -> JSONResponse:
    out = predictions.process_completion(session, ctx, settings.require_jwt_secret(), process_id)
    return respond(success(out.model_dump(mode="json")))


@routes.read(
    409,
    below="/no-show",
    model=NoShowPrediction,
    summary="The probability that a booking's person does not come; a booking that has ended answers "
    "its outcome, a cancelled or expired one is a 409",
)
def no_show(
    ctx: Ctx,
    session: Db,
    settings: SettingsDep,
    booking_id: Annotated[uuid.UUID, Query(description="the booking")],
) -> JSONResponse:
    out = predictions.no_show(session, ctx, settings.require_jwt_secret(), booking_id)
    return respond(success(out.model_dump(mode="json")))
