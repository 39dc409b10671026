"""Analytics alerts: rules on metrics (threshold, change, anomaly), evaluated after each rollup fold or
on demand, and the incidents they open and resolve."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import Ctx, Cursor, Db, Limit
from api.envelope import models_page, success
from api.etag import tagged
from api.resource_routes import ResourceRoutes
from domain.analytics.alerts import evaluation, service
from domain.analytics.alerts.schemas import AlertIn, AlertOut, AlertPatch, Evaluation, IncidentOut, Status

router = APIRouter(prefix="/api/v1", tags=["alerts"])
routes = ResourceRoutes(router, AlertOut, collection="/alerts", item="/{alert_id}")
incidents = ResourceRoutes(router, IncidentOut, collection="/alert-events")
StatusQuery = Annotated[Status | None, Query(description="open or resolved; both by default")]


create_alert = routes.creating(
    service.create,
    AlertIn,
    name="create_alert",
    summary="Create an alert on a metric: its condition's params, filter and recipients checked; "
    "nothing stored when refused",
)

list_alerts = routes.paged(service.listing, summary="The tenant's alerts, newest first, a page at a time")


@routes.read(summary="An alert, with its ETag and its last evaluation's state")
def get_alert(alert_id: uuid.UUID, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    return success(tagged(service.view(service.get(session, ctx, alert_id)), response))


update_alert = routes.updating(
    service.update,
    AlertPatch,
    name="update_alert",
    summary="Change an alert; the result is checked whole (If-Match guards lost updates)",
)
delete_alert = routes.deleting(
    service.delete,
    name="delete_alert",
    summary="Delete an alert (soft); an open incident is closed without notifying",
)


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
