"""Reports: a saved table over one analytics source (``sources.SOURCES``): its columns (the source's
dimensions, fields and ``time``, or with ``group_by`` the grouped dimensions and aggregates of fields),
filters on dimensions, and an order; checked against the source when saved, nothing stored when refused.

A report's rows are read in keyset pages (``page_select``): the order asked, then the fact's key (the
first table's id, or the grouped values) so that every row has one place and a page starts strictly
after the last row of the previous one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from db.models.analytics import Report
from domain.analytics import service
from domain.analytics.facts import compare
from domain.analytics.schemas import ReportColumn, ReportIn, ReportOut, ReportPatch
from domain.analytics.sources import SOURCES, Source
from domain.context import TenantContext
from domain.errors import FieldError, ValidationFailed
from domain.outputs import from_row
from domain.pagination import lister
from domain.queries import get_or_404, touch

TIME = "time"
"""The column naming when a fact happened (the source's time), in every source."""
QUERY = ("source", "columns", "filters", "group_by", "sort")


def _out(row: Report) -> ReportOut:
    return from_row(ReportOut, row)


listing = lister(Report, _out, service.READ)
"""The tenant's reports, newest first."""


def _column_errors(source: Source, grouped: list[str], i: int, col: ReportColumn) -> list[FieldError]:
    known = {TIME, *source.dimensions, *source.fields}
    if col.field not in known:
        return [
            FieldError(f"columns.{i}", f"'{col.field}' is not a dimension nor a field of '{source.name}'")
        ]
    if not grouped and col.agg is not None:
        return [FieldError(f"columns.{i}.agg", "an aggregate needs group_by")]
    if grouped and col.agg is None and col.field not in grouped:
        return [FieldError(f"columns.{i}", f"'{col.field}' is not grouped by: give it an aggregate")]
    if col.agg not in (None, "count") and col.field not in source.fields:
        return [FieldError(f"columns.{i}.agg", f"'{col.agg}' takes a field: {', '.join(source.fields)}")]
    return []


def check(body: ReportIn) -> None:
    """What is wrong with the report for its source, every field named (``columns.N``, …)."""
    source = SOURCES.get(body.source)
    if source is None:
        raise ValidationFailed.one("source", f"'{body.source}' is not a source: {', '.join(SOURCES)}")
    wrong = [
        FieldError(f"group_by.{i}", f"'{name}' is not a dimension of '{source.name}'")
        for i, name in enumerate(body.group_by)
        if name not in source.dimensions
    ]
    wrong += [
        FieldError(f"group_by.{i}", "repeated")
        for i, name in enumerate(body.group_by)
        if name in body.group_by[:i]
    ]
    labels: list[str] = []
    for i, col in enumerate(body.columns):
        wrong += _column_errors(source, body.group_by, i, col)
        if col.label in labels:
            wrong.append(FieldError(f"columns.{i}", f"'{col.label}' is already a column"))
        labels.append(col.label)
    wrong += [
        FieldError(f"filters.{i}.dimension", f"'{f.dimension}' is not a dimension of '{source.name}'")
        for i, f in enumerate(body.filters)
        if f.dimension not in source.dimensions
    ]
    wrong += [
        FieldError(f"sort.{i}.column", f"'{s.column}' is not a column: {', '.join(labels)}")
        for i, s in enumerate(body.sort)
        if s.column not in labels
    ]
    if wrong:
        raise ValidationFailed(wrong)


def _query(body: ReportIn) -> dict[str, Any]:
    return body.model_dump(mode="json", include=set(QUERY))


def create(session: Session, ctx: TenantContext, body: ReportIn) -> ReportOut:
    ctx.require(service.WRITE)
    check(body)
    row = Report(tenant_id=ctx.tenant_id, name=body.name, description=body.description, **_query(body))
    session.add(row)
    session.flush()
    return _out(row)


def row_of(session: Session, ctx: TenantContext, report_id: uuid.UUID, *, for_update: bool = False) -> Report:
    return get_or_404(session, ctx, Report, report_id, "report", for_update=for_update)


def get(session: Session, ctx: TenantContext, report_id: uuid.UUID) -> ReportOut:
    ctx.require(service.READ)
    return _out(row_of(session, ctx, report_id))


def update(
    session: Session, ctx: TenantContext, report_id: uuid.UUID, body: ReportPatch, check_etag: Any
) -> ReportOut:
    """The fields sent changed, the whole checked again; ``check_etag(current)`` refuses a stale
    ``If-Match`` first."""
    ctx.require(service.WRITE)
    row = row_of(session, ctx, report_id, for_update=True)
    current = _out(row)
    check_etag(current)
    sent = body.model_dump(mode="json", include=body.model_fields_set)
    merged = ReportIn.model_validate(query_of(current).model_dump(mode="json") | sent)
    check(merged)
    for name, value in _query(merged).items():
        setattr(row, name, value)
    row.name, row.description = merged.name, merged.description
    touch(session, row)
    return _out(row)


def delete(session: Session, ctx: TenantContext, report_id: uuid.UUID) -> ReportOut:
    ctx.require(service.WRITE)
    row = row_of(session, ctx, report_id, for_update=True)
    row.deleted_at = datetime.now(UTC)
    session.flush()
    return _out(row)


# -- rows ---------------------------------------------------------------------------------------
def _expr(source: Source, name: str) -> ColumnElement[Any]:
    if name == TIME:
        return source.time
    if name in source.fields:
        return source.fields[name].expr
    return source.dimension(name)


def _figure(source: Source, col: ReportColumn) -> ColumnElement[Any]:
    if col.agg is None:
        return _expr(source, col.field)
    value = _expr(source, col.field)
    figure: ColumnElement[Any] = getattr(func, col.agg)(value)  # count, sum, avg, min or max
    return figure


def _after(keys: list[tuple[ColumnElement[Any], bool]], last: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``last`` in the order of ``keys`` (expression, descending), NULLs last in
    either direction: the keyset of the next page."""
    clause: ColumnElement[bool] = false()
    for i in reversed(range(len(keys))):
        expr, desc = keys[i]
        value = last[i]
        if value is None:
            later: ColumnElement[bool] = false()
            same: ColumnElement[bool] = expr.is_(None)
        else:
            later = or_(expr < value if desc else expr > value, expr.is_(None))
            same = expr == value
        clause = or_(later, and_(same, clause))
    return clause


def page_select(
    ctx: TenantContext,
    body: ReportIn,
    start: datetime | None,
    end: datetime | None,
    size: int | None,
    last: list[Any] | None,
) -> Select[Any]:
    """One page of the report's rows (its columns, then the keyset key), after ``last`` (the key of the
    previous page's last row), facts in [start, end)."""
    source = SOURCES[body.source]
    labels = {c.label: _figure(source, c) for c in body.columns}
    grouped = [source.dimension(d) for d in body.group_by]
    tail = grouped if body.group_by else [source.key]
    keys = [(labels[s.column], s.direction == "desc") for s in body.sort] + [(e, False) for e in tail]
    ordered = [(e.desc() if d else e.asc()).nulls_last() for e, d in keys]
    picked = [compare(source.dimension(f.dimension), f) for f in body.filters]
    span = [source.time >= start] if start else []
    span += [source.time < end] if end else []
    query = (
        select(
            *(e.label(name) for name, e in labels.items()),
            *(e.label(f"_k{i}") for i, (e, _) in enumerate(keys)),
        )
        .select_from(source.joined)
        .where(*source.scope(ctx), *picked, *span)
    )
    after = _after(keys, last) if last is not None else true()
    query = query.group_by(*grouped).having(after) if body.group_by else query.where(after)
    return query.order_by(*ordered).limit(size)


def query_of(out: ReportOut) -> ReportIn:
    """The report as it was saved, to run."""
    return ReportIn.model_validate(out.model_dump(mode="json", include={"name", "description", *QUERY}))
