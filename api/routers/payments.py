"""Payments received against invoices, and refunds."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])
