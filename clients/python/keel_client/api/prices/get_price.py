from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.price_out_envelope import PriceOutEnvelope
from ...types import Response


def _get_kwargs(
    price_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/prices/{price_id}".format(
            price_id=quote(str(price_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | PriceOutEnvelope | None:
    if response.status_code == 200:
        response_200 = PriceOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | PriceOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    price_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | PriceOutEnvelope]:
    """Get Price

    Args:
        price_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PriceOutEnvelope]
    """

    kwargs = _get_kwargs(
        price_id=price_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    price_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | PriceOutEnvelope | None:
    """Get Price

    Args:
        price_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PriceOutEnvelope
    """

    return sync_detailed(
        price_id=price_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    price_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | PriceOutEnvelope]:
    """Get Price

    Args:
        price_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PriceOutEnvelope]
    """

    kwargs = _get_kwargs(
        price_id=price_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    price_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | PriceOutEnvelope | None:
    """Get Price

    Args:
        price_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PriceOutEnvelope
    """

    return (
        await asyncio_detailed(
            price_id=price_id,
            client=client,
        )
    ).parsed
