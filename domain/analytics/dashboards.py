"""Dashboards: tiles, each a metric, a chart and the query it answers (``series``, or ``value`` for a
``number``), checked against the metric when saved; the shipped operations dashboard every tenant sees
(``definitions/dashboards/operations.yaml``, read-only); and every tile answered at once, a failing tile
answering its error instead of failing the whole."""

from __future__ import annotations

import functools
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.models.analytics import Dashboard
from domain.analytics import answers, service
from domain.analytics.params import check_span, check_where, grain_of, group_of, zone_of
from domain.analytics.schemas import (
    DashboardData,
    DashboardIn,
    DashboardOut,
    DashboardPatch,
    KpiValue,
    Series,
    Tile,
    TileData,
    TileError,
)
from domain.context import TenantContext
from domain.durations import parse_duration
from domain.errors import Conflict, DomainError, FieldError, NotFound, Unavailable, ValidationFailed
from domain.outputs import from_row
from domain.pagination import clamp_limit, encode_cursor, live_page
from domain.queries import get_or_404, touch

log = logging.getLogger("keel.analytics")
SHIPPED = Path(__file__).resolve().parents[2] / "definitions" / "dashboards" / "operations.yaml"
OPERATIONS_ID = uuid.uuid5(uuid.NAMESPACE_URL, "keel:dashboards:operations")
DEFAULT_RANGE = "P7D"
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_FIRST = [datetime(9999, 1, 1, tzinfo=UTC), uuid.UUID(int=(1 << 128) - 1)]
"""The position before every dashboard: where the page after the operations dashboard alone starts."""


@functools.cache
def operations() -> DashboardOut:
    """The shipped operations dashboard (the same for every tenant)."""
    shipped = DashboardIn.model_validate(yaml.safe_load(SHIPPED.read_text()))
    return DashboardOut(
        id=OPERATIONS_ID, **shipped.model_dump(), builtin=True, created_at=_EPOCH, updated_at=_EPOCH
    )


def _out(row: Dashboard) -> DashboardOut:
    return from_row(DashboardOut, row, builtin=False)


def window(tile: Tile, now: datetime) -> tuple[datetime, datetime]:
    """The tile's [from, to): the fixed one, or ``range`` (default P7D) ending now."""
    p = tile.params
    if p.start is not None and p.end is not None:
        return p.start, p.end
    return now - parse_duration(p.range or DEFAULT_RANGE), now


def _check_tile(session: Session, ctx: TenantContext, tile: Tile) -> list[FieldError]:
    """What is wrong with one tile's query for its metric (field names below the tile)."""
    p = tile.params
    try:
        parsed, _ = service.resolve(session, ctx, tile.metric)
    except NotFound:
        return [FieldError("metric", f"'{tile.metric}' is not a metric of the tenant")]
    given = (p.start is not None) + (p.end is not None)
    if given == 1 or (given and p.range is not None):
        return [FieldError("params.range", "give `from` and `to`, or a `range` ending now, not both")]
    try:
        start, end = window(tile, datetime.now(UTC))
    except ValueError as exc:
        return [FieldError("params.range", str(exc))]
    chart = tile.chart != "number"
    try:
        grain = grain_of(parsed, p.grain) if chart else None
        if chart:
            group_of(parsed, p.group_by)
        elif p.grain or p.group_by:
            raise ValidationFailed.one("grain", "a number tile answers one value: no grain nor group_by")
        check_where(parsed, p.filter)
        zone_of(session, ctx, p.timezone)
        check_span(start, end, grain)
    except ValidationFailed as exc:
        return [FieldError(f"params.{f.field.replace('[', '.').rstrip(']')}", f.message) for f in exc.fields]
    return []


def _check(session: Session, ctx: TenantContext, tiles: list[Tile]) -> None:
    wrong = [
        FieldError(f"tiles.{i}.{f.field}", f.message)
        for i, tile in enumerate(tiles)
        for f in _check_tile(session, ctx, tile)
    ]
    if wrong:
        raise ValidationFailed(wrong)


def _tiles(tiles: list[Tile]) -> list[dict[str, Any]]:
    return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tiles]


