"""Billing reports: revenue, receivables ageing, MRR and tax, as JSON, CSV or XLSX."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["billing_reports"])
