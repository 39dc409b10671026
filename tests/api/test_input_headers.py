"""Security headers on every response; the trailing-slash redirect never trusts the Host header."""

from __future__ import annotations

import http.client

from tests.api.conftest import Api, data
from web import pages
from web.docs_routes import REDOC_CSP

STRICT = "default-src 'none'; frame-ancestors 'none'"


def _secured(response: object, csp: str = STRICT) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == csp


def test_every_kind_of_response_carries_the_headers(admin: Api, anonymous: Api) -> None:
    _secured(anonymous.get("/healthz"))
    _secured(anonymous.get("/api/v1/users"))  # 401
    _secured(anonymous.get("/api/v1/nope"))  # 404
    _secured(admin.get("/api/v1/users?email=%00"))  # 422 from the middleware
    _secured(admin.post("/api/v1/entity-types", json={}))  # 422 from the route
    _secured(admin.post("/api/v1/entity-types", content=b"x" * 70000))  # 413
    _secured(admin.get("/api/v1/entity-types"))
    _secured(anonymous.get("/openapi.json"))


def test_docs_pages_carry_the_console_csp(anonymous: Api) -> None:
    docs = anonymous.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    # Swagger UI and ReDoc are Keel's own static files, started without inline script.
    _secured(docs, pages.CSP)
    _secured(anonymous.get("/docs/oauth2-redirect"), pages.CSP)
    _secured(anonymous.get("/redoc"), REDOC_CSP)


def test_trailing_slash_redirect_is_relative_whatever_the_host(admin: Api, anonymous: Api) -> None:
    for client in (admin, anonymous):
        r = client.get("/api/v1/users/?limit=5&email=a%40b.c", headers={"Host": "evil.example"})
        assert r.status_code == 307
        assert r.headers["location"] == "/api/v1/users?limit=5&email=a%40b.c"
        _secured(r)
    assert data(admin.get("/api/v1/users/", follow_redirects=True)) != []
    # A path no route takes is a 404 either way, and a doubled slash never becomes another host.
    assert anonymous.get("/api/v1/nope/", headers={"Host": "evil.example"}).status_code == 404
    connection = http.client.HTTPConnection(anonymous.http.base_url.host, anonymous.http.base_url.port)
    connection.request("GET", "//evil.example/api/v1/users/")  # sent as is (httpx would normalise it)
    raw = connection.getresponse()
    assert raw.status == 404 and raw.getheader("location") is None
    connection.close()
