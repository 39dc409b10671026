from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    dashboard_id: UUID,
    *,
    interval: int | Unset = 15,
    once: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["interval"] = interval

    params["once"] = once

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/dashboards/{dashboard_id}/stream".format(
            dashboard_id=quote(str(dashboard_id), safe=""),
        ),
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

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

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
    dashboard_id: UUID,
    *,
    client: AuthenticatedClient,
    interval: int | Unset = 15,
    once: bool | Unset = False,
) -> Response[ErrorEnvelope | str]:
    """Live tiles (Server-Sent Events): every tile, then the ones that changed, every `interval` s

     The stream closes after the server's lifetime (`KEEL_DASHBOARD_STREAM_SECONDS`, 1 hour by default)
    or at once with `once=true`, after the first tiles; the client reconnects. Each tick reads in a
    short transaction of its own.

    Args:
        dashboard_id (UUID):
        interval (int | Unset): seconds between ticks Default: 15.
        once (bool | Unset): send what there is now, then close Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        dashboard_id=dashboard_id,
        interval=interval,
        once=once,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    dashboard_id: UUID,
    *,
    client: AuthenticatedClient,
    interval: int | Unset = 15,
    once: bool | Unset = False,
) -> ErrorEnvelope | str | None:
    """Live tiles (Server-Sent Events): every tile, then the ones that changed, every `interval` s

     The stream closes after the server's lifetime (`KEEL_DASHBOARD_STREAM_SECONDS`, 1 hour by default)
    or at once with `once=true`, after the first tiles; the client reconnects. Each tick reads in a
    short transaction of its own.

    Args:
        dashboard_id (UUID):
        interval (int | Unset): seconds between ticks Default: 15.
        once (bool | Unset): send what there is now, then close Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return sync_detailed(
        dashboard_id=dashboard_id,
        client=client,
        interval=interval,
        once=once,
    ).parsed


async def asyncio_detailed(
    dashboard_id: UUID,
    *,
    client: AuthenticatedClient,
    interval: int | Unset = 15,
    once: bool | Unset = False,
) -> Response[ErrorEnvelope | str]:
    """Live tiles (Server-Sent Events): every tile, then the ones that changed, every `interval` s

     The stream closes after the server's lifetime (`KEEL_DASHBOARD_STREAM_SECONDS`, 1 hour by default)
    or at once with `once=true`, after the first tiles; the client reconnects. Each tick reads in a
    short transaction of its own.

    Args:
        dashboard_id (UUID):
        interval (int | Unset): seconds between ticks Default: 15.
        once (bool | Unset): send what there is now, then close Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        dashboard_id=dashboard_id,
        interval=interval,
        once=once,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    dashboard_id: UUID,
    *,
    client: AuthenticatedClient,
    interval: int | Unset = 15,
    once: bool | Unset = False,
) -> ErrorEnvelope | str | None:
    """Live tiles (Server-Sent Events): every tile, then the ones that changed, every `interval` s

     The stream closes after the server's lifetime (`KEEL_DASHBOARD_STREAM_SECONDS`, 1 hour by default)
    or at once with `once=true`, after the first tiles; the client reconnects. Each tick reads in a
    short transaction of its own.

    Args:
        dashboard_id (UUID):
        interval (int | Unset): seconds between ticks Default: 15.
        once (bool | Unset): send what there is now, then close Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return (
        await asyncio_detailed(
            dashboard_id=dashboard_id,
            client=client,
            interval=interval,
            once=once,
        )
    ).parsed
