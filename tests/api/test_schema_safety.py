"""A tenant's JSON Schemas cannot stall the API (RE2 patterns, bounded size) nor make it fetch anything."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import Api, data, error_of

EVIL = "^(a+)+$"
EVIL_VALUE = "a" * 34 + "!"


def _type(name: str, properties: dict[str, Any], **schema: Any) -> dict[str, Any]:
    return {"name": name, "schema": {"type": "object", "properties": properties} | schema}


def _fields(err: dict[str, Any]) -> list[str]:
    return [f["field"] for f in err["details"]["fields"]]


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"type": "string"}')

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_a_catastrophic_pattern_answers_at_once_and_the_api_stays_up(admin: Api, live: Any) -> None:
    data(
        admin.post("/api/v1/entity-types", json=_type("word", {"w": {"type": "string", "pattern": EVIL}})),
        201,
    )
    data(
        admin.post(
            "/api/v1/entity-types",
            json=_type(
                "bag",
                {"x": {"type": "integer"}},
                patternProperties={EVIL: {"type": "integer"}},
                additionalProperties=False,
            ),
        ),
        201,
    )
    health: list[float] = []

    def probe() -> None:
        start = time.monotonic()
        httpx.get(f"{live.url}/healthz", timeout=10).raise_for_status()
        health.append(time.monotonic() - start)

    start = time.monotonic()
    prober = threading.Thread(target=probe)
    prober.start()
    err = error_of(
        admin.post("/api/v1/entities/word", json={"attributes": {"w": EVIL_VALUE}}), 422, "validation_failed"
    )
    assert _fields(err) == ["/attributes/w"]
    err = error_of(
        admin.post("/api/v1/entities/bag", json={"attributes": {EVIL_VALUE: 1}}), 422, "validation_failed"
    )
    assert err["details"]["fields"]
    prober.join(10)
    assert time.monotonic() - start < 3 and health and health[0] < 3
    # Matching values still pass, on both keywords.
    data(admin.post("/api/v1/entities/word", json={"attributes": {"w": "aaa"}}), 201)
    data(admin.post("/api/v1/entities/bag", json={"attributes": {"aaa": 1}}), 201)
    assert len(data(admin.get("/api/v1/entities/word"))) == 1


def test_patterns_re2_cannot_run_and_oversized_schemas_are_refused(admin: Api) -> None:
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(40):
        deep = {"type": "object", "properties": {"x": deep}}
    cases = [
        (_type("t", {"w": {"type": "string", "pattern": r"^(a)\1$"}}), "/schema/properties/w/pattern"),
        (_type("t", {"w": {"type": "string", "pattern": "(?=a)a"}}), "/schema/properties/w/pattern"),
        (_type("t", {"w": {"type": "string", "pattern": "a" * 1001}}), "/schema/properties/w/pattern"),
        (
            _type("t", {"w": {"type": "string", "pattern": "[a-z]{1000}[0-9]{1000}"}}),
            "/schema/properties/w/pattern",
        ),
        (
            _type("t", {"w": {"type": "object"}}, patternProperties={"(?<!x)y": {}}),
            "/schema/patternProperties/(?<!x)y",
        ),
        (_type("t", {"w": deep}), None),
        (_type("t", {f"p{i}": {"type": "string", "minLength": 1} for i in range(1500)}), "/schema"),
    ]
    for body, field in cases:
        err = error_of(admin.post("/api/v1/entity-types", json=body), 422, "validation_failed")
        if field is not None:
            assert field in _fields(err), err
    assert data(admin.get("/api/v1/entity-types")) == []


def test_a_ref_outside_the_schema_is_refused_and_nothing_is_fetched(
    admin: Api, counting_server: tuple[str, list[str]]
) -> None:
    url, hits = counting_server
    for ref in (f"{url}/x.json", "file:///etc/passwd", "other.json", "#/$defs/missing"):
        body = _type("t", {"w": {"$ref": ref}})
        err = error_of(admin.post("/api/v1/entity-types", json=body), 422, "validation_failed")
        assert _fields(err) == ["/schema/properties/w/$ref"], err
        body = {"name": "rel", "cardinality": "many_to_many", "attributes_schema": {"$ref": ref}}
        err = error_of(admin.post("/api/v1/relation-types", json=body), 422, "validation_failed")
        assert "/attributes_schema/$ref" in _fields(err), err
    # A $ref into an embedded $id resource and one with a relative $id base both resolve: still nothing fetched.
    embedded = {
        "$id": f"{url}/root.json",
        "type": "object",
        "properties": {"w": {"$ref": "item.json"}, "v": {"$ref": "#/$defs/n"}},
        "$defs": {"item": {"$id": "item.json", "type": "string"}, "n": {"type": "integer"}},
    }
    data(admin.post("/api/v1/entity-types", json={"name": "ok", "schema": embedded}), 201)
    err = error_of(
        admin.post("/api/v1/entities/ok", json={"attributes": {"w": 1, "v": "x"}}), 422, "validation_failed"
    )
    assert _fields(err) == ["/attributes/v", "/attributes/w"]
    data(admin.post("/api/v1/entities/ok", json={"attributes": {"w": "x", "v": 1}}), 201)
    cyclic = _type("cyc", {"w": {"$ref": "#"}})
    error_of(admin.post("/api/v1/entity-types", json=cyclic), 422, "validation_failed")
    assert hits == []
    assert [t["name"] for t in data(admin.get("/api/v1/entity-types"))] == ["ok"]
    assert data(admin.get("/api/v1/relation-types")) == []
