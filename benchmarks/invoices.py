"""Invoices finalized with their PDF, per second, against laying out the same PDF in-process.

Starts a private stack (embedded PostgreSQL, Temporal dev server, `keel worker`, `keel api`), a
tenant with its seller settings, a tax rate, a product, a price and a customer, then N draft invoices
of 10 lines each. Timed: POST /invoices/{id}/finalize for all of them from a few concurrent clients
(the number from the gapless series, the customer's credit, the taxes, the audit and events), until
each one's PDF is stored (the invoice workflow renders it from the default template and stores it as a
document: GET /invoices/{id} shows `pdf_document_id`). Baseline, in this process: the same invoice's
template data laid out by Jinja2 and WeasyPrint (`render_document`), as many times, nothing stored.

    .venv/bin/python benchmarks/invoices.py [-n 60] [--concurrency 4] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The script's folder is on sys.path.
from results import record
from stack import arguments, make_tenant, percentiles, private_stack

from db.models.billing import BillingCustomer
from db.models.invoices import Invoice
from db.session import make_engine, tenant_session
from domain.billing.catalog import taxes
from domain.billing.invoices.pdf import default_template, template_data
from domain.billing.invoices.service import credit_notes_of
from domain.context import TenantContext
from domain.documents.rendering import render_document
from domain.queries import get_or_404

LINES = 10
SELLER = {
    "seller_name": "Keel Bench SAS",
    "seller_address": {"line1": "1 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"},
    "seller_country": "FR",
    "reporting_currency": "EUR",
}


def catalogue(api: httpx.Client) -> tuple[str, str]:
    """(customer id, price id) after the seller, a 20 % rate, a product and its price."""
    for method, path, body in (
        ("PUT", "/api/v1/billing/settings", SELLER),
        (
            "POST",
            "/api/v1/tax-rates",
            {"name": "TVA 20%", "percentage": "20", "inclusive": False, "country": "FR"},
        ),
    ):
        api.request(method, path, json=body).raise_for_status()
    product = api.post("/api/v1/products", json={"name": "Consulting day", "tax_category": "standard"})
    product.raise_for_status()
    price = api.post(
        "/api/v1/prices",
        json={
            "product": product.json()["data"]["id"],
            "currency": "EUR",
            "unit_amount": "650.00",
            "type": "one_time",
        },
    )
    price.raise_for_status()
    customer = api.post(
        "/api/v1/customers",
        json={
            "name": "Client Dupont",
            "email": "billing@dupont.example",
            "currency": "EUR",
            "address": {"country": "FR", "postal_code": "69006"},
        },
    )
    customer.raise_for_status()
    return customer.json()["data"]["id"], price.json()["data"]["id"]


def drafts(api: httpx.Client, customer: str, price: str, count: int) -> list[str]:
    lines = [{"price": price, "quantity": str(i % 4 + 1)} for i in range(LINES)]
    ids = []
    for _ in range(count):
        r = api.post("/api/v1/invoices", json={"customer": customer, "lines": lines})
        if r.status_code != 201:
            raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
        ids.append(r.json()["data"]["id"])
    return ids


async def finalize_all(
    url: str, headers: dict[str, str], ids: list[str], concurrency: int
) -> tuple[float, list[float]]:
    """(invoices/s, each one's milliseconds from finalize to its stored PDF)."""
    samples: list[float] = []
    queue = list(ids)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=300) as client:

        async def one(invoice: str) -> float:
            started = time.perf_counter()
            r = await client.post(f"/api/v1/invoices/{invoice}/finalize")
            if r.status_code != 200:
                raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
            while True:
                body = (await client.get(f"/api/v1/invoices/{invoice}")).json()["data"]
                if body["pdf_document_id"]:
                    return (time.perf_counter() - started) * 1000
                await asyncio.sleep(0.05)

        async def work() -> None:
            while queue:
                samples.append(await one(queue.pop()))

        started = time.perf_counter()
        await asyncio.gather(*(work() for _ in range(concurrency)))
        return len(ids) / (time.perf_counter() - started), samples


def in_process(database_url: str, tenant_id: uuid.UUID, invoice_id: str, count: int) -> tuple[float, int]:
    """(layouts/s, bytes of one) of the invoice's own template data through Jinja2 and WeasyPrint."""
    engine = make_engine(database_url, pool_size=1)
    ctx = TenantContext.system(tenant_id)
    with tenant_session(engine, tenant_id) as session:
        invoice = get_or_404(session, ctx, Invoice, uuid.UUID(invoice_id), "invoice")
        customer = get_or_404(session, ctx, BillingCustomer, invoice.customer_id, "customer")
        seller = taxes.seller_settings(session, ctx)
        data = template_data(invoice, customer, seller, credit_notes_of(session, ctx, [invoice.id]))
    engine.dispose()
    html, css = default_template()
    size = len(render_document(html, data, css=css, locale=data["locale"]).pdf)  # warm the fonts
    started = time.perf_counter()
    for _ in range(count):
        render_document(html, data, css=css, locale=data["locale"])
    return count / (time.perf_counter() - started), size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--invoices", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=4)
    args = arguments(parser, invoices=8)
    with tempfile.TemporaryDirectory() as tmp, private_stack(Path(tmp), api=True) as stack:
        tenant = make_tenant(stack.settings)
        headers = {"Authorization": f"Bearer {tenant.api_key}"}
        with httpx.Client(base_url=stack.api, headers=headers, timeout=120) as api:
            customer, price = catalogue(api)
            warm = drafts(api, customer, price, 3)
            ids = drafts(api, customer, price, args.invoices)
        asyncio.run(finalize_all(stack.api, headers, warm, 1))  # the worker's fonts and caches
        rate, samples = asyncio.run(finalize_all(stack.api, headers, ids, args.concurrency))
        baseline, size = in_process(stack.settings.require_database_url(), tenant.id, ids[0], args.invoices)
    p50, p95, p99 = percentiles(samples)
    print(f"{args.invoices} invoices of {LINES} lines, {args.concurrency} clients; one PDF {size} bytes")
    print(f"{'Jinja2 + WeasyPrint in-process, same data (baseline)':58s} {baseline:6.2f} PDFs/s")
    label = "finalize -> PDF stored, through the API and the worker"
    print(f"{label:58s} {rate:6.2f} invoices/s  ratio {rate / baseline:.2f}")
    print(f"  finalize to stored PDF: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms")
    record(
        "invoices",
        "finalize -> PDF stored",
        rate,
        "invoices/s",
        baseline=baseline,
        baseline_name="Jinja2 + WeasyPrint in-process",
    )
    record("invoices", "finalize to stored PDF, p95", p95, "ms", better="lower")


if __name__ == "__main__":
    main()