def create(session: Session, ctx: TenantContext, body: DashboardIn) -> DashboardOut:
    ctx.require(service.WRITE)
    _check(session, ctx, body.tiles)
    row = Dashboard(
        tenant_id=ctx.tenant_id, name=body.name, description=body.description, tiles=_tiles(body.tiles)
    )
    session.add(row)
    session.flush()
    return _out(row)


def get(session: Session, ctx: TenantContext, dashboard_id: uuid.UUID) -> DashboardOut:
    ctx.require(service.READ)
    if dashboard_id == OPERATIONS_ID:
        return operations()
    return _out(get_or_404(session, ctx, Dashboard, dashboard_id, "dashboard"))


def listing(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[DashboardOut], str | None]:
    """The operations dashboard first, then the tenant's, newest first."""
    ctx.require(service.READ)
    size = clamp_limit(limit)
    if cursor is None and size == 1:
        return [operations()], encode_cursor(_FIRST, Dashboard.__tablename__)
    head = [operations()] if cursor is None else []
    rows, next_cursor = live_page(session, ctx, Dashboard, limit=size - len(head), cursor=cursor)
    return head + [_out(r) for r in rows], next_cursor


def _mine(session: Session, ctx: TenantContext, dashboard_id: uuid.UUID) -> Dashboard:
    ctx.require(service.WRITE)
    if dashboard_id == OPERATIONS_ID:
        raise Conflict("The operations dashboard ships with Keel and cannot be changed; create your own.")
    return get_or_404(session, ctx, Dashboard, dashboard_id, "dashboard", for_update=True)


def update(
    session: Session, ctx: TenantContext, dashboard_id: uuid.UUID, body: DashboardPatch, check: Any
) -> DashboardOut:
    """The fields sent changed; ``check(current)`` refuses a stale ``If-Match`` first."""
    row = _mine(session, ctx, dashboard_id)
    check(_out(row))
    sent = body.model_fields_set
    if body.tiles is not None:
        _check(session, ctx, body.tiles)
        row.tiles = _tiles(body.tiles)
    if "name" in sent and body.name is not None:
        row.name = body.name
    if "description" in sent:
        row.description = body.description
    touch(session, row)
    return _out(row)


def delete(session: Session, ctx: TenantContext, dashboard_id: uuid.UUID) -> DashboardOut:
    row = _mine(session, ctx, dashboard_id)
    row.deleted_at = datetime.now(UTC)
    session.flush()
    return _out(row)


def answer(session: Session, ctx: TenantContext, tile: Tile, now: datetime) -> Series | KpiValue:
    p = tile.params
    start, end = window(tile, now)
    if tile.chart == "number":
        return service.value(session, ctx, tile.metric, start, end, timezone=p.timezone, where=p.filter)
    asked = p.model_dump(include={"grain", "group_by", "timezone"})
    return service.series(session, ctx, tile.metric, start, end, where=p.filter, **asked)


def _tile(session: Session, ctx: TenantContext, index: int, tile: Tile, now: datetime) -> TileData:
    out = TileData(index=index, metric=tile.metric, chart=tile.chart)
    try:
        with session.begin_nested():  # a failed statement (a timeout) undoes only this tile's
            return out.model_copy(update={"data": answer(session, ctx, tile, now)})
    except DomainError as exc:
        return out.model_copy(update={"error": TileError(code=exc.code, message=exc.message)})
    except SQLAlchemyError as exc:
        log.warning("a dashboard tile failed", extra={"metric": tile.metric, "error": type(exc).__name__})
        return out.model_copy(
            update={"error": TileError(code=Unavailable.code, message="The tile could not be computed now.")}
        )


def data(session: Session, ctx: TenantContext, dashboard_id: uuid.UUID) -> DashboardData:
    """Every tile of the dashboard, answered now; a tile that fails carries its error."""
    board = get(session, ctx, dashboard_id)
    now = datetime.now(UTC)
    answers.limit_statement(session)  # once for every tile
    tiles = [_tile(session, ctx, i, tile, now) for i, tile in enumerate(board.tiles)]
    return DashboardData(dashboard=board.id, computed_at=now, tiles=tiles)
