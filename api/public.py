"""Which routes answer without a credential: an explicit allow-list, everything else authenticates.

The middleware authenticates before FastAPI parses the body, so an anonymous caller learns nothing
from the body's validation (a 401 comes before a 400 or 422). A route absent from this list
requires a credential even if it forgot the ``Ctx`` dependency (fail closed); a test walks
``app.routes`` so a new public route must be listed here and a listed one must not take ``Ctx``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.routing import Match
from starlette.types import Scope

# (method, path template) of the routes anyone may call; each authenticates its caller otherwise
# (a password, a provider's signature, a feed token in the query) or serves no tenant data.
PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("POST", "/api/v1/auth/token"),
        ("POST", "/api/v1/providers/sendgrid/events"),
        ("POST", "/api/v1/providers/twilio/status"),
        ("GET", "/api/v1/resources/{resource_id:uuid}/calendar.ics"),
        ("GET", "/api/v1/bookings.ics"),
    }
)


@dataclass(frozen=True)
class Matched:
    path: str
    public: bool
    path_params: dict[str, Any]


def match(scope: Scope, public: frozenset[tuple[str, str]] | set[tuple[str, str]]) -> Matched | None:
    """The route the router will pick for this request (first full match, in routing order)."""
    app = scope.get("app")
    if app is None:
        return None
    probe = {"type": scope["type"], "path": scope["path"], "method": scope["method"], "root_path": ""}
    method = "GET" if scope["method"] == "HEAD" else scope["method"]
    for context in _contexts(app):
        found, child = context.matches(probe)
        if found == Match.FULL:
            path = str(context.path)
            return Matched(path, (method, path) in public, dict(child.get("path_params", {})))
    return None


def _contexts(app: Any) -> list[Any]:
    """The flattened routes, rebuilt only when routes were added (tests add some after start-up)."""
    cached: tuple[int, list[Any]] | None = getattr(app.state, "route_contexts", None)
    if cached is None or cached[0] != len(app.routes):
        cached = (len(app.routes), list(iter_route_contexts(app.routes)))
        app.state.route_contexts = cached
    return cached[1]
