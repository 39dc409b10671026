"""Report runs as PDF (title, time zone, filters, every row, the header on each page; a run over the
row limit fails suggesting CSV) and the list of a report's runs (newest first, paginated, its own
report's runs only, another tenant's report a 404)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine

from domain.analytics import report_pdf
from tests.api.conftest import Api, data, error_of
from tests.api.test_analytics_metrics import add_processes
from tests.api.test_reports import FACTS, GROUPED, PATH, WINDOW, finished, report, run_file
from tests.conftest import TenantFixture


def text_of(content: bytes) -> tuple[int, str]:
    pdf = PdfReader(io.BytesIO(content))
    return len(pdf.pages), "\n".join(page.extract_text() for page in pdf.pages)


def test_a_pdf_run_shows_title_time_zone_filters_and_every_row(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    add_processes(engine, tenant, FACTS)
    plain = data(admin.post(PATH, json=report(name="Approvals <longest>")), 201)
    content, run, headers = run_file(admin, plain["id"], "pdf", timezone="Europe/Berlin")
    assert headers["content-type"] == "application/pdf" and content.startswith(b"%PDF-")
    assert headers["content-disposition"].endswith('.pdf"') and run["rows_total"] == run["rows_written"] == 4
    pages, text = text_of(content)
    assert pages == 1 and re.findall(r"Page (\d+)", text) == ["1"]
    assert "Approvals <longest>" in text and "(Europe/Berlin)" in text
    assert "Filters: definition is approval" in text and "from 2026-10-20 02:00 to 2026-10-30 01:00" in text
    # Longest first; times in Berlin (summer time until the 25th).
    assert [line.split()[1] for line in text.splitlines() if line.startswith("approval ")] == [
        "120",
        "120",
        "60",
        "30",
    ]
    assert "2026-10-21 11:00" in text and "2026-10-24 11:00" in text


def test_a_long_pdf_is_laid_out_in_chunks_numbered_on_with_its_header_on_every_page(
    admin: Api, engine: Engine, tenant: TenantFixture, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(report_pdf, "CHUNK", 30)
    start = datetime(2026, 10, 21, tzinfo=UTC)
    add_processes(engine, tenant, [(f"flow-{i:03}", start + timedelta(minutes=i), i) for i in range(90)])
    grouped = data(admin.post(PATH, json=GROUPED | {"sort": [{"column": "definition"}]}), 201)
    content, run, _ = run_file(admin, grouped["id"], "pdf")
    pdf = PdfReader(io.BytesIO(content))
    texts = [page.extract_text() for page in pdf.pages]
    assert run["rows_total"] == 90 and len(texts) >= 3
    every = "\n".join(texts)
    found = [line.split()[0] for line in every.splitlines() if line.startswith("flow-")]
    assert found == [f"flow-{i:03}" for i in range(90)]  # every row once, in order, across the chunks
    assert all("definition count_duration sum_duration max_duration" in t for t in texts)
    assert [re.findall(r"Page (\d+)", t) for t in texts] == [[str(n)] for n in range(1, len(texts) + 1)]
    assert texts[0].count("Per definition") == 2 and "Generated" not in texts[1]


def test_a_run_over_the_pdf_row_limit_fails_suggesting_csv(
    admin: Api, engine: Engine, tenant: TenantFixture, monkeypatch: pytest.MonkeyPatch
):
    add_processes(engine, tenant, FACTS)
    monkeypatch.setattr(report_pdf, "MAX_ROWS", 3)
    plain = data(admin.post(PATH, json=report()), 201)
    started = admin.post(f"{PATH}/{plain['id']}/runs", json={"format": "pdf", **WINDOW})
    assert started.status_code == 202, started.text
    run = finished(admin, started.headers["location"])
    assert run["status"] == "failed" and run["rows_written"] == 0
    assert "at most 3 rows" in run["error"] and "has 4" in run["error"] and "CSV" in run["error"]
    error_of(admin.get(f"{started.headers['location']}/download"), 409, "conflict")
    error_of(admin.post(f"{PATH}/{plain['id']}/runs", json={"format": "docx"}), 422, "validation_failed")


def test_a_reports_runs_are_listed_newest_first_a_page_at_a_time(admin: Api, api: Any, make_tenant: Any):
    one = data(admin.post(PATH, json=report()), 201)
    two = data(admin.post(PATH, json=GROUPED), 201)
    made = [
        data(admin.post(f"{PATH}/{one['id']}/runs", json={"format": f}), 202)["id"]
        for f in ("csv", "json", "xlsx")
    ]
    data(admin.post(f"{PATH}/{two['id']}/runs", json={"format": "csv"}), 202)
    first = admin.get(f"{PATH}/{one['id']}/runs", params={"limit": 2}).json()
    assert [r["id"] for r in first["data"]] == made[:0:-1] and first["meta"]["next_cursor"]
    rest = admin.get(f"{PATH}/{one['id']}/runs", params={"limit": 2, "cursor": first["meta"]["next_cursor"]})
    assert [r["id"] for r in data(rest)] == made[:1] and rest.json()["meta"].get("next_cursor") is None
    assert {r["report_id"] for r in first["data"]} == {one["id"]} and first["data"][0]["format"] == "xlsx"
    error_of(admin.get(f"{PATH}/{one['id']}/runs", params={"cursor": "forged"}), 422, "validation_failed")
    error_of(admin.get(f"{PATH}/{one['id']}/runs", params={"limit": 0}), 422, "validation_failed")
    other = api(make_tenant("Other").api_key)
    error_of(other.get(f"{PATH}/{one['id']}/runs"), 404, "not_found")
