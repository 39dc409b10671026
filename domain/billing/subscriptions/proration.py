"""Proration of a change of licensed items mid-period, exact to the minor unit.

The rule: the fraction of the period left is counted in seconds, ``left = (end - at) / (end - start)``.
Every old licensed item is credited ``unit x quantity x left`` and every new one charged
``unit x quantity x left``, each line rounded half up to the minor unit on its own (an item kept as it
was is neither credited nor charged). Charges are invoiced at once on one proration invoice (priced
and taxed like any invoice). Credits, with their tax at the same rate the customer pays on that
product, are added to the customer's credit balance, which finalizing the proration invoice applies
first (and any credit left is applied to the next invoice). So: amount due = charges (gross) - credits
(gross), never below zero; every figure is a sum of rounded lines and adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, localcontext

from domain.billing import money

PRECISE = 60


@dataclass(frozen=True)
class ProrationLine:
    price_id: str
    description: str
    quantity: int
    unit_minor: int
    amount_minor: int  # positive: a charge; the credits are listed as positive amounts too
    credit: bool


def fraction_left(start: datetime, end: datetime, at: datetime) -> tuple[int, int]:
    """(seconds left, seconds in the period), the left part clamped to the period."""
    total = int((end - start).total_seconds())
    left = int((end - max(min(at, end), start)).total_seconds())
    return left, total


def prorate(unit_minor: int, quantity: int, left: int, total: int) -> int:
    """``unit x quantity x left / total`` rounded half up to the minor unit."""
    if total <= 0 or left <= 0:
        return 0
    with localcontext() as exact:
        exact.prec = PRECISE
        return money.round_minor(Decimal(unit_minor) * quantity * left / total)
