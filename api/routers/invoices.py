"""Invoices: drafts, finalizing with a gapless number, credit notes, payments, the PDF."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/invoices", tags=["invoices"])
