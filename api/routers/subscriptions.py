"""Subscriptions: recurring billing of a customer, one long-running workflow each."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["subscriptions"])
