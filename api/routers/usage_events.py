"""Usage events, deduplicated on their transaction id."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import Ctx, Db, SettingsDep
from api.envelope import Envelope, errors, respond, success
from domain.billing.usage import service as usage
from domain.billing.usage.schemas import UsageBatchIn, UsageBatchOut

router = APIRouter(prefix="/api/v1/usage-events", tags=["usage_events"])


@router.post(
    "",
    response_model=Envelope[UsageBatchOut],
    responses=errors(403, 413),
    summary="Report 1 to 1,000 events. The whole batch is checked first: any bad event is a 422 naming "
    "events.N.field and nothing is stored. An event is stored once per transaction_id: one sent again "
    "(a retried batch) counts as a duplicate and changes nothing. Stored when this answers 200.",
)
def ingest_events(body: UsageBatchIn, ctx: Ctx, session: Db, settings: SettingsDep) -> JSONResponse:
    result = usage.ingest(session, ctx, body, grace=timedelta(days=settings.usage_grace_days))
    return respond(success({"accepted": result.accepted, "duplicates": result.duplicates}))
