"""Process rows for the analytics tests: facts written straight to the table, as a process leaves them."""

from __future__ import annotations

import datetime as dt
import uuid

from db.models import Process


def process_row(
    tenant_id: uuid.UUID,
    *,
    definition: str = "approval",
    end: dt.datetime | None = None,
    took: dt.timedelta = dt.timedelta(hours=1),
    status: str | None = "completed",
    key: str | None = None,
) -> Process:
    """A process of ``definition`` that ended at ``end`` after ``took`` (no ``end``: still running)."""
    started = (end or dt.datetime.now(dt.UTC)) - took
    return Process(
        tenant_id=tenant_id,
        definition=definition,
        business_key=key or uuid.uuid4().hex,
        workflow_id=uuid.uuid4().hex,
        input={},
        created_at=started,
        status=status if end is not None else None,
        ended_at=end,
    )
