"""A tenant's prediction models: trained on its own history (at most the newest ``MAX_PROCESSES``
processes or ``MAX_BOOKINGS`` bookings), stored signed, retrained by the ``analytics-models``
housekeeping job, and trained on demand when a prediction finds none (or one that predates enough
history for what is asked). Reading needs ``analytics:read``."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import String, case, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import Allocation, Booking, Process, SlaBreach, Task
from db.models.analytics_predictions import AnalyticsModel
from domain.analytics import answers
from domain.analytics.predictions import features as f
from domain.analytics.predictions import training
from domain.analytics.predictions.schemas import (
    CompletionPrediction,
    Kind,
    ModelInfo,
    NoShowPrediction,
    Remaining,
)
from domain.analytics.predictions.training import CompletionModel, InsufficientHistory, NoShowModel
from domain.analytics.service import READ
from domain.context import TenantContext
from domain.errors import Conflict
from domain.queries import get_or_404, mine

log = logging.getLogger("keel.analytics")
MIN_PROCESSES = 50  # ended processes of the definition asked about
MIN_BOOKINGS = 100  # bookings whose outcome is known
MAX_PROCESSES = 12_500  # 4 snapshots each: at most 50,000 training rows
MAX_BOOKINGS = 50_000
TENANT = "tenant"  # the key of a tenant-wide model
KINDS: tuple[Kind, ...] = ("process_completion", "no_show")


# -- reading the history --------------------------------------------------------------------------
def _process_rows(session: Session, ctx: TenantContext, chosen: Any) -> list[f.ProcessRow]:
    """``chosen``: a select of process ids. Each with its tasks (open to closed) and its first breach."""
    tasks: dict[uuid.UUID, list[tuple[datetime, datetime | None]]] = {}
    closed = func.coalesce(Task.completed_at, Task.updated_at)
    for pid, opened, ended, status in session.execute(
        select(Task.process_id, Task.created_at, closed, Task.status).where(
            *mine(ctx, Task), Task.process_id.in_(chosen)
        )
    ):
        tasks.setdefault(pid, []).append((opened, None if status == "open" else ended))
    breaches = dict(
        session.execute(
            select(SlaBreach.process_id, func.min(SlaBreach.breached_at))
            .where(*mine(ctx, SlaBreach), SlaBreach.process_id.in_(chosen))
            .group_by(SlaBreach.process_id)
        ).all()
    )
    rows = session.execute(
        select(
            Process.id, Process.definition, Process.definition_version, Process.created_at, Process.ended_at
        )
        .where(*mine(ctx, Process), Process.id.in_(chosen))
        .order_by(Process.ended_at, Process.id)
    )
    return [
        f.ProcessRow(pid, d, v, start, end, breaches.get(pid), tuple(tasks.get(pid, ())))
        for pid, d, v, start, end in rows
    ]


def _with_sla(session: Session, ctx: TenantContext, definitions: Sequence[str]) -> set[str]:
    """Definitions whose processes have had tasks with a due date: those a breach can be predicted for."""
    return set(
        session.scalars(
            select(Process.definition)
            .distinct()
            .join(Task, Task.process_id == Process.id)
            .where(
                *mine(ctx, Process),
                *mine(ctx, Task),
                Task.due_at.is_not(None),
                Process.definition.in_(definitions),
            )
        )
    )


def _ended_count(session: Session, ctx: TenantContext, definition: str) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                *mine(ctx, Process), Process.definition == definition, Process.ended_at.is_not(None)
            )
        )
        or 0
    )


def _booking_rows(
    session: Session, ctx: TenantContext, *where: Any, limit: int = MAX_BOOKINGS
) -> list[f.BookingRow]:
    """Bookings (newest ``limit`` by start, answered oldest first) with their first resource."""
    resource = (
        select(func.min(Allocation.resource_id.cast(String)))
        .where(*mine(ctx, Allocation), Allocation.booking_id == Booking.id)
        .scalar_subquery()
    )
    newest = (
        select(
            Booking.id,
            Booking.created_at,
            Booking.start_at,
            Booking.end_at,
            Booking.status,
            Booking.entity_id,
            resource,
        )
        .where(*mine(ctx, Booking), *where)
        .order_by(Booking.start_at.desc(), Booking.id.desc())
        .limit(limit)
    )
    rows = [
        f.BookingRow(i, made, start, end, status, str(person) if person else None, res)
        for i, made, start, end, status, person, res in session.execute(newest)
    ]
    return rows[::-1]


KNOWN = Booking.status.in_((f.NO_SHOW, f.ATTENDED))


# -- storing models -----------------------------------------------------------------------------
def _info(row: AnalyticsModel) -> ModelInfo:
    return ModelInfo(kind=row.kind, trained_at=row.trained_at, samples=row.samples, quality=row.quality)


def _load(session: Session, ctx: TenantContext, secret: str, kind: Kind) -> tuple[Any, ModelInfo] | None:
    row = session.scalar(
        select(AnalyticsModel).where(
            *mine(ctx, AnalyticsModel), AnalyticsModel.kind == kind, AnalyticsModel.key == TENANT
        )
    )
    if row is None:
        return None
    try:
        return training.unseal(secret, ctx.tenant_id, kind, TENANT, row.blob), _info(row)
    except training.TamperedModel:
        log.error(
            "a stored model failed its signature check; training again",
            extra={"tenant_id": str(ctx.tenant_id), "kind": kind},
        )
        return None


def _store(
    session: Session,
    ctx: TenantContext,
    secret: str,
    kind: Kind,
    model: object,
    samples: int,
    quality: training.Quality,
) -> ModelInfo:
    now = datetime.now(UTC)
    values = {
        "trained_at": now,
        "samples": samples,
        "quality": quality,
        "blob": training.seal(secret, ctx.tenant_id, kind, TENANT, model),
        "updated_at": now,
    }
    stmt = insert(AnalyticsModel).values(
        id=uuid.uuid4(), tenant_id=ctx.tenant_id, kind=kind, key=TENANT, **values
    )
    session.execute(
        stmt.on_conflict_do_update(constraint="uq_analytics_models_tenant_id_kind_key", set_=values)
    )
    return ModelInfo(kind=kind, trained_at=now, samples=samples, quality=quality)


# -- training -----------------------------------------------------------------------------------
def _train_completion(session: Session, ctx: TenantContext, secret: str) -> tuple[CompletionModel, ModelInfo]:
    chosen = (
        select(Process.id)
        .where(*mine(ctx, Process), Process.ended_at.is_not(None))
        .order_by(Process.ended_at.desc())
        .limit(MAX_PROCESSES)
    )
    rows = _process_rows(session, ctx, chosen.scalar_subquery())
    if len(rows) < MIN_PROCESSES:
        raise InsufficientHistory("ended processes", len(rows), MIN_PROCESSES)
    model, quality = training.train_completion(
        rows, _with_sla(session, ctx, sorted({r.definition for r in rows}))
    )
    return model, _store(session, ctx, secret, "process_completion", model, len(rows), quality)


def _train_no_show(session: Session, ctx: TenantContext, secret: str) -> tuple[NoShowModel, ModelInfo]:
    rows = _booking_rows(session, ctx, KNOWN)
    if len(rows) < MIN_BOOKINGS:
        raise InsufficientHistory("bookings with a known outcome", len(rows), MIN_BOOKINGS)
    model, quality = training.train_no_show(rows)
    return model, _store(session, ctx, secret, "no_show", model, len(rows), quality)


def train(session: Session, ctx: TenantContext, secret: str, kind: Kind) -> ModelInfo | None:
    """Train (again) the tenant's model of ``kind``; None when there is too little history."""
    answers.limit_statement(session)
    trainer = _train_completion if kind == "process_completion" else _train_no_show
    try:
        return trainer(session, ctx, secret)[1]
    except InsufficientHistory:
        return None


