"""Unexpected errors: a 500 envelope with a correlation id that is in the logs, never a traceback."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError

from api.app import create_app


def test_unexpected_error_is_a_500_with_correlation_id(settings, caplog):
    app = create_app(settings.model_copy(update={"temporal_address": "127.0.0.1:1"}))

    def explode() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.add_api_route("/explode", explode)
    app.state.public_routes.add(("GET", "/explode"))
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        r = client.get("/explode", headers={"X-Correlation-ID": "trace-42"})
    assert r.status_code == 500
    body = r.json()
    assert body["status"] == "error" and body["error"]["code"] == "internal_error"
    assert body["error"]["details"] == {"correlation_id": "trace-42"}
    assert "hunter2" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    logged = [rec for rec in caplog.records if rec.name == "keel.api" and rec.levelno >= logging.ERROR]
    assert logged and logged[0].__dict__["correlation_id"] == "trace-42"


def test_unknown_route_and_method_use_the_envelope(settings):
    app = create_app(settings.model_copy(update={"temporal_address": "127.0.0.1:1"}))
    with TestClient(app) as client:
        r = client.get("/api/v1/nope")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        r = client.delete("/api/v1/users")
        assert r.status_code == 405 and r.json()["status"] == "error"


def test_a_value_the_database_cannot_store_is_a_422(settings):
    app = create_app(settings.model_copy(update={"temporal_address": "127.0.0.1:1"}))

    def overflow() -> None:
        raise DataError("INSERT …", {}, Exception("integer out of range"))

    app.add_api_route("/overflow", overflow)
    app.state.public_routes.add(("GET", "/overflow"))
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/overflow")
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_failed"
    assert r.json()["error"]["details"]["fields"][0]["field"] == "body"
    assert "integer out of range" not in r.text and "INSERT" not in r.text
