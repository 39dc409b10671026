from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.add_version_files_body import AddVersionFilesBody
from ...models.add_version_json_regenerate_in import AddVersionJsonRegenerateIn
from ...models.document_version_out_envelope import DocumentVersionOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    document_id: UUID,
    *,
    body: AddVersionJsonRegenerateIn | AddVersionFilesBody | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/documents/{document_id}/versions".format(
            document_id=quote(str(document_id), safe=""),
        ),
    }

    if isinstance(body, AddVersionJsonRegenerateIn):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, AddVersionFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentVersionOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = DocumentVersionOutEnvelope.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DocumentVersionOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    document_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AddVersionJsonRegenerateIn | AddVersionFilesBody | Unset = UNSET,
) -> Response[DocumentVersionOutEnvelope | ErrorEnvelope]:
    """Add a version: upload a file (multipart 'file', 'note'?) or, for a generated document, render its
    pinned template again with new data (JSON {data, note?}); it becomes current

    Args:
        document_id (UUID):
        body (AddVersionJsonRegenerateIn): ``POST /documents/{id}/versions`` as JSON: render the
            pinned template again with new data.
        body (AddVersionFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentVersionOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        document_id=document_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    document_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AddVersionJsonRegenerateIn | AddVersionFilesBody | Unset = UNSET,
) -> DocumentVersionOutEnvelope | ErrorEnvelope | None:
    """Add a version: upload a file (multipart 'file', 'note'?) or, for a generated document, render its
    pinned template again with new data (JSON {data, note?}); it becomes current

    Args:
        document_id (UUID):
        body (AddVersionJsonRegenerateIn): ``POST /documents/{id}/versions`` as JSON: render the
            pinned template again with new data.
        body (AddVersionFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentVersionOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        document_id=document_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    document_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AddVersionJsonRegenerateIn | AddVersionFilesBody | Unset = UNSET,
) -> Response[DocumentVersionOutEnvelope | ErrorEnvelope]:
    """Add a version: upload a file (multipart 'file', 'note'?) or, for a generated document, render its
    pinned template again with new data (JSON {data, note?}); it becomes current

    Args:
        document_id (UUID):
        body (AddVersionJsonRegenerateIn): ``POST /documents/{id}/versions`` as JSON: render the
            pinned template again with new data.
        body (AddVersionFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentVersionOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        document_id=document_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    document_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AddVersionJsonRegenerateIn | AddVersionFilesBody | Unset = UNSET,
) -> DocumentVersionOutEnvelope | ErrorEnvelope | None:
    """Add a version: upload a file (multipart 'file', 'note'?) or, for a generated document, render its
    pinned template again with new data (JSON {data, note?}); it becomes current

    Args:
        document_id (UUID):
        body (AddVersionJsonRegenerateIn): ``POST /documents/{id}/versions`` as JSON: render the
            pinned template again with new data.
        body (AddVersionFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentVersionOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            document_id=document_id,
            client=client,
            body=body,
        )
    ).parsed
