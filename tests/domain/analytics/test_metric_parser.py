"""Metric declarations parse with the rigour of process definitions: the shipped ones are valid, the
format's JSON Schema is the one in definitions/metrics/, and hostile documents are refused at once with
the place of the problem."""

from __future__ import annotations

import time

import pytest

from db.models.analytics import FACT_TABLES
from domain.analytics import service
from domain.analytics.parser import SCHEMA_PATH, MetricInvalid, parse, schema_text
from domain.analytics.sources import SOURCES

GOOD = "name: m\nversion: 1\ntitle: M\nsource: bookings\nmeasure: {agg: p95, field: lead_time}\n"


def problems(source: str | bytes) -> list[dict[str, object]]:
    with pytest.raises(MetricInvalid) as caught:
        parse(source)
    return caught.value.details["fields"]


def test_the_shipped_metrics_are_valid_and_the_schema_file_is_current():
    names = set(service.shipped())
    assert len(names) == len(list(SCHEMA_PATH.parent.glob("*.yaml"))) >= 10
    assert SCHEMA_PATH.read_text("utf-8") == schema_text()


def test_a_declaration_gets_its_defaults_and_a_stable_sha():
    parsed = parse(GOOD)
    assert parsed.declaration.grains == ["hour", "day", "week", "month"] and parsed.unit == "seconds"
    assert parse(GOOD.replace("title: M", "title:   M")).sha256 == parsed.sha256
    assert parse(GOOD.replace("p95", "count_distinct").replace("lead_time", "status")).unit == "count"


@pytest.mark.parametrize(
    ("source", "field", "line"),
    [
        (GOOD.replace("version: 1", "version: one"), "/version", 2),
        (GOOD.replace("name: m", "name: M M"), "/name", 1),
        (GOOD + "filters: [{dimension: status, op: in, value: x}]\n", "/filters/0", 6),
        (GOOD + "filters: [{dimension: status, op: like, value: x}]\n", "/filters/0/op", 6),
        (GOOD + "grains: [day, day]\n", "/grains", 6),
        (GOOD + "dimensions: [status, status]\n", "/dimensions/1", 6),
        (GOOD.replace("lead_time", "status"), "/measure/field", 5),  # a dimension is not numeric
        (GOOD + "version: 2\n", "/version", 6),  # duplicate key
        ("- a list\n", "", 1),
        ("name: [unclosed\n", "", 2),
    ],
)
def test_each_problem_names_its_field_line_and_column(source: str, field: str, line: int):
    found = problems(source)
    assert [(p["field"], p["line"]) for p in found][:1] == [(field, line)], found
    assert all(isinstance(p["column"], int) for p in found)


def test_hostile_documents_are_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    for source in (bomb, "a: " + "[" * 200 + "]" * 200, "x" * 70_000, b"name: \xff\n"):
        started = time.monotonic()
        assert problems(source)
        assert time.monotonic() - started < 0.5


def test_every_source_reads_its_facts_by_an_indexed_time():
    times = {model.__tablename__: time for model, time in FACT_TABLES}
    folded = {s.main.__tablename__: s.time.key for s in SOURCES.values() if not s.live}
    # Allocations are read by their booking's start (ix_bookings_tenant_start), usage events through
    # ix_usage_events_aggregation; the levels (open tasks, receivables) by their status indexes.
    assert folded == times | {"allocations": "start_at", "usage_events": "occurred_at"}
