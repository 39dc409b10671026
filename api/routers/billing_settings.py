"""The tenant's billing settings: the seller on its invoices, its reporting currency, its invoice template."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/billing", tags=["billing_settings"])
