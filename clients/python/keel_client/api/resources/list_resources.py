from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.list_resources_kind_type_0 import ListResourcesKindType0
from ...models.resource_out_page import ResourceOutPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    tag: list[str] | None | Unset = UNSET,
    kind: ListResourcesKindType0 | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_tag: list[str] | None | Unset
    if isinstance(tag, Unset):
        json_tag = UNSET
    elif isinstance(tag, list):
        json_tag = tag

    else:
        json_tag = tag
    params["tag"] = json_tag

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, ListResourcesKindType0):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/resources",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ResourceOutPage | None:
    if response.status_code == 200:
        response_200 = ResourceOutPage.from_dict(response.json())

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
) -> Response[ErrorEnvelope | ResourceOutPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    tag: list[str] | None | Unset = UNSET,
    kind: ListResourcesKindType0 | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | ResourceOutPage]:
    """List resources, newest first: ?tag=surgeon (repeatable, all must match), ?kind=room

    Args:
        tag (list[str] | None | Unset): every tag given must be on the resource
        kind (ListResourcesKindType0 | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ResourceOutPage]
    """

    kwargs = _get_kwargs(
        tag=tag,
        kind=kind,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    tag: list[str] | None | Unset = UNSET,
    kind: ListResourcesKindType0 | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | ResourceOutPage | None:
    """List resources, newest first: ?tag=surgeon (repeatable, all must match), ?kind=room

    Args:
        tag (list[str] | None | Unset): every tag given must be on the resource
        kind (ListResourcesKindType0 | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ResourceOutPage
    """

    return sync_detailed(
        client=client,
        tag=tag,
        kind=kind,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    tag: list[str] | None | Unset = UNSET,
    kind: ListResourcesKindType0 | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | ResourceOutPage]:
    """List resources, newest first: ?tag=surgeon (repeatable, all must match), ?kind=room

    Args:
        tag (list[str] | None | Unset): every tag given must be on the resource
        kind (ListResourcesKindType0 | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ResourceOutPage]
    """

    kwargs = _get_kwargs(
        tag=tag,
        kind=kind,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    tag: list[str] | None | Unset = UNSET,
    kind: ListResourcesKindType0 | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | ResourceOutPage | None:
    """List resources, newest first: ?tag=surgeon (repeatable, all must match), ?kind=room

    Args:
        tag (list[str] | None | Unset): every tag given must be on the resource
        kind (ListResourcesKindType0 | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ResourceOutPage
    """

    return (
        await asyncio_detailed(
            client=client,
            tag=tag,
            kind=kind,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
