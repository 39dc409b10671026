"""What a metered quantity costs under a usage price, in minor units, rounded half up once.

``per_unit``: quantity x unit amount. ``package``: unit amount per started package of
``package_size``. ``graduated``: each tier prices the units that fall within it (plus its flat
amount when any unit does). ``volume``: the tier the whole quantity falls in prices every unit (plus
its flat amount). Tiers hold ``up_to`` (inclusive, the last open) and amounts in minor units.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from domain.billing import money


def _tier_amount(units: Decimal, tier: dict[str, Any]) -> Decimal:
    flat = Decimal(tier.get("flat_amount_minor") or 0)
    return units * Decimal(tier.get("unit_amount_minor") or 0) + (flat if units > 0 else Decimal(0))


def amount_minor(usage: dict[str, Any], unit_minor: int | None, quantity: Decimal) -> int:
    if quantity <= 0:
        return 0
    model = usage.get("model", "per_unit")
    if model == "package":
        size = Decimal(usage.get("package_size") or 1)
        packages = (quantity / size).to_integral_value(rounding=ROUND_CEILING)
        return money.round_minor(packages * Decimal(unit_minor or 0))
    tiers: list[dict[str, Any]] = usage.get("tiers") or []
    if model == "graduated" and tiers:
        total, below = Decimal(0), Decimal(0)
        for tier in tiers:
            top = Decimal(tier["up_to"]) if tier.get("up_to") is not None else None
            if quantity <= below:
                break
            units = (min(quantity, top) if top is not None else quantity) - below
            total += _tier_amount(units, tier)
            if top is None:
                break
            below = top
        return money.round_minor(total)
    if model == "volume" and tiers:
        chosen = next(
            (t for t in tiers if t.get("up_to") is None or quantity <= Decimal(t["up_to"])), tiers[-1]
        )
        return money.round_minor(_tier_amount(quantity, chosen))
    return money.line_amount(unit_minor or 0, quantity)
