"""Billable metrics: how usage events aggregate into a billed quantity."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/billable-metrics", tags=["billable_metrics"])
