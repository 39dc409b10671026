"""The console's entity records: per type a table with instant search and facets, a record's page with
its history and relationships."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/app/records", include_in_schema=False)
