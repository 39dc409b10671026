"""The number series: a rolled back finalize gives its number back, series are per tenant and year."""

from __future__ import annotations

from datetime import date

from db.session import tenant_session
from domain.billing.invoices import numbering
from domain.context import TenantContext


def test_rollback_gives_the_number_back_and_series_are_separate(engine, tenant, make_tenant):
    ctx = TenantContext.system(tenant.id, tenant.domain)
    day = date(2026, 3, 1)
    with tenant_session(engine, tenant.id) as s:
        assert numbering.next_number(s, ctx, numbering.INVOICE, day) == "INV-2026-000001"
    try:
        with tenant_session(engine, tenant.id) as s:
            assert numbering.next_number(s, ctx, numbering.INVOICE, day) == "INV-2026-000002"
            raise RuntimeError("the finalize failed after taking its number")
    except RuntimeError:
        pass
    with tenant_session(engine, tenant.id) as s:
        assert numbering.next_number(s, ctx, numbering.INVOICE, day) == "INV-2026-000002"
        assert numbering.next_number(s, ctx, numbering.CREDIT_NOTE, day) == "CN-2026-000001"
        assert numbering.next_number(s, ctx, numbering.INVOICE, date(2027, 1, 1)) == "INV-2027-000001"
    other = make_tenant("Other")
    with tenant_session(engine, other.id) as s:
        octx = TenantContext.system(other.id, other.domain)
        assert numbering.next_number(s, octx, numbering.INVOICE, day) == "INV-2026-000001"
