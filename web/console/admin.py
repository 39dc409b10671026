"""The console's administration: users and roles, API keys, webhooks and their deliveries, notification
templates."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/app/admin", include_in_schema=False)
