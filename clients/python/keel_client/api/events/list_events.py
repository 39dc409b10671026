import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.event_out_page import EventOutPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_process_id: None | str | Unset
    if isinstance(process_id, Unset):
        json_process_id = UNSET
    elif isinstance(process_id, UUID):
        json_process_id = str(process_id)
    else:
        json_process_id = process_id
    params["process_id"] = json_process_id

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
        "url": "/api/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | EventOutPage | None:
    if response.status_code == 200:
        response_200 = EventOutPage.from_dict(response.json())

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
) -> Response[ErrorEnvelope | EventOutPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    type_: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | EventOutPage]:
    """The tenant's domain events, newest first (type: exact, prefix.* or *)

    Args:
        type_ (None | str | Unset): task.completed, task.* or *
        since (datetime.datetime | None | Unset): RFC 3339: events at or after this instant
        process_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | EventOutPage]
    """

    kwargs = _get_kwargs(
        type_=type_,
        since=since,
        process_id=process_id,
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
    type_: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | EventOutPage | None:
    """The tenant's domain events, newest first (type: exact, prefix.* or *)

    Args:
        type_ (None | str | Unset): task.completed, task.* or *
        since (datetime.datetime | None | Unset): RFC 3339: events at or after this instant
        process_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | EventOutPage
    """

    return sync_detailed(
        client=client,
        type_=type_,
        since=since,
        process_id=process_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    type_: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | EventOutPage]:
    """The tenant's domain events, newest first (type: exact, prefix.* or *)

    Args:
        type_ (None | str | Unset): task.completed, task.* or *
        since (datetime.datetime | None | Unset): RFC 3339: events at or after this instant
        process_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | EventOutPage]
    """

    kwargs = _get_kwargs(
        type_=type_,
        since=since,
        process_id=process_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    type_: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | EventOutPage | None:
    """The tenant's domain events, newest first (type: exact, prefix.* or *)

    Args:
        type_ (None | str | Unset): task.completed, task.* or *
        since (datetime.datetime | None | Unset): RFC 3339: events at or after this instant
        process_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | EventOutPage
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            since=since,
            process_id=process_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
