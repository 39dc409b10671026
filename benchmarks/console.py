"""The console's pages, server-side: every page under 200 ms with realistic data.

Starts a private stack (embedded PostgreSQL, a Temporal dev server, Typesense, `keel worker`,
`keel api`), fills one tenant the way a working organisation looks (5,000 ended processes and 40
waiting on the reader, 2,000 customer records, 40 invoices, 30 PDF documents, resources with weekly
hours and the shipped dashboard), signs in through the sign-in form, then times each page's GET with
the session cookie (p50/p95 over N requests, after a warm-up) against the REST call that reads the
same thing, in the same run: the ratio is what the page adds (rendering, the reader's zone, names).

    .venv/bin/python benchmarks/console.py [--requests N] [--quick]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import load
from entities import SCHEMA, csv_file, import_file, wait_indexed
from invoices import catalogue, drafts
from results import record
from scheduling import create_resources
from stack import BenchStack, BenchTenant, arguments, make_tenant, percentiles, private_stack, timed

from tests.domain.pdf_helpers import pages_pdf

PASSWORD = "a-long-bench-password"
TARGET_MS = 200.0


def fill(stack: BenchStack, tenant: BenchTenant, api: httpx.Client) -> dict[str, str]:
    """The tenant's data; the ids of one of each kind of object the pages show."""
    engine = create_engine(stack.settings.require_admin_url())
    load(engine, tenant.id, 5000, 2000)  # ended processes, their tasks, bookings over 120 days
    engine.dispose()
    chain = [{"assignee": "user:admin@bench.example", "due": "P2D"}]
    started = []
    for i in range(40):
        body = {
            "definition": "approval",
            "business_key": f"PO-{i:04d}",
            "input": {"subject": f"Purchase {i}", "amount": {"value": "120.00", "currency": "EUR"}}
            | {"chain": chain, "on_timeout": "reject"},
        }
        r = api.post("/api/v1/processes", json=body)
        r.raise_for_status()
        started.append(r.json()["data"]["id"])
    api.post(
        "/api/v1/entity-types",
        json={
            "name": "bench_customer",
            "schema": SCHEMA,
            "search": {"fields": ["name", "email", "city"], "facets": ["city", "segment"]},
        },
    ).raise_for_status()
    import_file(api, csv_file(2000), 2000)
    wait_indexed(api, 2000)
    record = api.get("/api/v1/entities/bench_customer", params={"limit": 1}).json()["data"][0]["id"]
    customer, price = catalogue(api)
    invoice = drafts(api, customer, price, 40)[0]
    document = ""
    for i in range(30):
        meta = json.dumps({"name": f"lease-{i}.pdf", "document_type": "contract"})
        r = api.post(
            "/api/v1/documents",
            files={"file": (f"lease-{i}.pdf", pages_pdf(f"Lease {i}", "Terms"), "application/pdf")},
            data={"meta": meta},
        )
        r.raise_for_status()
        document = r.json()["data"]["id"]
    resource = create_resources(api)[0].id
    dashboard = api.get("/api/v1/dashboards").json()["data"][0]["id"]
    deadline = time.monotonic() + 60
    while not (tasks := api.get("/api/v1/tasks", params={"process_id": started[0]}).json()["data"]):
        if time.monotonic() > deadline:
            raise RuntimeError("the approval's task never appeared")
        time.sleep(0.2)
    return {
        "process": started[0],
        "task": tasks[0]["id"],
        "record": record,
        "invoice": invoice,
        "document": document,
        "resource": resource,
        "dashboard": dashboard,
    }


