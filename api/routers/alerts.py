"""Analytics alerts: rules on metrics (threshold, change, anomaly), evaluated after each rollup fold or
on demand, and the incidents they open and resolve."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from api.deps import Ctx, Cursor, Db, IfMatch, Limit
from api.envelope import created, models_page, success
from api.etag import check_if_match, etag_of, tagged, tagged_response
from api.resource_routes import ResourceRoutes
from domain.analytics.alerts import evaluation, service
from domain.analytics.alerts.schemas import AlertIn, AlertOut, AlertPatch, Evaluation, IncidentOut, Status

router = APIRouter(prefix="/api/v1", tags=["alerts"])
routes = ResourceRoutes(router, AlertOut, collection="/alerts", item="/{alert_id}")
incidents = ResourceRoutes(router, IncidentOut, collection="/alert-events")
StatusQuery = Annotated[Status | None, Query(description="open or resolved; both by default")]


@routes.create(
    summary="Create an alert on a metric: its condition's params, filter and recipients checked; "
    "nothing stored when refused"
)
def create_alert(body: AlertIn, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    out = service.create(session, ctx, body)
    return created(response, f"/api/v1/alerts/{out.id}", tagged(out, response))


list_alerts = routes.paged(
    service.listing, name="list_alerts", summary="The tenant's alerts, newest first, a page at a time"
)


@routes.read(summary="An alert, with its ETag and its last evaluation's state")
def get_alert(alert_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    return success(tagged(service.view(service.get(session, ctx, alert_id)), response))


@routes.patch(412, summary="Change an alert; the result is checked whole (If-Match guards lost updates)")
def update_alert(
    alert_id: uuid.UUID, body: AlertPatch, ctx: Ctx, session: Db, if_match: IfMatch = None
) -> JSONResponse:
    out = service.update(
        session, ctx, alert_id, body, lambda current: check_if_match(if_match, etag_of(current))
    )
    return tagged_response(out)


@routes.delete(summary="Delete an alert (soft); an open incident is closed without notifying")
def delete_alert(alert_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(service.delete(session, ctx, alert_id).model_dump(mode="json"))


@routes.post(
    "/evaluate",
    model=Evaluation,
    summary="Evaluate the alert now: observed figure, expected range, firing or not and why; opens or "
    "resolves its incident as the schedule would",
)
def evaluate_alert(alert_id: uuid.UUID, ctx: Ctx, session: Db) -> dict[str, Any]:
    return success(evaluation.evaluate(session, ctx, alert_id).model_dump(mode="json"))


@routes.read(below="/events", model=list[IncidentOut], summary="The alert's incidents, newest first")
def list_alert_incidents(
    alert_id: uuid.UUID,
    ctx: Ctx,
    session: Db,
    status: StatusQuery = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    items, next_cursor = service.incidents(session, ctx, alert_id, status=status, limit=limit, cursor=cursor)
    return models_page(items, limit=limit, next_cursor=next_cursor)


@incidents.listing(summary="Incidents of every alert of the tenant, newest first (`status=open`: the open)")
def list_incidents(
    ctx: Ctx, session: Db, status: StatusQuery = None, limit: Limit = None, cursor: Cursor = None
) -> dict[str, Any]:
    items, next_cursor = service.incidents(session, ctx, None, status=status, limit=limit, cursor=cursor)
    return models_page(items, limit=limit, next_cursor=next_cursor)
