"""Documents and signing through the REST API, each against the library doing the same work directly.

Starts a private stack (embedded PostgreSQL, Temporal dev server, `keel worker`, `keel api`, dev
outbox on) and measures, in one run:

1. generation of a two-page invoice-like template: documents/s through `POST /documents` (202, then
   polled until `ready`) against Jinja2 + WeasyPrint called in this process on the same template and
   data; the ratio (target >= 0.7 of direct);
2. merging 100 ten-page PDFs: `POST /documents/merge` against pypdf's `PdfWriter` in this process;
3. a two-signer signing request end to end: the API time from `POST /signing-requests` to the sealed
   document, without the people (each signer signs as soon as their email is in the outbox).

    .venv/bin/python benchmarks/documents.py [--documents 40] [--concurrency 4] [--merge 100] [--signings 3]
        [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import jinja2
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The script's folder is on sys.path.
from results import record
from stack import arguments, make_tenant, percentiles, private_stack

LINES = 42  # rows of the invoice table: two A4 pages with the header and totals
CSS = """
@page { size: A4; margin: 2cm 1.5cm;
  @top-left { content: "Keel Supplies Ltd"; font-size: 8pt }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 8pt } }
body { font-family: 'DejaVu Sans'; font-size: 10pt }
table { width: 100%; border-collapse: collapse }
td, th { border-bottom: 1px solid #ccc; padding: 4pt }
td.amount { text-align: right }
.totals { page-break-inside: avoid; margin-top: 12pt }
"""
TEMPLATE = """
<h1>Invoice {{ number }}</h1>
<p>{{ customer.name }}<br>{{ customer.street }}<br>{{ customer.city }}</p>
<table>
  <tr><th>Item</th><th>Qty</th><th>Unit</th><th>Amount</th></tr>
  {% for line in lines %}
  <tr><td>{{ line.item }}</td><td>{{ line.qty }}</td><td class="amount">{{ line.unit }}</td>
      <td class="amount">{{ line.amount }}</td></tr>
  {% endfor %}
</table>
<div class="totals"><p>Total: {{ total }} EUR</p><p>Payable within 30 days.</p></div>
"""
TEN_PAGES = """<style>@page { size: A4; margin: 2cm } body { font-family: 'DejaVu Sans' }</style>
{% for n in range(10) %}<h2 style="page-break-before: always">Chapter {{ n + 1 }}</h2>
<p>{{ text }}</p>{% endfor %}"""
LINK = re.compile(r"/sign/([A-Za-z0-9_-]+)")


def invoice_data(number: int) -> dict[str, Any]:
    lines: list[dict[str, Any]] = [
        {
            "item": f"Article {i:03d}",
            "qty": i % 7 + 1,
            "unit": f"{i * 1.5:.2f}",
            "amount": f"{i * 1.5 * (i % 7 + 1):.2f}",
        }
        for i in range(LINES)
    ]
    return {
        "number": f"INV-{number:05d}",
        "customer": {"name": "Acme Corp", "street": "1 Main Street", "city": "Lyon"},
        "lines": lines,
        "total": f"{sum(float(line['amount']) for line in lines):.2f}",
    }


def direct_generation(count: int) -> tuple[float, int]:
    """Documents/s with Jinja2 and WeasyPrint in this process; and the page count of one."""
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    html = f"<style>{CSS}</style>" + template.render(**invoice_data(0))
    pages = len(PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages)
    started = time.perf_counter()
    for i in range(count):
        page = f"<style>{CSS}</style>" + template.render(**invoice_data(i))
        HTML(string=page).write_pdf()
    return count / (time.perf_counter() - started), pages


async def api_generation(
    url: str, headers: dict[str, str], count: int, concurrency: int
) -> tuple[float, list[float]]:
    """Documents/s through POST /documents and polling until ready; and each document's latency."""
    samples: list[float] = []
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as client:

        async def one(i: int) -> float:
            started = time.perf_counter()
            body = {
                "template": "invoice",
                "data": invoice_data(i),
                "name": f"Invoice {i}",
                "document_type": "invoice",
            }
            r = await client.post("/api/v1/documents", json=body)
            if r.status_code != 202:
                raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
            doc = r.json()["data"]["id"]
            while True:
                status = (await client.get(f"/api/v1/documents/{doc}")).json()["data"]["status"]
                if status == "ready":
                    return (time.perf_counter() - started) * 1000
                if status != "generating":
                    raise RuntimeError(f"document {doc} is {status}")
                await asyncio.sleep(0.05)

        for i in range(4):  # warm-up: the worker's fonts and WeasyPrint caches
            await one(-1 - i)
        queue = list(range(count))

        async def work() -> None:
            while queue:
                samples.append(await one(queue.pop()))

        started = time.perf_counter()
        await asyncio.gather(*(work() for _ in range(concurrency)))
        return count / (time.perf_counter() - started), samples


def merge(api: httpx.Client, count: int) -> tuple[float, float, int]:
    """(API seconds, pypdf seconds, pages) for merging ``count`` ten-page PDFs."""
    pdf = HTML(string=jinja2.Template(TEN_PAGES).render(text="Lorem ipsum dolor sit amet. " * 40)).write_pdf()
    ids = []
    for i in range(count):
        files = {"file": (f"part{i}.pdf", pdf, "application/pdf")}
        meta = {"meta": json.dumps({"name": f"part {i}.pdf", "document_type": "part"})}
        r = api.post("/api/v1/documents", files=files, data=meta)
        r.raise_for_status()
        ids.append(r.json()["data"]["id"])
    started = time.perf_counter()
    r = api.post("/api/v1/documents/merge", json={"documents": ids, "name": "All parts", "bookmarks": True})
    api_s = time.perf_counter() - started
    if r.status_code != 201:
        raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
    pages = r.json()["data"]["page_count"]
    started = time.perf_counter()
    writer = PdfWriter()
    for i in range(count):
        writer.append(PdfReader(io.BytesIO(pdf)), outline_item=f"part {i}")
    out = io.BytesIO()
    writer.write(out)
    return api_s, time.perf_counter() - started, pages


def wait_link(api: httpx.Client, email: str) -> str:
    while True:
        messages = api.get("/api/v1/dev/outbox", params={"to": email, "channel": "email"}).json()["data"]
        for message in messages:
            found = LINK.search(message["text"] or "")
            if found and "Please" in (message["subject"] or ""):
                return found.group(1)
        time.sleep(0.02)


def signing(api: httpx.Client, public: httpx.Client, document: str, run: int) -> float:
    """Seconds from creating a two-signer request to its sealed document, signers acting at once."""
    signers: list[dict[str, Any]] = [
        {"name": "Ana Lima", "email": f"ana{run}@x.example", "order": 1, "role": "signer", "auth": "email"},
        {"name": "Ben Ode", "email": f"ben{run}@x.example", "order": 2, "role": "signer", "auth": "email"},
    ]
    fields = [
        {"signer": 0, "type": "signature", "page": 1, "x": 60, "y": 600, "width": 150, "height": 40},
        {"signer": 1, "type": "signature", "page": 1, "x": 300, "y": 600, "width": 150, "height": 40},
    ]
    body = {
        "document_id": document,
        "title": "Contract",
        "signers": signers,
        "fields": fields,
        "expires_in": "P14D",
    }
    started = time.perf_counter()
    r = api.post("/api/v1/signing-requests", json=body)
    if r.status_code != 201:
        raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
    request = r.json()["data"]["id"]
    for person in signers:
        token = wait_link(api, person["email"])
        sign = {"signature": {"type": "typed", "value": person["name"]}, "fields": {}, "consent": True}
        public.post(f"/api/v1/public/signing/{token}/sign", json=sign).raise_for_status()
    while api.get(f"/api/v1/signing-requests/{request}").json()["data"]["status"] != "completed":
        time.sleep(0.02)
    r = api.get(f"/api/v1/signing-requests/{request}/document")
    r.raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--merge", type=int, default=100)
    parser.add_argument("--signings", type=int, default=3)
    args = arguments(parser, documents=8, merge=10, signings=1)

    direct_rate, pages = direct_generation(args.documents)
    with (
        tempfile.TemporaryDirectory() as home,
        private_stack(
            Path(home), api=True, dev_outbox_enabled="true", document_max_pages=str(max(500, args.merge * 10))
        ) as stack,
    ):
        tenant = make_tenant(stack.settings)
        headers = tenant.headers
        with tenant.client(stack, timeout=300) as api:
            template = {
                "key": "invoice",
                "name": "Invoice",
                "content": TEMPLATE,
                "css": CSS,
                "sample_data": invoice_data(0),
                "locale": "en",
            }
            api.post("/api/v1/document-templates", json=template).raise_for_status()
            rate, samples = asyncio.run(api_generation(stack.api, headers, args.documents, args.concurrency))
            p50, p95, p99 = percentiles(samples)
            print(f"generation of a {pages}-page invoice, {args.documents} documents:")
            print(f"  direct (Jinja2 + WeasyPrint in-process) {direct_rate:6.2f} documents/s")
            print(
                f"  through the API, {args.concurrency} clients     {rate:6.2f} documents/s"
                f"   latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms"
            )
            print(f"  ratio API / direct {rate / direct_rate:.2f} (target >= 0.7)")
            record(
                "documents",
                f"a {pages}-page invoice through POST /documents",
                rate,
                "documents/s",
                baseline=direct_rate,
                baseline_name="Jinja2 + WeasyPrint in-process",
                ratio_target=0.7,
            )

            api_s, direct_s, merged_pages = merge(api, args.merge)
            print(f"merge of {args.merge} ten-page PDFs ({merged_pages} pages):")
            print(f"  pypdf in-process {direct_s * 1000:7.0f} ms")
            print(
                f"  POST /documents/merge {api_s * 1000:7.0f} ms   ratio direct / API {direct_s / api_s:.2f}"
            )
            record(
                "documents",
                f"POST /documents/merge of {args.merge} ten-page PDFs",
                api_s * 1000,
                "ms",
                baseline=direct_s * 1000,
                baseline_name="pypdf in-process",
                better="lower",
            )

            upload = {"file": ("contract.pdf", HTML(string="<h1>Contract</h1><p>Terms.</p>").write_pdf())}
            r = api.post(
                "/api/v1/documents", files=upload, data={"meta": '{"name": "c.pdf", "document_type": "c"}'}
            )
            r.raise_for_status()
            with httpx.Client(base_url=stack.api, timeout=60) as public:
                signing(api, public, r.json()["data"]["id"], -1)  # warm-up
                runs = [signing(api, public, r.json()["data"]["id"], i) for i in range(args.signings)]
            runs.sort()
            print(
                f"two-signer signing request, create to sealed document, {args.signings} runs: "
                f"median {runs[len(runs) // 2] * 1000:.0f} ms, best {runs[0] * 1000:.0f} ms"
            )
            median = runs[len(runs) // 2] * 1000
            record(
                "documents",
                "two-signer signing request to sealed document, median",
                median,
                "ms",
                better="lower",
            )


if __name__ == "__main__":
    main()
