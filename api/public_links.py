"""What the public endpoints share (an invoice's payment link, a quote's link, a signing link): no
bearer, the token in the path is the credential. It names the tenant, whose session the route opens,
and the object. Their answers are kept out of caches and never sent on as a referrer."""

# No ``from __future__ import annotations``: the routes ``read_routes`` builds are annotated with the
# path parameter it is given, which FastAPI must see as an object, not as a name to resolve.

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.billing_answers import pdf_answer
from api.envelope import Envelope, errors, respond, success
from api.signing_signal import PDF_RESPONSE
from db.session import tenant_session
from domain.context import TenantContext
from keel.settings import Settings

TOKEN = "/{token}"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
TenantOf = Callable[..., TenantContext]
"""The domain's reading of a token: ``tenant_of(token, secret=...)``, a 404 for one it did not sign."""


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def secret_of(request: Request) -> str:
    """The key the links are signed with."""
    return settings_of(request).require_jwt_secret()


@contextmanager
def token_unit(request: Request, token: str, tenant_of: TenantOf) -> Iterator[Session]:
    """A transaction in the tenant the token names (a 404 for a token this server did not sign),
    committed when the block ends, rolled back if it raises."""
    ctx = tenant_of(token, secret=secret_of(request))
    with tenant_session(request.app.state.engine, ctx.tenant_id) as session:
        yield session


def no_store(data: Any) -> Response:
    """The success envelope of ``data``, kept out of caches."""
    return respond(success(data), headers=NO_STORE)


class View(Protocol):
    """The domain's reading of what a link shows: ``view(session, token, secret=...)``."""

    def __call__(self, session: Session, token: str, *, secret: str) -> dict[str, Any]: ...


Pdf = Callable[[Session, str, Settings], tuple[bytes, str]]
"""The domain's PDF of a link's object, read in its tenant's session: the bytes and the file's name."""


def link_view(tenant_of: TenantOf, view: View) -> Callable[[str, Request], dict[str, Any]]:
    """``view`` of a link's token, read in a transaction of the tenant it names: what the API route
    answers and the web page renders."""

    def read(token: str, request: Request) -> dict[str, Any]:
        with token_unit(request, token, tenant_of) as session:
            return view(session, token, secret=secret_of(request))

    return read


def read_routes(
    router: APIRouter,
    noun: str,
    token_description: str,
    *,
    model: type[BaseModel],
    tenant_of: TenantOf,
    view: Callable[[str, Request], dict[str, Any]],
    pdf: Pdf,
    summaries: tuple[str, str],
) -> None:
    """``GET /{token}``, what the link shows (``view``, as ``model``), and ``GET /{token}/pdf``, its PDF
    (``pdf``, read in a transaction of the tenant ``tenant_of`` finds in the token), named
    ``public_{noun}`` and ``public_{noun}_pdf``."""

    def read(request: Request, token: str = Path(max_length=512, description=token_description)) -> Response:
        return no_store(view(token, request))

    def read_pdf(
        request: Request, token: str = Path(max_length=512, description=token_description)
    ) -> Response:
        with token_unit(request, token, tenant_of) as session:
            content, name = pdf(session, token, settings_of(request))
        return pdf_answer(content, name, NO_STORE)

    router.get(
        TOKEN,
        name=f"public_{noun}",
        response_model=Envelope[model],  # type: ignore[valid-type]
        responses=errors(404),
        summary=summaries[0],
    )(read)
    router.get(
        TOKEN + "/pdf",
        name=f"public_{noun}_pdf",
        response_class=Response,
        responses=PDF_RESPONSE | errors(404, 409),
        summary=summaries[1],
    )(read_pdf)
