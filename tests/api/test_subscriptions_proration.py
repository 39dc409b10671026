"""Proration of a change of items mid-period, exact to the minor unit in EUR, JPY and KWD: each line
rounded half up, charges invoiced at once, credits (with their tax) applied from the customer's credit,
and every figure adding up. The subscription's clock is fixed, so the amounts are known in advance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.models.billing import BillingCustomer
from db.models.invoices import Invoice
from db.models.subscriptions import SubscriptionInvoice
from db.models.usage import UsageEvent
from db.session import tenant_session
from domain.billing.subscriptions import changes, process, proration
from domain.billing.subscriptions import service as subscriptions
from domain.billing.subscriptions.schemas import CancelIn, SubscriptionIn, SubscriptionPatch
from domain.context import TenantContext
from domain.errors import Conflict, ValidationFailed
from tests.api.conftest import data, error_of
from tests.api.subscription_helpers import recurring, setup, subscribe

START = datetime(2026, 1, 31, tzinfo=UTC)  # a month-end anchor: the period ends Feb 28
CHANGE = datetime(2026, 2, 10, tzinfo=UTC)  # 18 of the period's 28 days left
GRACE = timedelta(days=7)


def test_the_rule_rounds_each_line_half_up():
    assert proration.prorate(1, 1, 1, 2) == 1  # 0.5 -> 1
    assert proration.prorate(3, 1, 1, 2) == 2  # 1.5 -> 2
    assert proration.prorate(2000, 1, 18 * 86400, 28 * 86400) == 1286  # 1285.71...
    assert proration.prorate(1000, 3, 0, 100) == 0 and proration.prorate(1000, 3, 100, 100) == 3000
    assert proration.fraction_left(START, CHANGE, datetime(2027, 1, 1, tzinfo=UTC)) == (0, 864000)


def _run(engine, tenant, monkeypatch, currency, before, after):
    shop = setup(engine, tenant.id, currency)
    ctx = TenantContext.system(tenant.id, tenant.domain)
    monkeypatch.setattr(subscriptions, "now", lambda: START)
    with tenant_session(engine, tenant.id) as s:
        body = SubscriptionIn.model_validate({"customer": str(shop["customer"]), "items": before(shop)})
        sub_id = subscriptions.create(s, ctx, body).id
    with tenant_session(engine, tenant.id) as s:
        process.advance(s, ctx, sub_id, START, GRACE)  # the first period's licensed invoice
    monkeypatch.setattr(subscriptions, "now", lambda: CHANGE)
    with tenant_session(engine, tenant.id) as s:
        changes.change_items(s, ctx, sub_id, SubscriptionPatch.model_validate({"items": after(shop)}))
    with tenant_session(engine, tenant.id) as s:
        rows = s.execute(
            select(SubscriptionInvoice.kind, Invoice)
            .join(Invoice, Invoice.id == SubscriptionInvoice.invoice_id)
            .where(SubscriptionInvoice.subscription_id == sub_id)
        ).all()
        found = {kind: (inv.total_minor, inv.tax_minor, inv.credit_applied_minor) for kind, inv in rows}
        owner = s.get(BillingCustomer, shop["customer"])
        assert owner is not None
        credit = owner.credit_minor
        for _, inv in rows:
            assert inv.subtotal_minor + inv.tax_minor == inv.total_minor
            assert sum(line["net_minor"] for line in inv.lines) == inv.subtotal_minor
    return found, credit


@pytest.mark.parametrize(
    ("currency", "unit", "charge", "credit"),
    [
        # 2 -> 5 units of 10.00: credit 2 x 10 x 18/28 = 12.857.. -> 12.86 (+2.57 tax = 15.43 gross),
        # charge 5 x 10 x 18/28 = 32.142.. -> 32.14 (+6.43 tax = 38.57)
        ("EUR", 1000, (3857, 643), 1543),
        ("JPY", 1000, (3857, 643), 1543),  # the same figures in yen (no minor digits)
        ("KWD", 10000, (38572, 6429), 15428),  # 10.000 KWD: 128.571.. and 321.428..
    ],
)
def test_upgrade_mid_period_charges_the_rest_and_credits_the_unused(
    engine, tenant, monkeypatch, currency, unit, charge, credit
):
    found, left = _run(
        engine,
        tenant,
        monkeypatch,
        currency,
        lambda shop: [{"price": str(shop["plan"]), "quantity": 2}, {"price": str(shop["usage"])}],
        lambda shop: [{"price": str(shop["plan"]), "quantity": 5}, {"price": str(shop["usage"])}],
    )
    full = 2 * unit + (2 * unit) // 5  # two units for the whole period, 20 % VAT
    assert found["licensed"] == (full, (2 * unit) // 5, 0)
    assert found["proration"] == (charge[0], charge[1], credit)  # the credit applied on it first
    assert left == 0


def test_downgrade_leaves_the_rest_of_the_credit_to_the_next_invoice(engine, tenant, monkeypatch):
    found, left = _run(
        engine,
        tenant,
        monkeypatch,
        "EUR",
        lambda shop: [{"price": str(shop["plan"]), "quantity": 5}],
        lambda shop: [{"price": str(shop["seat"]), "quantity": 1}],
    )
    # credit 5 x 10.00 x 18/28 = 32.14 (+6.43) = 38.57; charge 1 x 5.00 x 18/28 = 3.21 (+0.64) = 3.85
    assert found["proration"] == (385, 64, 385)  # paid in full by the credit
    assert left == 3857 - 385


def test_what_a_change_refuses(engine, tenant, monkeypatch):
    shop = setup(engine, tenant.id)
    ctx = TenantContext.system(tenant.id, tenant.domain)
    yearly = recurring(engine, tenant.id, 1000, interval="year")
    with tenant_session(engine, tenant.id) as s:
        body = SubscriptionIn.model_validate(
            {"customer": str(shop["customer"]), "items": [{"price": str(shop["plan"])}]}
        )
        sub_id = subscriptions.create(s, ctx, body).id
    with tenant_session(engine, tenant.id) as s, pytest.raises(ValidationFailed) as bad:
        changes.change_items(
            s, ctx, sub_id, SubscriptionPatch.model_validate({"items": [{"price": str(yearly)}]})
        )
    assert bad.value.fields[0].field == "items.0.price"
    with tenant_session(engine, tenant.id) as s:
        subscriptions.cancel(s, ctx, sub_id, CancelIn(at_period_end=False))
    with tenant_session(engine, tenant.id) as s, pytest.raises(Conflict):
        changes.change_items(
            s, ctx, sub_id, SubscriptionPatch.model_validate({"items": [{"price": str(shop["plan"])}]})
        )


def test_patch_through_the_api(admin, engine, tenant):
    shop = setup(engine, tenant.id)
    sub = subscribe(admin, shop, [{"price": str(shop["plan"])}])
    base = f"/api/v1/subscriptions/{sub['id']}"
    one_time = recurring(engine, tenant.id, 100, type_="one_time")
    r = admin.patch(base, json={"items": [{"price": str(one_time)}]})
    assert error_of(r, 422, "validation_failed")["details"]["fields"][0]["field"] == "items.0.price"
    error_of(admin.patch(base, json={"items": []}), 422, "validation_failed")
    out = data(admin.patch(base, json={"items": [{"price": str(shop["plan"]), "quantity": 4}]}))
    assert [i["quantity"] for i in out["items"]] == [4]
    kinds = [i["kind"] for i in out["latest_invoices"]]
    assert kinds[0] == "proration" and "licensed" in kinds
    invoice = data(admin.get(f"/api/v1/invoices/{out['latest_invoices'][0]['id']}"))
    assert invoice["status"] in ("open", "paid") and invoice["lines"][0]["description"].startswith(
        "Remaining time"
    )
    events = data(admin.get("/api/v1/events", params={"type": "subscription.updated"}))
    assert [e["payload"]["subscription_id"] for e in events] == [sub["id"]]


def test_a_usage_price_replaced_mid_period_bills_each_its_own_part(engine, tenant, monkeypatch):
    shop = setup(engine, tenant.id)
    cheaper = recurring(
        engine,
        tenant.id,
        1,
        usage={"metric": shop["metric"], "model": "per_unit", "tiers": None, "package_size": None},
        name="API calls, new price",
    )
    ctx = TenantContext.system(tenant.id, tenant.domain)
    monkeypatch.setattr(subscriptions, "now", lambda: START)
    items = [{"price": str(shop["plan"])}, {"price": str(shop["usage"])}]
    with tenant_session(engine, tenant.id) as s:
        body = SubscriptionIn.model_validate({"customer": str(shop["customer"]), "items": items})
        sub = subscriptions.create(s, ctx, body)
        sub_id, customer_id = sub.id, sub.customer_id
    with tenant_session(engine, tenant.id) as s:
        for i, day in enumerate([1, 2, 3, 12, 13]):  # three before the change, two after
            s.add(
                UsageEvent(
                    tenant_id=tenant.id,
                    transaction_id=f"u{i}",
                    customer_id=customer_id,
                    subscription_id=sub_id,
                    metric_code=shop["metric"],
                    occurred_at=START + timedelta(days=day),
                    properties={},
                )
            )
    monkeypatch.setattr(subscriptions, "now", lambda: CHANGE)
    kept_plan = [{"price": str(shop["plan"])}, {"price": str(cheaper)}]
    with tenant_session(engine, tenant.id) as s:
        changes.change_items(s, ctx, sub_id, SubscriptionPatch.model_validate({"items": kept_plan}))
        (proration_count,) = s.execute(
            select(func.count()).where(
                SubscriptionInvoice.subscription_id == sub_id, SubscriptionInvoice.kind == "proration"
            )
        ).one()
    assert proration_count == 0  # the plan was kept as it was: nothing to prorate
    end = datetime(2026, 2, 28, tzinfo=UTC)
    with tenant_session(engine, tenant.id) as s:
        process.advance(s, ctx, sub_id, end + GRACE, GRACE)  # renews; the closed period's usage is due
    with tenant_session(engine, tenant.id) as s:
        process.advance(s, ctx, sub_id, end + GRACE, GRACE)
        usage = s.scalars(
            select(Invoice)
            .join(SubscriptionInvoice, SubscriptionInvoice.invoice_id == Invoice.id)
            .where(SubscriptionInvoice.subscription_id == sub_id, SubscriptionInvoice.kind == "usage")
        ).one()
        assert [(line["description"].split(":")[0], line["net_minor"]) for line in usage.lines] == [
            ("API calls", 15),  # 3 x 0.05 before the change
            ("API calls, new price", 2),  # 2 x 0.01 after it
        ]
