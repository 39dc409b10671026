from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.document_out_page import DocumentOutPage
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | Unset | UUID = UNSET,
    document_type: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_entity_type: None | str | Unset
    if isinstance(entity_type, Unset):
        json_entity_type = UNSET
    else:
        json_entity_type = entity_type
    params["entity_type"] = json_entity_type

    json_entity_id: None | str | Unset
    if isinstance(entity_id, Unset):
        json_entity_id = UNSET
    elif isinstance(entity_id, UUID):
        json_entity_id = str(entity_id)
    else:
        json_entity_id = entity_id
    params["entity_id"] = json_entity_id

    json_document_type: None | str | Unset
    if isinstance(document_type, Unset):
        json_document_type = UNSET
    else:
        json_document_type = document_type
    params["document_type"] = json_document_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/documents",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentOutPage | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = DocumentOutPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[DocumentOutPage | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | Unset | UUID = UNSET,
    document_type: None | str | Unset = UNSET,
) -> Response[DocumentOutPage | ErrorEnvelope]:
    """The tenant's documents, newest first; filters entity_type, entity_id, document_type and
    metadata[key]=value (top-level keys; several are ANDed)

    Args:
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page
        entity_type (None | str | Unset):
        entity_id (None | Unset | UUID):
        document_type (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentOutPage | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        entity_type=entity_type,
        entity_id=entity_id,
        document_type=document_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | Unset | UUID = UNSET,
    document_type: None | str | Unset = UNSET,
) -> DocumentOutPage | ErrorEnvelope | None:
    """The tenant's documents, newest first; filters entity_type, entity_id, document_type and
    metadata[key]=value (top-level keys; several are ANDed)

    Args:
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page
        entity_type (None | str | Unset):
        entity_id (None | Unset | UUID):
        document_type (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentOutPage | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        entity_type=entity_type,
        entity_id=entity_id,
        document_type=document_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | Unset | UUID = UNSET,
    document_type: None | str | Unset = UNSET,
) -> Response[DocumentOutPage | ErrorEnvelope]:
    """The tenant's documents, newest first; filters entity_type, entity_id, document_type and
    metadata[key]=value (top-level keys; several are ANDed)

    Args:
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page
        entity_type (None | str | Unset):
        entity_id (None | Unset | UUID):
        document_type (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentOutPage | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        entity_type=entity_type,
        entity_id=entity_id,
        document_type=document_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | Unset | UUID = UNSET,
    document_type: None | str | Unset = UNSET,
) -> DocumentOutPage | ErrorEnvelope | None:
    """The tenant's documents, newest first; filters entity_type, entity_id, document_type and
    metadata[key]=value (top-level keys; several are ANDed)

    Args:
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page
        entity_type (None | str | Unset):
        entity_id (None | Unset | UUID):
        document_type (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentOutPage | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            entity_type=entity_type,
            entity_id=entity_id,
            document_type=document_type,
        )
    ).parsed
