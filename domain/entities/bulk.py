"""Bulk writes: up to 1,000 creates, replaces or deletes in one request, a result per item.

Each item runs in its own SAVEPOINT through the single-record functions (same validation, keys,
history and audit), so a bad item rolls back alone. ``atomic`` keeps every item's result but
raises at the end when any failed, and the caller's transaction writes nothing. The whole request
announces itself with one ``entity.batch_changed`` event instead of one event per record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from db.models import Entity, EntityType
from domain.context import TenantContext
from domain.entities import service as records
from domain.entities.schemas import EntityIn
from domain.errors import DomainError, FieldError, NotFound, ValidationFailed
from domain.events import service as events

MAX_ITEMS = 1000
Operation = Literal["create", "replace", "delete"]


class ItemError(BaseModel):
    code: str
    message: str
    fields: list[dict[str, Any]] = []


class ItemResult(BaseModel):
    index: int
    status: Literal["created", "updated", "deleted", "error", "rolled_back"] = Field(
        description="rolled_back: a good item of an atomic request that failed; it was not written"
    )
    id: uuid.UUID | None = None
    error: ItemError | None = None


class BulkFailed(ValidationFailed):
    """An atomic request with at least one bad item: nothing was written."""

    def __init__(self, results: list[ItemResult]) -> None:
        bad = [r for r in results if r.error is not None]
        fields = [
            FieldError(f"/items/{r.index}{f.get('field', '')}", f.get("message", r.error.message))
            for r in bad
            if r.error is not None
            for f in (r.error.fields or [{"message": r.error.message}])
        ]
        super().__init__(fields, f"{len(bad)} of {len(results)} items failed; nothing was written.")
        self.details["results"] = [r.model_dump(mode="json") for r in results]


def apply(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    operation: Operation,
    items: list[Any],
    *,
    atomic: bool = False,
    on_duplicate: str = "reject",
) -> list[ItemResult]:
    """Run ``operation`` on each item; raises BulkFailed when ``atomic`` and any item failed."""
    ctx.require("entities:write")
    if len(items) > MAX_ITEMS:
        raise ValidationFailed.one("items", f"at most {MAX_ITEMS} items per request")
    step: Callable[[Any], tuple[str, Entity]] = {
        "create": lambda item: ("created", _create(session, ctx, etype, item, on_duplicate)),
        "replace": lambda item: _replace(session, ctx, etype, item, on_duplicate),
        "delete": lambda item: ("deleted", _delete(session, ctx, etype, item)),
    }[operation]
    results: list[ItemResult] = []
    for index, item in enumerate(items):
        try:
            with session.begin_nested():
                status, entity = step(item)
        except DomainError as exc:
            results.append(ItemResult(index=index, status="error", error=_error_of(exc)))
            continue
        results.append(ItemResult(index=index, status=status, id=entity.id))
    if atomic and any(r.error is not None for r in results):
        # The transaction rolls back: no item was written, so none reports a status or id it lost.
        raise BulkFailed(
            [r if r.error is not None else ItemResult(index=r.index, status="rolled_back") for r in results]
        )
    changed = [str(r.id) for r in results if r.id is not None]
    if changed:
        events.emit(
            session, ctx, "entity.batch_changed", {"type": etype.name, "ids": changed, "source": "bulk"}
        )
    return results


def counts(results: list[ItemResult]) -> dict[str, int]:
    out = {"created": 0, "updated": 0, "deleted": 0, "failed": 0}
    for r in results:
        out["failed" if r.status == "error" else r.status] += 1
    return out


def _entity_in(item: Any) -> EntityIn:
    if not isinstance(item, dict):
        raise ValidationFailed.one("/", "must be an object with attributes")
    try:
        return EntityIn.model_validate(item)
    except PydanticValidationError as exc:
        raise ValidationFailed(
            [
                FieldError("/" + "/".join(str(p) for p in e["loc"]), e["msg"].removeprefix("Value error, "))
                for e in exc.errors()
            ]
        ) from exc


def _create(session: Session, ctx: TenantContext, etype: EntityType, item: Any, on_duplicate: str) -> Entity:
    return records.create(session, ctx, etype, _entity_in(item), on_duplicate=on_duplicate, emit=False)


def _replace(
    session: Session, ctx: TenantContext, etype: EntityType, item: Any, on_duplicate: str
) -> tuple[str, Entity]:
    """By ``id``: replace that record. By ``external_id`` alone: replace its record, or create it."""
    if not isinstance(item, dict) or ("id" not in item and not item.get("external_id")):
        raise ValidationFailed.one("/id", "give the record's id or external_id")
    body = {k: v for k, v in item.items() if k != "id"}
    data = _entity_in(body)
    if "id" in item:
        entity_id = _uuid(item["id"])
        return "updated", records.replace(session, ctx, etype, entity_id, data, emit=False)
    assert data.external_id is not None
    try:
        existing = records.by_external_id(session, ctx, etype, data.external_id)
    except NotFound:
        return "created", records.create(session, ctx, etype, data, on_duplicate=on_duplicate, emit=False)
    return "updated", records.replace(session, ctx, etype, existing.id, data, emit=False)


def _delete(session: Session, ctx: TenantContext, etype: EntityType, item: Any) -> Entity:
    ident = item.get("id") if isinstance(item, dict) else item
    return records.delete(session, ctx, etype, _uuid(ident), emit=False)


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed.one("/id", "must be a UUID") from None


def _error_of(exc: DomainError) -> ItemError:
    fields = exc.details.get("fields") if isinstance(exc.details.get("fields"), list) else []
    return ItemError(code=exc.code, message=exc.message, fields=fields or [])
