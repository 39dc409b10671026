"""The tenant's audit chain: sealing rows in order, and verifying the chain as stored.

``record()`` stays one INSERT in the mutation's transaction and takes no lock, so writers never
queue behind each other. The sealer appends seals afterwards, one tenant at a time (a transaction-level
advisory lock serialises sealers only): rows older than ``SETTLE`` without a seal, in
(created_at, id) order. A row committed late with an earlier ``created_at`` than the last seal
(a long transaction) is sealed after it: the chain's order is ``seq``, which verify follows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text, tuple_
from sqlalchemy.orm import Session

from db.models import AuditLog
from db.models.audit import AuditAnchor, AuditSeal
from domain.audit.canonical import FIELDS, GENESIS, link
from domain.context import TenantContext
from domain.queries import mine

# Rows younger than this wait for the next sealing: most transactions that wrote rows with earlier
# times have committed by then, so seal order stays close to time order.
SETTLE = timedelta(seconds=5)
# A periodic sealing looks this far before the last sealed row for rows committed late.
LOOKBACK = timedelta(hours=1)
BATCH = 1000  # rows read and sealed per statement: memory stays bounded whatever the chain's length
_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('keel-audit-seal:' || :t, 0))"


def _columns() -> list[Any]:
    return [getattr(AuditLog, name) for name in FIELDS]


def _head(session: Session, tenant_id: uuid.UUID) -> tuple[int, str]:
    """The last seal's ``seq`` and hash, else where the anchor says the chain goes on, else genesis."""
    last = session.execute(
        select(AuditSeal.seq, AuditSeal.hash)
        .where(AuditSeal.tenant_id == tenant_id)  # tenant: the sealer is given a tenant, not a caller
        .order_by(AuditSeal.seq.desc())
        .limit(1)
    ).first()
    if last is not None:
        return int(last.seq), str(last.hash)
    anchor = session.get(AuditAnchor, tenant_id)
    if anchor is not None:
        return anchor.seq - 1, anchor.hash
    return 0, GENESIS


def _horizon(session: Session, tenant_id: uuid.UUID) -> tuple[datetime, uuid.UUID] | None:
    """Where a periodic sealing starts looking: ``LOOKBACK`` before the last sealed row's time."""
    last = session.scalar(
        select(AuditLog.created_at)
        .join(AuditSeal, AuditSeal.audit_id == AuditLog.id)
        .where(AuditSeal.tenant_id == tenant_id)  # tenant: the sealer is given a tenant, not a caller
        .order_by(AuditSeal.seq.desc())
        .limit(1)
    )
    return (last - LOOKBACK, uuid.UUID(int=0)) if last is not None else None


def seal(session: Session, tenant_id: uuid.UUID, key: bytes, *, full: bool = False) -> int:
    """Append seals for the tenant's settled, unsealed rows; how many were sealed.

    Rows are read in (created_at, id) keyset batches, so each row is looked at once. A periodic
    sealing starts at ``_horizon``; a ``full`` one (before verify) reads every row, so a row whose
    transaction stayed open longer than ``LOOKBACK`` is still sealed then.
    """
    session.execute(text(_LOCK), {"t": str(tenant_id)})
    seq, prev = _head(session, tenant_id)
    after = None if full else _horizon(session, tenant_id)
    unsealed = ~select(AuditSeal.audit_id).where(AuditSeal.audit_id == AuditLog.id).exists()
    stmt = (
        select(*_columns())
        .where(
            AuditLog.tenant_id == tenant_id,  # tenant: as above; audit rows are never soft-deleted
            AuditLog.created_at < func.now() - SETTLE,
            unsealed,
        )
        .order_by(AuditLog.created_at, AuditLog.id)
        .limit(BATCH)
    )
    sealed = 0
    while True:
        page = stmt if after is None else stmt.where(tuple_(AuditLog.created_at, AuditLog.id) > after)
        rows = session.execute(page).all()
        if not rows:
            return sealed
        seals = []
        for row in rows:
            seq += 1
            digest = link(prev, key, row._mapping)
            seals.append(
                {"tenant_id": tenant_id, "seq": seq, "audit_id": row.id, "prev_hash": prev, "hash": digest}
            )
            prev = digest
        session.execute(insert(AuditSeal), seals)
        sealed += len(seals)
        after = (rows[-1].created_at, rows[-1].id)


@dataclass
class Verdict:
    ok: bool
    sealed: int
    unsealed: int
    first_broken: dict[str, Any] | None


def _links(session: Session, tenant_id: uuid.UUID) -> Iterator[tuple[Any, Any]]:
    """The tenant's seals in ``seq`` order, each with its row (None where it is gone), in batches:
    a range of the seals' primary key, then those rows by theirs."""
    after = -1
    while True:
        seals = session.execute(
            select(AuditSeal.seq, AuditSeal.audit_id, AuditSeal.prev_hash, AuditSeal.hash)
            .where(AuditSeal.seq > after, AuditSeal.tenant_id == tenant_id)  # tenant: no deleted_at here
            .order_by(AuditSeal.seq)
            .limit(BATCH)
        ).all()
        ids = [s.audit_id for s in seals]
        rows = (
            {r.id: r for r in session.execute(select(*_columns()).where(AuditLog.id.in_(ids)))} if ids else {}
        )
        for s in seals:
            yield s, rows.get(s.audit_id)
        if len(seals) < BATCH:
            return
        after = seals[-1].seq


def _broken(link_: Any, row: Any, expected_seq: int, expected_prev: str, key: bytes) -> str | None:
    if link_.seq != expected_seq:
        return f"seal {expected_seq} is missing: the chain jumps to {link_.seq}"
    if link_.prev_hash != expected_prev:
        return "the seal does not follow the previous one (prev_hash differs)"
    if row is None:
        return "the audit row is missing"
    if link(link_.prev_hash, key, row._mapping) != link_.hash:
        return "the audit row differs from what was sealed"
    return None


def verify(session: Session, ctx: TenantContext, key: bytes) -> Verdict:
    """Recompute the tenant's chain from its start (genesis, or the anchor retention left)."""
    ctx.require("audit:read")
    anchor = session.get(AuditAnchor, ctx.tenant_id)
    expected_seq, expected_prev = (anchor.seq, anchor.hash) if anchor is not None else (1, GENESIS)
    first_broken = None
    for link_, row in _links(session, ctx.tenant_id):
        reason = _broken(link_, row, expected_seq, expected_prev, key)
        if reason is not None:
            first_broken = {"seq": link_.seq, "audit_id": link_.audit_id, "reason": reason}
            break
        expected_seq, expected_prev = link_.seq + 1, link_.hash
    sealed = session.scalar(select(func.count()).select_from(AuditSeal).where(*mine(ctx, AuditSeal)))
    unsealed_rows = ~select(AuditSeal.audit_id).where(AuditSeal.audit_id == AuditLog.id).exists()
    unsealed = session.scalar(
        select(func.count()).select_from(AuditLog).where(*mine(ctx, AuditLog, deleted=True), unsealed_rows)
    )
    return Verdict(first_broken is None, int(sealed or 0), int(unsealed or 0), first_broken)
