from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.process_out_envelope import ProcessOutEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    process_id: UUID,
    *,
    wait: float | Unset = 0.0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/processes/{process_id}".format(
            process_id=quote(str(process_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ProcessOutEnvelope | None:
    if response.status_code == 200:
        response_200 = ProcessOutEnvelope.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | ProcessOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    process_id: UUID,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = 0.0,
) -> Response[ErrorEnvelope | ProcessOutEnvelope]:
    """Get Process

    Args:
        process_id (UUID):
        wait (float | Unset): Seconds to wait for the process to end before answering (a long
            poll: one request instead of polling); absent or 0 answers at once. Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ProcessOutEnvelope]
    """

    kwargs = _get_kwargs(
        process_id=process_id,
        wait=wait,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    process_id: UUID,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = 0.0,
) -> ErrorEnvelope | ProcessOutEnvelope | None:
    """Get Process

    Args:
        process_id (UUID):
        wait (float | Unset): Seconds to wait for the process to end before answering (a long
            poll: one request instead of polling); absent or 0 answers at once. Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ProcessOutEnvelope
    """

    return sync_detailed(
        process_id=process_id,
        client=client,
        wait=wait,
    ).parsed


async def asyncio_detailed(
    process_id: UUID,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = 0.0,
) -> Response[ErrorEnvelope | ProcessOutEnvelope]:
    """Get Process

    Args:
        process_id (UUID):
        wait (float | Unset): Seconds to wait for the process to end before answering (a long
            poll: one request instead of polling); absent or 0 answers at once. Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ProcessOutEnvelope]
    """

    kwargs = _get_kwargs(
        process_id=process_id,
        wait=wait,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    process_id: UUID,
    *,
    client: AuthenticatedClient,
    wait: float | Unset = 0.0,
) -> ErrorEnvelope | ProcessOutEnvelope | None:
    """Get Process

    Args:
        process_id (UUID):
        wait (float | Unset): Seconds to wait for the process to end before answering (a long
            poll: one request instead of polling); absent or 0 answers at once. Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ProcessOutEnvelope
    """

    return (
        await asyncio_detailed(
            process_id=process_id,
            client=client,
            wait=wait,
        )
    ).parsed
