"""Listing records: typed filters on attributes, status and time ranges, any sort, keyset cursors.

``filter[city]=Paris`` and ``filter[age][gte]=30`` compare with the attribute's JSON Schema type
(numbers numerically). Equality uses JSONB containment, which the GIN index on ``attributes`` serves.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Numeric, Select, and_, false, literal, not_, or_
from sqlalchemy.orm import Session

from db.models import Entity, EntityType
from domain import cursors
from domain.context import TenantContext
from domain.entities import validation
from domain.entities.errors import ValidationFailed
from domain.errors import PermissionDenied
from domain.instants import out_of_range
from domain.pagination import clamp_limit
from domain.queries import live

FILTER = re.compile(r"^filter\[([^\[\]]+)\](?:\[([a-z]+)\])?$")
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "exists")
MAX_VALUES = 250  # values of one filter (in=a,b,… or repeated): each is a clause of the query
MAX_EXPONENT = 300  # decimal exponent of a numeric filter value; doubles cannot go beyond 1e308
COLUMNS: dict[str, Any] = {"created_at": Entity.created_at, "updated_at": Entity.updated_at}
RANGES = {
    "created_after": (Entity.created_at, ">="),
    "created_before": (Entity.created_at, "<"),
    "updated_after": (Entity.updated_at, ">="),
    "updated_before": (Entity.updated_at, "<"),
}


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    values: tuple[Any, ...]


@dataclass
class ListQuery:
    filters: list[Filter] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    ranges: dict[str, datetime] = field(default_factory=dict)
    sort: str = "created_at"
    descending: bool = True
    include_deleted: bool = False
    external_id: str | None = None


def _kind(prop: dict[str, Any]) -> str:
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return kind if kind in ("integer", "number", "boolean", "string") else "json"


def _typed(name: str, kind: str, raw: str) -> Any:
    if kind in ("integer", "number"):
        try:
            number = Decimal(raw)
        except InvalidOperation as exc:
            raise ValidationFailed.one(f"filter[{name}]", f"'{raw}' is not a number") from exc
        # NaN, infinities and huge exponents (1e999999) are no JSON number PostgreSQL could compare.
        if not number.is_finite() or not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
            raise ValidationFailed.one(f"filter[{name}]", f"'{raw[:40]}' is not a number a record can hold")
        return int(number) if kind == "integer" and number == number.to_integral_value() else number
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise ValidationFailed.one(f"filter[{name}]", "must be true or false")
        return raw == "true"
    return raw


def _time(name: str, raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailed.one(name, "must be an ISO 8601 date-time") from exc
    if value.tzinfo is None:
        raise ValidationFailed.one(name, "must carry a time zone offset (e.g. Z)")
    if (problem := out_of_range(value)) is not None:
        raise ValidationFailed.one(name, problem)
    return value


def parse_query(
    etype: EntityType, params: Iterable[tuple[str, str]], ctx: TenantContext | None = None
) -> ListQuery:
    """The list/export query from the URL's parameters; each mistake is a 422 naming the parameter."""
    props = validation.properties_of(etype.schema)
    query = ListQuery()
    grouped: dict[tuple[str, str], list[str]] = {}
    for key, raw in params:
        match = FILTER.match(key)
        if match:
            name, op = match.group(1), match.group(2) or "eq"
            if name not in props:
                raise ValidationFailed.one(key, f"'{name}' is not an attribute of {etype.name}")
            if op not in OPERATORS:
                raise ValidationFailed.one(key, f"unknown operator '{op}' (use {', '.join(OPERATORS)})")
            grouped.setdefault((name, op), []).append(raw)
        elif key.startswith("filter"):
            raise ValidationFailed.one(
                key, "write filters as filter[attribute]=value or filter[attribute][op]=value"
            )
        elif key == "status":
            query.statuses += [_status(etype, s) for s in raw.split(",") if s]
        elif key in RANGES:
            query.ranges[key] = _time(key, raw)
        elif key == "sort":
            _sort(etype, props, query, raw)
        elif key == "include_deleted":
            query.include_deleted = _flag(key, raw)
        elif key == "external_id":
            query.external_id = raw
    for (name, op), raws in grouped.items():
        kind = _kind(props[name])
        if op == "exists":
            query.filters.append(Filter(name, op, (_flag(f"filter[{name}][exists]", raws[-1]),)))
            continue
        if op in ("gt", "gte", "lt", "lte") and kind not in ("integer", "number", "string"):
            raise ValidationFailed.one(f"filter[{name}][{op}]", f"'{name}' cannot be compared with {op}")
        if kind == "json":
            raise ValidationFailed.one(
                f"filter[{name}]", f"'{name}' is an object or array and cannot be filtered"
            )
        pieces = [p for raw in raws for p in (raw.split(",") if op == "in" else [raw])]
        if len(pieces) > MAX_VALUES:
            raise ValidationFailed.one(f"filter[{name}][{op}]", f"at most {MAX_VALUES} values")
        values = tuple(_typed(name, kind, p) for p in pieces)
        if op == "eq" and len(values) > 1:
            op = "in"
        query.filters.append(Filter(name, op, values))
    if query.include_deleted and ctx is not None and not ctx.is_admin:
        raise PermissionDenied("Only administrators may list deleted records (include_deleted=true).")
    return query


_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


def _flag(name: str, raw: str) -> bool:
    """A yes/no parameter; anything else is a 422 rather than a silent false."""
    if raw.lower() in _TRUE + _FALSE:
        return raw.lower() in _TRUE
    raise ValidationFailed.one(name, f"must be true or false, not '{raw}'")


