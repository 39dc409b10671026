"""The Stripe gateway as a route dependency: a factory, so that a route that ends up not calling
Stripe (a 404, a 409) needs no Stripe configuration to answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from adapters.stripe_gateway import StripeGateway, gateway
from api.deps import SettingsDep


def _stripe(settings: SettingsDep) -> Callable[[], StripeGateway]:
    return lambda: gateway(settings)


Stripe = Annotated[Callable[[], StripeGateway], Depends(_stripe)]
