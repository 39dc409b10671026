"""Billable metrics: create, read, list, soft delete. A metric is addressed by its code, which events
name; deleting one frees the code and leaves the events that named it as they were."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models.usage import BillableMetric
from domain.audit import service as audit
from domain.billing.usage.errors import Conflict, NotFound, ValidationFailed
from domain.billing.usage.schemas import NEEDS_FIELD, MetricIn
from domain.context import TenantContext
from domain.pagination import paginate
from domain.queries import live, mine

FIELDS = ["code", "name", "aggregation", "field", "filters"]


def _check(data: MetricIn) -> None:
    if data.aggregation in NEEDS_FIELD and data.field is None:
        raise ValidationFailed.one("field", f"is required for the {data.aggregation} aggregation")
    if data.aggregation == "count" and data.field is not None:
        raise ValidationFailed.one("field", "is not allowed for the count aggregation (it counts events)")


def create(session: Session, ctx: TenantContext, data: MetricIn) -> BillableMetric:
    ctx.require("billing:settings")
    _check(data)
    if session.scalar(
        select(BillableMetric.id).where(*mine(ctx, BillableMetric), BillableMetric.code == data.code)
    ):
        raise Conflict(f"A billable metric with code {data.code} already exists.", {"code": data.code})
    metric = BillableMetric(tenant_id=ctx.tenant_id, **data.model_dump())
    session.add(metric)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create with the same code
        raise Conflict(
            f"A billable metric with code {data.code} already exists.", {"code": data.code}
        ) from exc
    after = audit.snapshot(metric, FIELDS)
    audit.record(
        session, ctx, "billable_metric.created", "billable_metric", metric.id, audit.diff(None, after)
    )
    return metric


def find_live(session: Session, ctx: TenantContext, code: str) -> BillableMetric:
    """The live metric of the code; a deleted, missing or another tenant's one is a 404."""
    metric = session.scalar(live(ctx, BillableMetric).where(BillableMetric.code == code))
    if metric is None:
        raise NotFound("billable metric", code)
    return metric


def get(session: Session, ctx: TenantContext, code: str) -> BillableMetric:
    ctx.require("billing:read")
    return find_live(session, ctx, code)


def list_metrics(
    session: Session, ctx: TenantContext, *, limit: int | None = None, cursor: str | None = None
) -> tuple[list[BillableMetric], str | None]:
    """Live metrics, newest first."""
    ctx.require("billing:read")
    return paginate(session, live(ctx, BillableMetric), BillableMetric, limit, cursor)


def delete(session: Session, ctx: TenantContext, code: str) -> BillableMetric:
    """Soft delete: new events may no longer name the code; stored ones keep it."""
    ctx.require("billing:settings")
    metric = find_live(session, ctx, code)
    metric.deleted_at = utcnow()
    session.flush()
    audit.record(
        session, ctx, "billable_metric.deleted", "billable_metric", metric.id, {"deleted": [False, True]}
    )
    return metric