def _status(etype: EntityType, raw: str) -> str:
    if etype.statuses and raw not in etype.statuses:
        raise ValidationFailed.one(
            "status", f"'{raw}' is not a status of {etype.name} ({', '.join(etype.statuses)})"
        )
    return raw


def _sort(etype: EntityType, props: dict[str, Any], query: ListQuery, raw: str) -> None:
    # One optional direction sign: "-" descending; "+" (or the space a URL's "+" decodes to) ascending.
    name = raw[1:] if raw[:1] in ("-", "+", " ") else raw
    if name not in props and name not in COLUMNS:
        raise ValidationFailed.one(
            "sort", f"'{name}' is not an attribute of {etype.name} (nor created_at/updated_at)"
        )
    if name in props and _kind(props[name]) == "json":
        raise ValidationFailed.one("sort", f"'{name}' is an object or array and cannot be sorted on")
    query.sort, query.descending = name, raw.startswith("-")


def _expression(etype: EntityType, name: str) -> ColumnElement[Any]:
    if name in COLUMNS:
        column: ColumnElement[Any] = COLUMNS[name]
        return column
    kind = _kind(validation.properties_of(etype.schema)[name])
    text_value = Entity.attributes[name].astext
    if kind in ("integer", "number"):
        return text_value.cast(Numeric)
    if kind == "boolean":
        return text_value.cast(Boolean)
    return text_value


def _condition(etype: EntityType, f: Filter) -> ColumnElement[bool]:
    if f.op == "exists":
        has = Entity.attributes.has_key(f.field)
        return has if f.values[0] else not_(has)
    if f.op in ("eq", "in", "ne"):
        contains = [Entity.attributes.contains({f.field: _json(v)}) for v in f.values]
        matched = or_(*contains) if contains else false()
        return not_(matched) if f.op == "ne" else matched
    expr = _expression(etype, f.field)
    value = f.values[-1]
    return {"gt": expr > value, "gte": expr >= value, "lt": expr < value, "lte": expr <= value}[f.op]


def _json(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def select_entities(ctx: TenantContext, etype: EntityType, query: ListQuery) -> Select[Any]:
    """The filtered statement (no order, no limit): the list pages it, the export streams it."""
    stmt = live(ctx, Entity, deleted=query.include_deleted).where(Entity.type_id == etype.id)
    if query.external_id is not None:
        stmt = stmt.where(Entity.external_id == query.external_id)
    if query.statuses:
        stmt = stmt.where(Entity.status.in_(query.statuses))
    for name, when in query.ranges.items():
        column, op = RANGES[name]
        stmt = stmt.where(column >= when if op == ">=" else column < when)
    for f in query.filters:
        stmt = stmt.where(_condition(etype, f))
    return stmt


def _encode(sort: str, value: Any, ident: uuid.UUID) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = str(value)
    raw = json.dumps({"s": sort, "v": value, "id": str(ident)})
    return cursors.seal("entities", raw.encode())


def _decode(cursor: str, query: ListQuery, etype: EntityType) -> tuple[Any, uuid.UUID]:
    try:
        data = json.loads(cursors.unseal("entities", cursor))
        sort_key = ("-" if query.descending else "") + query.sort
        if data["s"] != sort_key:
            raise ValidationFailed.one("cursor", "belongs to another sort order; start again without cursor")
        value, ident = data["v"], uuid.UUID(data["id"])
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationFailed.one("cursor", "is not a cursor this API returned") from exc
    if value is not None and query.sort in COLUMNS:
        value = datetime.fromisoformat(value)
    elif value is not None and query.sort not in COLUMNS:
        kind = _kind(validation.properties_of(etype.schema)[query.sort])
        if kind in ("integer", "number"):
            value = Decimal(str(value))
    return value, ident


def _after(expr: ColumnElement[Any], value: Any, ident: uuid.UUID, descending: bool) -> ColumnElement[bool]:
    """Rows after the cursor in (expr, id) order with nulls last, in either direction (as ORDER BY is)."""
    later_id = Entity.id < ident if descending else Entity.id > ident
    if value is None:  # the cursor is among the records without the attribute: only they remain
        return and_(expr.is_(None), later_id)
    bound = literal(value, expr.type)  # a bound parameter: True/False compare with < and > too
    beyond = expr < bound if descending else expr > bound
    return or_(beyond, and_(expr == bound, later_id), expr.is_(None))


def list_entities(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    query: ListQuery,
    *,
    limit: int | None,
    cursor: str | None,
) -> tuple[list[Entity], str | None]:
    ctx.require("entities:read")
    size = clamp_limit(limit)
    expr = _expression(etype, query.sort)
    stmt = select_entities(ctx, etype, query)
    if cursor is not None:
        value, ident = _decode(cursor, query, etype)
        stmt = stmt.where(_after(expr, value, ident, query.descending))
    if query.descending:
        order = [expr.desc().nulls_last(), Entity.id.desc()]
    else:
        order = [expr.asc().nulls_last(), Entity.id.asc()]
    if query.sort in COLUMNS:  # never null: plain order, which the listing index serves
        order = [expr.desc() if query.descending else expr.asc(), order[1]]
    rows = list(session.scalars(stmt.order_by(*order).limit(size + 1)))
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        value = getattr(last, query.sort) if query.sort in COLUMNS else _sort_value(etype, query.sort, last)
        sort_key = ("-" if query.descending else "") + query.sort
        next_cursor = _encode(sort_key, value, last.id)
    return rows, next_cursor


def _sort_value(etype: EntityType, name: str, entity: Entity) -> Any:
    value = entity.attributes.get(name)
    kind = _kind(validation.properties_of(etype.schema)[name])
    if value is None:
        return None
    if kind == "boolean":
        return bool(value)
    return value if kind in ("integer", "number") else str(value)
