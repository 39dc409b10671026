from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    interval: int | Unset = 5,
    once: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["interval"] = interval

    params["once"] = once

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tasks/stream",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | str | None:
    if response.status_code == 200:
        response_200 = response.text
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
) -> Response[ErrorEnvelope | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    interval: int | Unset = 5,
    once: bool | Unset = False,
) -> Response[ErrorEnvelope | str]:
    """My open tasks as they change (Server-Sent Events): a task that arrives, or that someone took

     Checked when a task of the organisation is written and at least every `interval` seconds, each in a
    short transaction of its own; the stream closes after the server's lifetime
    (`KEEL_DASHBOARD_STREAM_SECONDS`) or at once with `once=true`; the client reconnects. The console's
    inbox follows it.

    Args:
        interval (int | Unset): seconds between checks Default: 5.
        once (bool | Unset): send what there is now, then close Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        interval=interval,
        once=once,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    interval: int | Unset = 5,
    once: bool | Unset = False,
) -> ErrorEnvelope | str | None:
    """My open tasks as they change (Server-Sent Events): a task that arrives, or that someone took

     Checked when a task of the organisation is written and at least every `interval` seconds, each in a
    short transaction of its own; the stream closes after the server's lifetime
    (`KEEL_DASHBOARD_STREAM_SECONDS`) or at once with `once=true`; the client reconnects. The console's
    inbox follows it.

    Args:
        interval (int | Unset): seconds between checks Default: 5.
        once (bool | Unset): send what there is now, then close Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return sync_detailed(
        client=client,
        interval=interval,
        once=once,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    interval: int | Unset = 5,
    once: bool | Unset = False,
) -> Response[ErrorEnvelope | str]:
    """My open tasks as they change (Server-Sent Events): a task that arrives, or that someone took

     Checked when a task of the organisation is written and at least every `interval` seconds, each in a
    short transaction of its own; the stream closes after the server's lifetime
    (`KEEL_DASHBOARD_STREAM_SECONDS`) or at once with `once=true`; the client reconnects. The console's
    inbox follows it.

    Args:
        interval (int | Unset): seconds between checks Default: 5.
        once (bool | Unset): send what there is now, then close Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        interval=interval,
        once=once,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    interval: int | Unset = 5,
    once: bool | Unset = False,
) -> ErrorEnvelope | str | None:
    """My open tasks as they change (Server-Sent Events): a task that arrives, or that someone took

     Checked when a task of the organisation is written and at least every `interval` seconds, each in a
    short transaction of its own; the stream closes after the server's lifetime
    (`KEEL_DASHBOARD_STREAM_SECONDS`) or at once with `once=true`; the client reconnects. The console's
    inbox follows it.

    Args:
        interval (int | Unset): seconds between checks Default: 5.
        once (bool | Unset): send what there is now, then close Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            interval=interval,
            once=once,
        )
    ).parsed
