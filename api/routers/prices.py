"""Prices: one-time, recurring and usage prices of products."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/prices", tags=["prices"])
