"""Usage-based billing input, one import for callers: billable metrics (``metrics.py``), usage events in
(``ingest.py``) and a metric's quantity over a period (``aggregate.py``)."""

from __future__ import annotations

from domain.billing.usage.aggregate import aggregate, aggregate_all, quantity
from domain.billing.usage.ingest import Ingested, ingest
from domain.billing.usage.metrics import create, delete, get, list_metrics

__all__ = [
    "Ingested",
    "aggregate",
    "aggregate_all",
    "create",
    "delete",
    "get",
    "ingest",
    "list_metrics",
    "quantity",
]
