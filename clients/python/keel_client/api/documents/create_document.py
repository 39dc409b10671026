from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_document_files_body import CreateDocumentFilesBody
from ...models.create_document_json_generate_in import CreateDocumentJsonGenerateIn
from ...models.document_out_envelope import DocumentOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateDocumentJsonGenerateIn | CreateDocumentFilesBody | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/documents",
    }

    if isinstance(body, CreateDocumentJsonGenerateIn):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, CreateDocumentFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = DocumentOutEnvelope.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = DocumentOutEnvelope.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorEnvelope.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DocumentOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateDocumentJsonGenerateIn | CreateDocumentFilesBody | Unset = UNSET,
) -> Response[DocumentOutEnvelope | ErrorEnvelope]:
    """Generate a document from a template (JSON {template, data, name, document_type, entity?, metadata?}:
    202, status 'generating', then 'ready' or 'failed' with the reason), or upload one (multipart 'file'
    and 'meta' JSON: 201, ready; the type is sniffed from the bytes; 413 past KEEL_DOCUMENT_MAX_BYTES; a
    PDF over KEEL_DOCUMENT_MAX_PAGES, encrypted, or a '.pdf' that is not a PDF is a 422)

    Args:
        body (CreateDocumentJsonGenerateIn): ``POST /documents`` as JSON: generate from a template
            with data.
        body (CreateDocumentFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateDocumentJsonGenerateIn | CreateDocumentFilesBody | Unset = UNSET,
) -> DocumentOutEnvelope | ErrorEnvelope | None:
    """Generate a document from a template (JSON {template, data, name, document_type, entity?, metadata?}:
    202, status 'generating', then 'ready' or 'failed' with the reason), or upload one (multipart 'file'
    and 'meta' JSON: 201, ready; the type is sniffed from the bytes; 413 past KEEL_DOCUMENT_MAX_BYTES; a
    PDF over KEEL_DOCUMENT_MAX_PAGES, encrypted, or a '.pdf' that is not a PDF is a 422)

    Args:
        body (CreateDocumentJsonGenerateIn): ``POST /documents`` as JSON: generate from a template
            with data.
        body (CreateDocumentFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateDocumentJsonGenerateIn | CreateDocumentFilesBody | Unset = UNSET,
) -> Response[DocumentOutEnvelope | ErrorEnvelope]:
    """Generate a document from a template (JSON {template, data, name, document_type, entity?, metadata?}:
    202, status 'generating', then 'ready' or 'failed' with the reason), or upload one (multipart 'file'
    and 'meta' JSON: 201, ready; the type is sniffed from the bytes; 413 past KEEL_DOCUMENT_MAX_BYTES; a
    PDF over KEEL_DOCUMENT_MAX_PAGES, encrypted, or a '.pdf' that is not a PDF is a 422)

    Args:
        body (CreateDocumentJsonGenerateIn): ``POST /documents`` as JSON: generate from a template
            with data.
        body (CreateDocumentFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateDocumentJsonGenerateIn | CreateDocumentFilesBody | Unset = UNSET,
) -> DocumentOutEnvelope | ErrorEnvelope | None:
    """Generate a document from a template (JSON {template, data, name, document_type, entity?, metadata?}:
    202, status 'generating', then 'ready' or 'failed' with the reason), or upload one (multipart 'file'
    and 'meta' JSON: 201, ready; the type is sniffed from the bytes; 413 past KEEL_DOCUMENT_MAX_BYTES; a
    PDF over KEEL_DOCUMENT_MAX_PAGES, encrypted, or a '.pdf' that is not a PDF is a 422)

    Args:
        body (CreateDocumentJsonGenerateIn): ``POST /documents`` as JSON: generate from a template
            with data.
        body (CreateDocumentFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
