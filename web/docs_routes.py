"""The API's reference pages: Swagger UI at ``/docs`` and ReDoc at ``/redoc``, both served from Keel's
own vendored copies (``web/static/VENDORED.md``), so they render on a machine with no internet.

They carry the console's headers and CSP (``pages.PAGE_HEADERS``): every script is a static file of
this origin, started by ``swagger-init.js`` or, for ReDoc, by its own ``<redoc spec-url>`` element.
ReDoc is the one page that needs more, see ``REDOC_CSP``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from web import pages

router = APIRouter(include_in_schema=False)

DOCS = "/docs"
REDOC = "/redoc"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"

# ReDoc needs two things beyond the console's CSP, and no 'unsafe-inline' (both checked, with no CSP
# report in the console, by tests/browser/test_api_docs.py):
# - style-src: styled-components creates *empty* <style> elements and fills them through the CSSOM,
#   which CSP does not govern; Chromium checks the empty element itself, so the hash of "" admits
#   exactly those. The bundle also inserts perfect-scrollbar's fixed stylesheet: admitted by its
#   hash, which changes only with the vendored file.
# - worker-src blob:: the search box runs its index in a Web Worker built from a blob: URL.
EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
SCROLLBAR_STYLE = "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='"
REDOC_CSP = (
    pages.CSP.replace("style-src 'self'", f"style-src 'self' {EMPTY_STYLE} {SCROLLBAR_STYLE}")
    + "; worker-src blob:"
)


def _openapi_url(request: Request) -> str:
    return request.app.openapi_url or "/openapi.json"


@router.get(DOCS, response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return pages.render(
        "api_docs/swagger.html",
        title=f"{request.app.title} API",
        openapi_url=_openapi_url(request),
        oauth2_redirect_url=OAUTH2_REDIRECT,
    )


@router.get(REDOC, response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return pages.render(
        "api_docs/redoc.html",
        headers={"Content-Security-Policy": REDOC_CSP},
        title=f"{request.app.title} API",
        openapi_url=_openapi_url(request),
    )


@router.get(OAUTH2_REDIRECT, response_class=HTMLResponse)
def swagger_ui_oauth2_redirect() -> HTMLResponse:
    """Where an OAuth2 provider sends Swagger UI's sign-in popup back; its script hands the answer to
    the /docs window that opened it."""
    return pages.render("api_docs/oauth2_redirect.html")
