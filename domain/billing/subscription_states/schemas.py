"""A subscription's states (the API's ``status``)."""

from __future__ import annotations

from typing import Literal

STATUSES = ("trialing", "active", "past_due", "suspended", "paused", "canceled")
Status = Literal["trialing", "active", "past_due", "suspended", "paused", "canceled"]
