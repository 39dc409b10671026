"""The console's the analytics dashboards: charts and KPI tiles that update live."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/app/dashboards", include_in_schema=False)
