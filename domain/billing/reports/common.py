"""What the reports share: a timestamp's day in the tenant's zone, customers' names, amounts as text."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy.orm import Session

from db.models.billing import BillingCustomer
from domain.billing.money import to_text
from domain.context import TenantContext
from domain.queries import mine

VOID_OR_DRAFT = ("draft", "void")
RECEIVED = ("succeeded", "partially_refunded", "refunded")  # money that did arrive


def local_day(column: Any, zone: str) -> Any:
    """SQL: the calendar day of a timestamptz in the IANA ``zone``."""
    return cast(func.timezone(zone, column), Date)


def customer_names(
    session: Session, ctx: TenantContext, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID | None, str]:
    """Names of the customers, deleted ones too (their invoices still count)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    stmt = select(BillingCustomer.id, BillingCustomer.name).where(
        *mine(ctx, BillingCustomer, deleted=True), BillingCustomer.id.in_(wanted)
    )
    found: dict[uuid.UUID | None, str] = {row.id: row.name for row in session.execute(stmt)}
    return found


def texts(values: dict[str, int], currency: str) -> dict[str, str]:
    """Minor units as the decimal strings the API answers."""
    return {key: to_text(minor, currency) for key, minor in values.items()}
