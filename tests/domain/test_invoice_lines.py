"""Line arithmetic without a database: half-up rounding once per line, inclusive and exclusive tax,
the breakdown per rate, and a credited amount split over rates so that its parts add up."""

from __future__ import annotations

import uuid
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from domain.billing.invoices.credit_notes import _by_amount
from domain.billing.invoices.lines import breakdown_of, tax_of


def line(net: int, tax: int, name: str, pct: str, inclusive: bool = False) -> dict[str, Any]:
    t = {
        "rate_id": name,
        "name": name,
        "percentage": pct,
        "inclusive": inclusive,
        "reverse_charge": False,
        "mention": None,
    }
    return {"net_minor": net, "tax_minor": tax, "tax": t}


@pytest.mark.parametrize(
    ("amount", "pct", "inclusive", "expected"),
    [
        (1079, "20", False, (1079, 216)),  # 215.8 -> 216
        (1025, "20", False, (1025, 205)),
        (25, "10", False, (25, 3)),  # 2.5 -> 3: half up, not to even
        (1853, "5.5", False, (1853, 102)),  # 101.915 -> 102
        (99, "20", True, (83, 16)),  # 99 / 1.2 = 82.5 -> 83 net
        (3000, "20", True, (2500, 500)),
        (1000, "0", True, (1000, 0)),
    ],
)
def test_tax_of(amount, pct, inclusive, expected):
    net, tax = tax_of(amount, Decimal(pct), inclusive)
    assert (net, tax) == expected and (net + tax == amount if inclusive else True)


def test_breakdown_sums_each_rate():
    lines = [line(1000, 200, "A", "20"), line(500, 100, "A", "20"), line(1853, 102, "B", "5.5")]
    rows = {r["name"]: (r["taxable_minor"], r["tax_minor"]) for r in breakdown_of(lines)}
    assert rows == {"A": (1500, 300), "B": (1853, 102)}


@pytest.mark.parametrize("gross", [1, 2, 3, 7, 100, 4999, 5000, 10001, 37303])
def test_credited_amount_parts_add_up(gross):
    lines = [line(36000 - 6000, 6000, "A", "20"), line(1235, 68, "B", "5.5"), line(0, 0, "C", "0")]
    invoice = SimpleNamespace(id=uuid.uuid4(), tax_breakdown=breakdown_of(lines), total_minor=37303)
    parts = _by_amount(invoice, gross)  # type: ignore[arg-type]
    assert sum(p["net_minor"] + p["tax_minor"] for p in parts) == gross
    assert all(p["net_minor"] >= 0 and p["tax_minor"] >= 0 for p in parts)
