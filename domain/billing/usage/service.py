"""Usage-based billing input, one import for callers: billable metrics (``metrics.py``), usage events in
(``ingest.py``), a customer's stored events (``listing.py``) and a metric's quantity over a period
(``aggregate.py``)."""

from __future__ import annotations

from domain.billing.usage.aggregate import aggregate, aggregate_all, quantity, usage_of
from domain.billing.usage.ingest import ingest
from domain.billing.usage.listing import event_out, list_events
from domain.billing.usage.metrics import create, delete, get, list_metrics

__all__ = [
    "aggregate",
    "aggregate_all",
    "create",
    "delete",
    "event_out",
    "get",
    "ingest",
    "list_events",
    "list_metrics",
    "quantity",
    "usage_of",
]
