"""Customers: who is invoiced (currency, address, tax ids, payment terms)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])
