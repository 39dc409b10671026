"""Which routes answer without a credential: an explicit allow-list, everything else authenticates.

The middleware authenticates before FastAPI parses the body, so an anonymous caller learns nothing
from the body's validation (a 401 comes before a 400 or 422). A route absent from this list
requires a credential even if it forgot the ``Ctx`` dependency (fail closed); a test walks
``app.routes`` so a new public route must be listed here and a listed one must not take ``Ctx``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi.routing import iter_route_contexts
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
        ("POST", "/api/v1/auth/password-reset"),  # answers alike for any address; throttled
        ("POST", "/api/v1/auth/password-reset/confirm"),  # the emailed token is the credential
        ("POST", "/api/v1/providers/sendgrid/events"),
        ("POST", "/api/v1/providers/twilio/status"),
        ("POST", "/api/v1/providers/stripe/events"),  # its Stripe-Signature is the credential
        ("GET", "/api/v1/resources/{resource_id:uuid}/calendar.ics"),
        ("GET", "/api/v1/bookings.ics"),
        ("GET", "/api/v1/document-downloads/{token}"),  # a signed, expiring download link
        # A signer's endpoints: the signing link's token in the path is the credential.
        ("GET", "/api/v1/public/signing/{token}"),
        ("GET", "/api/v1/public/signing/{token}/pages/{number}"),
        ("GET", "/api/v1/public/signing/{token}/document"),
        ("POST", "/api/v1/public/signing/{token}/otp"),
        ("POST", "/api/v1/public/signing/{token}/sign"),
        ("POST", "/api/v1/public/signing/{token}/decline"),
        # A quote's customer: the quote link's token in the path is the credential.
        ("GET", "/api/v1/public/quotes/{token}"),
        ("GET", "/api/v1/public/quotes/{token}/pdf"),
        ("POST", "/api/v1/public/quotes/{token}/accept"),
        ("POST", "/api/v1/public/quotes/{token}/decline"),
        ("GET", "/quotes/{token}"),  # the quote page and its two forms
        ("POST", "/quotes/{token}/accept"),
        ("POST", "/quotes/{token}/decline"),
        # An invoice's payer: the payment link's token in the path is the credential.
        ("GET", "/api/v1/public/invoices/{token}"),
        ("GET", "/api/v1/public/invoices/{token}/pdf"),
        ("POST", "/api/v1/public/invoices/{token}/payment-intent"),
        ("GET", "/pay/{token}"),  # the payment page
        ("GET", "/sign/{token}"),  # the signing page: its token is the credential
        ("GET", "/web/static/{name}"),
        # The console authenticates its pages itself (its session cookie, or the sign-in page).
        ("GET", "/app"),
        ("GET", "/app/sign-in"),
        ("POST", "/app/sign-in"),  # a password, throttled as the token endpoint's
        ("POST", "/app/sign-in/code"),  # the second step's mfa token and code
        ("POST", "/app/sign-out"),
        ("GET", "/app/language"),
        ("GET", "/app/inbox"),
        ("GET", "/app/tasks/{task_id}"),
        ("GET", "/app/processes"),
        ("GET", "/app/processes/new"),
        ("GET", "/app/processes/{process_id}"),
        ("GET", "/app/security"),  # one's second factor and sessions (open before enrolment)
        # console: records
        ("GET", "/app/records"),
        ("GET", "/app/records/{type_name}"),
        ("GET", "/app/records/{type_name}/{record_id}"),
        # console: bookings
        ("GET", "/app/bookings"),
        ("GET", "/app/bookings/mine"),
        # console: dashboards
        ("GET", "/app/dashboards"),
        ("GET", "/app/dashboards/{dashboard_id}"),
        # console: documents
        ("GET", "/app/documents"),
        ("GET", "/app/documents/{document_id}"),
        # console: invoices
        ("GET", "/app/invoices"),
        ("GET", "/app/invoices/{invoice_id}"),
        # console: admin
        ("GET", "/app/admin"),
        ("GET", "/app/admin/users"),
        ("GET", "/app/admin/api-keys"),
        ("GET", "/app/admin/webhooks"),
        ("GET", "/app/admin/webhooks/{webhook_id}"),
        ("GET", "/app/admin/templates"),
        ("GET", "/app/admin/templates/{key}"),
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
    path, method = scope["path"], scope["method"]
    for regex, methods, template, convertors in _table(app):
        found = regex.match(path)
        if found is None or (methods is not None and method not in methods):
            continue
        params = {k: convertors[k].convert(v) for k, v in found.groupdict().items()}
        listed = ("GET" if method == "HEAD" else method, template) in public
        return Matched(template, listed, params)
    return None


_Row = tuple[re.Pattern[str], "set[str] | None", str, dict[str, Any]]


def _table(app: Any) -> list[_Row]:
    """Each route's compiled path, built once (again only when routes were added: tests add some)."""
    cached: tuple[int, list[_Row]] | None = getattr(app.state, "route_table", None)
    if cached is None or cached[0] != len(app.routes):
        rows = [
            (context.path_regex, context.methods, str(context.path), context.param_convertors)
            for context in iter_route_contexts(app.routes)
            if getattr(context, "path_regex", None) is not None
        ]
        cached = (len(app.routes), rows)
        app.state.route_table = cached
    return cached[1]
