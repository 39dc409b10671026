"""Finalizing many drafts at once through the API gives consecutive numbers: no gap, no duplicate."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from tests.api.conftest import data
from tests.api.invoice_helpers import customer, draft

N = 50


def test_fifty_concurrent_finalizes_take_fifty_consecutive_numbers(admin, api, engine, tenant):
    cid = customer(engine, tenant.id)
    drafts = [
        draft(admin, cid, [{"description": f"Item {i}", "unit_amount": "1.00"}])["id"] for i in range(N)
    ]

    def finalize(invoice_id: str) -> str:
        client = api(tenant.api_key)  # one connection per thread
        return data(client.post(f"/api/v1/invoices/{invoice_id}/finalize"))["number"]

    with ThreadPoolExecutor(max_workers=N) as pool:
        numbers = list(pool.map(finalize, drafts))
    year = date.today().year
    assert sorted(numbers) == [f"INV-{year}-{i:06d}" for i in range(1, N + 1)]
    listed = data(admin.get("/api/v1/invoices", params={"status": "open", "limit": 200}))
    assert sorted(i["number"] for i in listed) == sorted(numbers)
