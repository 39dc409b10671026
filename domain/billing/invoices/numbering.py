"""Gapless, unique numbers per tenant and series: ``INV-2026-000001``, ``CN-2026-000001``.

The series row is incremented with ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` in the caller's
transaction: the row stays locked until that transaction ends, so concurrent finalizes take their
turns, and a rollback gives the number back (the next one takes it): no gap, no duplicate.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models.invoices import NumberSeries
from domain.context import TenantContext

INVOICE = "INV"
CREDIT_NOTE = "CN"


def next_number(session: Session, ctx: TenantContext, prefix: str, on: date) -> str:
    series = f"{prefix}-{on.year}"
    stmt = (
        insert(NumberSeries)
        .values(id=uuid.uuid4(), tenant_id=ctx.tenant_id, series=series, last_value=1)
        .on_conflict_do_update(
            index_elements=[NumberSeries.tenant_id, NumberSeries.series],
            set_={"last_value": NumberSeries.last_value + 1},
        )
        .returning(NumberSeries.last_value)
    )
    value = int(session.execute(stmt).scalar_one())
    return f"{series}-{value:06d}"