def signed_in(stack: BenchStack) -> httpx.Client:
    """A client holding the console's session cookie, got through the sign-in form (as a browser)."""
    client = httpx.Client(base_url=stack.api, timeout=60, follow_redirects=False)
    form = client.get("/app/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    # The cookies are Secure: httpx keeps those for HTTPS only, so they are sent by hand here.
    answer = client.post(
        "/app/sign-in",
        data={"login": "admin@bench.example", "password": PASSWORD, "csrf_token": token[1]},
        headers={"Cookie": _cookie(form, "keel_form")},
    )
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in answered {answer.status_code}: {answer.text[:300]}")
    client.headers["Cookie"] = _cookie(answer, "keel_access")
    return client


def _cookie(response: httpx.Response, name: str) -> str:
    """``name=value`` of the cookie the response sets."""
    return next(c.split(";")[0] for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}="))


# name | console page | the REST read it shows; {task}, {record}... are the ids ``fill`` made.
PAGES = """
inbox            | /app/inbox                             | /api/v1/tasks?status=open&assignee=me&limit=200
task             | /app/tasks/{task}                      | /api/v1/tasks/{task}
processes        | /app/processes                         | /api/v1/processes?limit=100
process          | /app/processes/{process}               | /api/v1/processes/{process}
start form       | /app/processes/new?definition=approval | /api/v1/definitions/approval/versions/1
record types     | /app/records                           | /api/v1/entity-types
records          | /app/records/bench_customer            | /api/v1/entities/bench_customer?limit=50
record           | /app/records/bench_customer/{record}   | /api/v1/entities/bench_customer/{record}/history
week calendar    | /app/bookings?resource={resource}      | /api/v1/resources/{resource}
my bookings      | /app/bookings/mine                     | /api/v1/bookings?limit=100
dashboards       | /app/dashboards                        | /api/v1/dashboards
dashboard        | /app/dashboards/{dashboard}            | /api/v1/dashboards/{dashboard}/data
documents        | /app/documents                         | /api/v1/documents?limit=100
document         | /app/documents/{document}              | /api/v1/documents/{document}/versions
invoices         | /app/invoices                          | /api/v1/invoices?limit=100
invoice          | /app/invoices/{invoice}                | /api/v1/invoices/{invoice}
admin: users     | /app/admin/users                       | /api/v1/users?limit=100
admin: API keys  | /app/admin/api-keys                    | /api/v1/api-keys
admin: webhooks  | /app/admin/webhooks                    | /api/v1/webhooks
admin: templates | /app/admin/templates                   | /api/v1/notification-templates
"""


def pages(ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, console page, the REST read it shows), with the run's ids in the paths."""
    rows = [[cell.strip() for cell in line.split("|")] for line in PAGES.strip().splitlines()]
    return [(name, page.format(**ids), rest.format(**ids)) for name, page, rest in rows]


def sampled(client: httpx.Client, path: str, count: int) -> list[float]:
    """Milliseconds of ``count`` GETs of ``path``, after three untimed ones (caches, query plans)."""
    timed(lambda _: client.get(path), 3)
    return timed(lambda _: client.get(path), count)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=40, help="timed GETs per page")
    args = arguments(parser, requests=10)
    with tempfile.TemporaryDirectory() as tmp, private_stack(Path(tmp), typesense=True, api=True) as stack:
        tenant = make_tenant(stack.settings, admin_password=PASSWORD)
        api = tenant.client(stack)
        ids = fill(stack, tenant, api)
        browser = signed_in(stack)
        heads = ("page", "page p50", "p95", "REST p50", "p95", "ratio p50")
        print("{:<18} {:>9} {:>7} {:>9} {:>7} {:>10}".format(*heads) + f"  <{TARGET_MS:.0f} ms")
        worst = 0.0
        for name, page, rest in pages(ids):
            try:
                shown = percentiles(sampled(browser, page, args.requests))
                read = percentiles(sampled(api, rest, args.requests))
            except RuntimeError as exc:
                print(f"{name:<18} failed: {exc}")
                continue
            worst = max(worst, shown[1])
            ok = "yes" if shown[1] < TARGET_MS else "NO"
            print(
                f"{name:<18} {shown[0]:9.1f} {shown[1]:7.1f} {read[0]:9.1f} {read[1]:7.1f} "
                f"{shown[0] / read[0]:10.2f}  {ok}"
            )
            record(
                "console",
                f"page: {name}, p95",
                shown[1],
                "ms",
                baseline=read[1],
                baseline_name="its REST read",
                better="lower",
                target=TARGET_MS,
            )
        print(f"slowest page p95: {worst:.1f} ms (target {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