# -- answering ----------------------------------------------------------------------------------
def process_completion(
    session: Session, ctx: TenantContext, secret: str, process_id: uuid.UUID, *, now: datetime | None = None
) -> CompletionPrediction:
    """When the process should end and how likely it is to miss a due date. An ended process answers its
    actual end (and whether it missed one), without a model."""
    ctx.require(READ)
    process = get_or_404(session, ctx, Process, process_id, "process")
    now = now or datetime.now(UTC)
    (row,) = _process_rows(session, ctx, select(Process.id).where(Process.id == process_id).scalar_subquery())
    with_sla = row.definition in _with_sla(session, ctx, [row.definition])
    note = None if with_sla else "no task of this definition has had a due date"
    if row.ended_at is not None:
        took = (row.ended_at - row.started_at).total_seconds()
        breached = (1.0 if row.first_breach else 0.0) if with_sla else None
        zero = Remaining(expected=0, low=0, high=0)
        return CompletionPrediction(
            process_id=process.id,
            definition=row.definition,
            ended=True,
            started_at=row.started_at,
            elapsed_seconds=took,
            expected_completion_at=row.ended_at,
            completion_interval=(row.ended_at, row.ended_at),
            remaining_seconds=zero,
            breach_probability=breached,
            breach_note=note,
            model=None,
        )
    have = _ended_count(session, ctx, row.definition)
    if have < MIN_PROCESSES:
        raise InsufficientHistory(f"ended processes of '{row.definition}'", have, MIN_PROCESSES)
    loaded = _load(session, ctx, secret, "process_completion")
    if loaded is None or loaded[0].per_definition.get(row.definition, 0) < MIN_PROCESSES:
        answers.limit_statement(session)
        loaded = _train_completion(session, ctx, secret)
    model, info = loaded
    seen = model.per_definition.get(row.definition, 0)
    if seen < MIN_PROCESSES:  # older than the newest MAX_PROCESSES, or among the rarest definitions
        raise InsufficientHistory(f"recent ended processes of '{row.definition}'", seen, MIN_PROCESSES)
    x = np.array([f.process_features(row, now, model.definitions)])
    low, mid, high = (float(v) for v in model.remaining(x)[0])
    if row.first_breach is not None:
        breach: float | None = 1.0
    elif with_sla and model.breach is not None and row.definition in model.with_sla:
        breach = round(float(training.probability(model.breach, x)[0]), 4)
    else:
        breach, note = None, note or "the model has seen no due date of this definition yet"
    return CompletionPrediction(
        process_id=process.id,
        definition=row.definition,
        ended=False,
        started_at=row.started_at,
        elapsed_seconds=(now - row.started_at).total_seconds(),
        expected_completion_at=now + timedelta(seconds=mid),
        completion_interval=(now + timedelta(seconds=low), now + timedelta(seconds=high)),
        remaining_seconds=Remaining(expected=round(mid, 1), low=round(low, 1), high=round(high, 1)),
        breach_probability=breach,
        breach_note=None if breach is not None else note,
        model=info,
    )


