"""The credential is checked before anything else reads the request; public routes are listed."""

from __future__ import annotations

import uuid

from fastapi.routing import APIRoute, iter_route_contexts

from api.app import create_app
from api.deps import current_context
from api.public import PUBLIC_ROUTES
from tests.api.conftest import Api, data, error_of

ASK = "Send 'Authorization: Bearer <access token or API key>'."


def _unauthenticated(response: object) -> None:
    err = error_of(response, 401, "unauthenticated")  # type: ignore[arg-type]
    assert err["message"] == ASK
    assert response.headers["www-authenticate"] == "Bearer"  # type: ignore[attr-defined]


def test_anonymous_bad_input_is_a_401_before_any_parsing(anonymous: Api, admin: Api) -> None:
    raw = {"content-type": "application/json"}
    _unauthenticated(anonymous.post("/api/v1/processes", content=b"{not json", headers=raw))
    _unauthenticated(anonymous.post("/api/v1/processes", content=b"[" * 5000, headers=raw))
    _unauthenticated(anonymous.post("/api/v1/entity-types", content=b'{"name": "\\u0000"}', headers=raw))
    _unauthenticated(anonymous.get("/api/v1/users?email=%00"))
    _unauthenticated(anonymous.get("/api/v1/processes?cursor=!!!garbage"))
    _unauthenticated(
        anonymous.get(f"/api/v1/entity-types/{uuid.uuid4()}", headers={"Authorization": "Basic x"})
    )
    bad_key = {"Authorization": "Bearer keel_not_a_key"}
    error_of(
        anonymous.post("/api/v1/processes", content=b"{not", headers=raw | bad_key), 401, "unauthenticated"
    )
    # With a credential, the same body is the parser's 400.
    error_of(admin.post("/api/v1/processes", content=b"{not json", headers=raw), 400, "bad_request")
    assert data(admin.get("/api/v1/entity-types")) == []


def test_public_routes_answer_without_a_credential(anonymous: Api) -> None:
    assert anonymous.get("/healthz").status_code == 200
    assert anonymous.get("/openapi.json").status_code == 200
    login = anonymous.post("/api/v1/auth/token", data={"username": "nobody@example.com", "password": "wrong"})
    assert login.status_code == 401 and login.json()["error"]["message"] != ASK
    feed = anonymous.get(f"/api/v1/resources/{uuid.uuid4()}/calendar.ics", params={"token": "x"})
    assert feed.status_code in (401, 403, 404) and ASK not in feed.text
    # An unknown route is a 404, not a demand for a credential.
    error_of(anonymous.get("/api/v1/no-such-thing"), 404, "not_found")


def _takes_context(route: APIRoute) -> bool:
    pending, seen = [route.dependant], []
    while pending:
        dependant = pending.pop()
        seen.append(dependant.call)
        pending.extend(dependant.dependencies)
    return current_context in seen


def test_every_route_is_either_listed_public_or_takes_the_context(settings) -> None:
    app = create_app(settings)
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        for method in context.methods or ():
            if method == "HEAD":
                continue
            key = (method, str(context.path))
            found.add(key)
            listed = key in PUBLIC_ROUTES
            private = isinstance(route, APIRoute) and _takes_context(route)
            assert listed != private, f"{key}: list it in api.public.PUBLIC_ROUTES or depend on Ctx"
    assert found >= PUBLIC_ROUTES, f"listed but gone: {PUBLIC_ROUTES - found}"
