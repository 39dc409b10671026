"""Predictions from models trained on the tenant's own history: when a process will end (and whether it
will miss a due date), and whether a booking's person will come. Each answer states its model's
back-tested quality; too little history is a 409 ``insufficient_history`` saying how much there is."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.deps import Ctx, Db, SettingsDep
from api.envelope import respond, success
from api.resource_routes import ResourceRoutes
from domain.analytics.predictions import service as predictions
from domain.analytics.predictions.schemas import CompletionPrediction, NoShowPrediction
from domain.context import TenantContext

router = APIRouter(prefix="/api/v1/predictions", tags=["predictions"])
routes = ResourceRoutes(router, CompletionPrediction, item="")

Predict = Callable[[Session, TenantContext, str, uuid.UUID], BaseModel]


def _predicting(predict: Predict, subject: Any) -> Callable[..., JSONResponse]:
    """The endpoint answering ``predict`` of what the query parameter ``subject`` names."""

    def endpoint(ctx: Ctx, session: Db, settings: SettingsDep, ident: uuid.UUID = subject) -> JSONResponse:
        out = predict(session, ctx, settings.require_jwt_secret(), ident)
        return respond(success(out.model_dump(mode="json")))

    return endpoint


process_completion = routes.read(
    409,
    below="/process-completion",
    name="process_completion",
    summary="When a running process is expected to end (median, 10th to 90th percentile) and the "
    "probability that it misses a due date; an ended process answers its actual end",
)(_predicting(predictions.process_completion, Query(alias="process_id", description="the process")))

no_show = routes.read(
    409,
    below="/no-show",
    model=NoShowPrediction,
    name="no_show",
    summary="The probability that a booking's person does not come; a booking that has ended answers "
    "its outcome, a cancelled or expired one is a 409",
)(_predicting(predictions.no_show, Query(alias="booking_id", description="the booking")))
