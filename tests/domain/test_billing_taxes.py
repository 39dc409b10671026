"""The tax decision: the most specific active rate for the customer's address, and EU reverse charge."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from db.models.billing import BillingCustomer, BillingSettings, TaxRate
from db.session import tenant_session
from domain.billing.catalog import taxes
from domain.context import TenantContext
from tests.conftest import TenantFixture


def customer(country: str, region: str | None = None, tax_ids: list[dict[str, Any]] | None = None) -> Any:
    return BillingCustomer(country=country, region=region, tax_ids=tax_ids or [])


def seller(country: str | None) -> BillingSettings:
    return BillingSettings(seller_country=country)


EU_VAT = [{"type": "eu_vat", "value": "DE123456789"}]


def test_reverse_charge_needs_two_different_eu_countries_and_an_eu_vat_id() -> None:
    assert taxes.is_reverse_charge(customer("DE", tax_ids=EU_VAT), seller("FR"))
    assert not taxes.is_reverse_charge(customer("FR", tax_ids=EU_VAT), seller("FR"))  # same country
    assert not taxes.is_reverse_charge(customer("DE"), seller("FR"))  # a consumer
    gb = [{"type": "gb_vat", "value": "GB123456789"}]
    assert not taxes.is_reverse_charge(customer("DE", tax_ids=gb), seller("FR"))
    assert not taxes.is_reverse_charge(customer("US", tax_ids=EU_VAT), seller("FR"))  # outside the EU
    assert not taxes.is_reverse_charge(customer("DE", tax_ids=EU_VAT), seller("GB"))
    assert not taxes.is_reverse_charge(customer("DE", tax_ids=EU_VAT), seller(None))
    assert not taxes.is_reverse_charge(customer("DE", tax_ids=EU_VAT), None)
    assert taxes.is_reverse_charge(customer("GR", tax_ids=[{"type": "eu_vat", "value": "EL1"}]), seller("IT"))


def _rate(ctx: TenantContext, name: str, pct: str, country: str, **kw: Any) -> TaxRate:
    values: dict[str, Any] = {"inclusive": False, "active": True, "region": None, "category": None} | kw
    return TaxRate(tenant_id=ctx.tenant_id, name=name, percentage=Decimal(pct), country=country, **values)


def test_the_most_specific_active_rate_wins(
    engine: Engine, make_tenant: Callable[..., TenantFixture]
) -> None:
    tenant, other = make_tenant(), make_tenant("Other")
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, other.id) as session:
        session.add(_rate(TenantContext.system(other.id), "Other tenant", "99", "US"))
    with tenant_session(engine, tenant.id) as session:
        us = customer("US", "CA")
        assert taxes.resolve(session, ctx, us, "standard", None) == taxes.NO_TAX  # other tenant's unseen
        session.add(_rate(ctx, "US federal", "1", "US"))
        session.flush()
        assert taxes.resolve(session, ctx, us, "standard", None).name == "US federal"
        session.add(_rate(ctx, "US books", "2", "US", category="books"))
        session.flush()
        assert taxes.resolve(session, ctx, us, "books", None).name == "US books"
        assert taxes.resolve(session, ctx, us, "standard", None).name == "US federal"
        session.add(_rate(ctx, "California", "7.25", "US", region="CA"))
        session.flush()
        assert taxes.resolve(session, ctx, us, "books", None).name == "California"  # region beats category
        session.add(_rate(ctx, "California books", "3.5", "US", region="CA", category="books"))
        session.add(_rate(ctx, "Texas", "6.25", "US", region="TX"))
        session.add(_rate(ctx, "Retired", "50", "US", region="CA", category="books", active=False))
        session.flush()
        decided = taxes.resolve(session, ctx, us, "books", None)
        assert (decided.name, decided.percentage, decided.reverse_charge) == (
            "California books",
            Decimal("3.5"),
            False,
        )
        assert taxes.resolve(session, ctx, us, "standard", None).name == "California"
        assert taxes.resolve(session, ctx, customer("US"), "books", None).name == "US books"
        assert taxes.resolve(session, ctx, customer("US", "NY"), "food", None).name == "US federal"
        assert taxes.resolve(session, ctx, customer("CA", "ON"), "books", None) == taxes.NO_TAX


def test_reverse_charge_beats_a_rate_and_carries_the_mention(engine: Engine, tenant: TenantFixture) -> None:
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        assert taxes.seller_settings(session, ctx) is None
        session.add(BillingSettings(tenant_id=tenant.id, seller_country="FR", seller_address={}, dunning={}))
        vat = _rate(ctx, "VAT 19%", "19", "DE", inclusive=True)
        session.add(vat)
        session.flush()
        settings = taxes.seller_settings(session, ctx)
        assert settings is not None and settings.seller_country == "FR"
        business = taxes.resolve(session, ctx, customer("DE", tax_ids=EU_VAT), "standard", settings)
        assert business.reverse_charge and business.percentage == 0 and business.rate_id is None
        assert business.mention == taxes.REVERSE_CHARGE_MENTION
        consumer = taxes.resolve(session, ctx, customer("DE"), "standard", settings)
        assert (consumer.rate_id, consumer.percentage, consumer.inclusive) == (vat.id, Decimal(19), True)
        assert consumer.mention is None
