"""Bookable resources (rooms, equipment, people) and their availability rules."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from api.booking_payments import ResourceBody, terms_of
from api.deps import Ctx, Cursor, Db, Limit
from api.envelope import page, respond, success
from api.resource_routes import ResourceRoutes
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.pagination import clamp_limit
from domain.scheduling.resources import service as resources
from domain.scheduling.resources.schemas import (
    ResourceIn,
    ResourceOut,
    RuleIn,
    RuleOut,
    resource_out,
    rule_out,
)

router = APIRouter(prefix="/api/v1/resources", tags=["resources"])
ITEM = "/{resource_id:uuid}"
routes = ResourceRoutes(router, ResourceOut, item=ITEM)
# A resource's rules: 404 on every route for a resource that is not there.
rules = ResourceRoutes(router, RuleOut, collection=ITEM + "/availability-rules", item="/{rule_id:uuid}")
Tags = Annotated[list[str] | None, Query(description="every tag given must be on the resource")]
PAYMENT = (
    "`payment` `{required: deposit|full, amount, currency, hold}` makes every booking of the resource "
    "wait for its payment: the booking is held for `hold` (ISO 8601, PT10S to P7D, default PT30M) with a "
    "finalized invoice of `amount` (a decimal string with at most the currency's digits, else 422 "
    "`payment.amount`) for the customer it names; the payment that makes the invoice paid confirms it."
)
Kind = Annotated[Literal["room", "equipment", "person", "other"] | None, Query()]


def _replaced(
    session: Session, ctx: TenantContext, resource_id: uuid.UUID, body: ResourceBody
) -> JSONResponse:
    """The resource replaced by ``body``, its payment terms with it; answered as it now is."""
    changed = resources.replace(session, ctx, resource_id, body, payment=terms_of(body))
    return respond(success(resource_out(changed)))


@routes.create(
    summary="Create a resource: kind, capacity, IANA timezone, tags, buffers as ISO 8601 durations",
    description=PAYMENT,
)
def create_resource(body: ResourceBody, ctx: Ctx, session: Db) -> JSONResponse:
    out = resource_out(resources.create(session, ctx, body, payment=terms_of(body)))
    return respond(success(out), status_code=201, headers={"Location": f"/api/v1/resources/{out['id']}"})


@routes.listing(summary="List resources, newest first: ?tag=surgeon (repeatable, all must match), ?kind=room")
def list_resources(
    ctx: Ctx,
    session: Db,
    tag: Tags = None,
    kind: Kind = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> JSONResponse:
    rows, next_cursor = resources.list_resources(
        session, ctx, tags=tag, kind=kind, limit=limit, cursor=cursor
    )
    data = [resource_out(r) for r in rows]
    return respond(page(data, limit=clamp_limit(limit), next_cursor=next_cursor))


@routes.read()
def get_resource(resource_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(resource_out(resources.get(session, ctx, resource_id))))


@routes.put(
    summary="Replace the resource; existing bookings are kept as they are",
    description=PAYMENT + " Replaced without `payment`, the resource is booked without payment from now on.",
)
def replace_resource(resource_id: uuid.UUID, body: ResourceBody, ctx: Ctx, session: Db) -> JSONResponse:
    return _replaced(session, ctx, resource_id, body)


class ResourcePatch(BaseModel):
    """Only the fields sent change; each is then checked as in a replace (``ResourceBody``)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    kind: str | None = None
    description: str | None = None
    capacity: int | None = None
    timezone: str | None = None
    tags: list[str] | None = Field(default=None, max_length=50)
    buffer_before: str | None = None
    buffer_after: str | None = None
    minimum_notice: str | None = None
    user_id: uuid.UUID | None = None
    entity_id: uuid.UUID | None = None
    payment: dict[str, Any] | None = Field(default=None, description="the payment terms, or null for none")


def _patched(current: dict[str, Any], body: ResourcePatch) -> ResourceBody:
    """The resource as it is, with the fields sent: a bad one is a 422 naming it, nothing changed."""
    kept = {name: current[name] for name in (*ResourceIn.model_fields, "payment")}
    try:
        return ResourceBody.model_validate(kept | body.model_dump(exclude_unset=True))
    except PydanticValidationError as exc:
        raise ValidationFailed.from_pydantic(exc) from None


@routes.patch(
    summary="Change some fields of the resource (e.g. only its payment terms); the others stay",
    description=PAYMENT + ' `"payment": null` removes the terms; bookings already held keep their invoice.',
)
def patch_resource(resource_id: uuid.UUID, body: ResourcePatch, ctx: Ctx, session: Db) -> JSONResponse:
    current = resource_out(resources.get(session, ctx, resource_id))
    return _replaced(session, ctx, resource_id, _patched(current, body))


@routes.delete(summary="Soft delete: gone from lists, availability and new bookings; existing bookings stay")
def delete_resource(resource_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(resource_out(resources.delete(session, ctx, resource_id))))


@rules.create(
    404,
    summary="Add a rule in the resource's local wall time. weekly {weekdays, start, end}; override "
    "{date, start, end} or {date, closed: true}; closure {rrule, dtstart, exdates, start?, end?}; "
    "block {starts_at, ends_at}",
)
def add_rule(resource_id: uuid.UUID, body: RuleIn, ctx: Ctx, session: Db) -> JSONResponse:
    out = rule_out(resources.add_rule(session, ctx, resource_id, body))
    location = f"/api/v1/resources/{resource_id}/availability-rules/{out['id']}"
    return respond(success(out), status_code=201, headers={"Location": location})


@rules.listing(404, summary="The resource's rules, oldest first")
def list_rules(resource_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success([rule_out(r) for r in resources.list_rules(session, ctx, resource_id)]))


@rules.delete(summary="Remove a rule")
def delete_rule(resource_id: uuid.UUID, rule_id: uuid.UUID, ctx: Ctx, session: Db) -> JSONResponse:
    return respond(success(rule_out(resources.delete_rule(session, ctx, resource_id, rule_id))))