def no_show(
    session: Session, ctx: TenantContext, secret: str, booking_id: uuid.UUID, *, now: datetime | None = None
) -> NoShowPrediction:
    """The probability the booking's person does not come. A booking whose outcome is known answers it;
    a cancelled or expired one is a 409 (nobody is expected)."""
    ctx.require(READ)
    booking = get_or_404(session, ctx, Booking, booking_id, "booking")
    if booking.status in ("cancelled", "expired"):
        raise Conflict(
            f"The booking is {booking.status}: nobody is expected to come.", {"status": booking.status}
        )
    if booking.status in (f.NO_SHOW, f.ATTENDED):  # known: no model needed, however short the history
        rate = session.scalar(
            select(func.avg(case((Booking.status == f.NO_SHOW, 1.0), else_=0.0))).where(
                *mine(ctx, Booking), KNOWN
            )
        )
        return NoShowPrediction(
            booking_id=booking.id,
            probability=float(booking.status == f.NO_SHOW),
            base_rate=round(float(rate or 0), 5),
            outcome=booking.status,
            model=None,
        )
    loaded = _load(session, ctx, secret, "no_show")
    if loaded is None:
        answers.limit_statement(session)
        loaded = _train_no_show(session, ctx, secret)
    model, info = loaded
    (row,) = _booking_rows(session, ctx, Booking.id == booking_id)
    cut = min(now or datetime.now(UTC), row.start_at)
    past = (
        _booking_rows(session, ctx, KNOWN, Booking.entity_id == booking.entity_id, Booking.end_at <= cut)
        if booking.entity_id
        else []
    )
    p = training.probability(model.classifier, model.matrix([row], f.histories(past)))[0]
    return NoShowPrediction(
        booking_id=booking.id, probability=round(float(p), 4), base_rate=round(model.base_rate, 5), model=info
    )
