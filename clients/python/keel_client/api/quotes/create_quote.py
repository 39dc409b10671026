from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.quote_in import QuoteIn
from ...models.quote_out_envelope import QuoteOutEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: QuoteIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/quotes",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | QuoteOutEnvelope | None:
    if response.status_code == 201:
        response_201 = QuoteOutEnvelope.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

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
) -> Response[ErrorEnvelope | QuoteOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: QuoteIn,
) -> Response[ErrorEnvelope | QuoteOutEnvelope]:
    """Create a draft quote in the customer's currency (numbered QUO-{year}-{000001})

     Lines as an invoice's: a catalogue `price` or a `description` with a `unit_amount`, a `quantity`, an
    optional `discount_percent` and `tax_category`, priced and taxed exactly as invoice lines.
    `valid_until` (a date, today at the earliest, at most 366 days ahead) is the last day the customer
    may accept. Bad input, another tenant's customer or price: a 422 naming the field, nothing stored.

    Args:
        body (QuoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | QuoteOutEnvelope]
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
    body: QuoteIn,
) -> ErrorEnvelope | QuoteOutEnvelope | None:
    """Create a draft quote in the customer's currency (numbered QUO-{year}-{000001})

     Lines as an invoice's: a catalogue `price` or a `description` with a `unit_amount`, a `quantity`, an
    optional `discount_percent` and `tax_category`, priced and taxed exactly as invoice lines.
    `valid_until` (a date, today at the earliest, at most 366 days ahead) is the last day the customer
    may accept. Bad input, another tenant's customer or price: a 422 naming the field, nothing stored.

    Args:
        body (QuoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | QuoteOutEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: QuoteIn,
) -> Response[ErrorEnvelope | QuoteOutEnvelope]:
    """Create a draft quote in the customer's currency (numbered QUO-{year}-{000001})

     Lines as an invoice's: a catalogue `price` or a `description` with a `unit_amount`, a `quantity`, an
    optional `discount_percent` and `tax_category`, priced and taxed exactly as invoice lines.
    `valid_until` (a date, today at the earliest, at most 366 days ahead) is the last day the customer
    may accept. Bad input, another tenant's customer or price: a 422 naming the field, nothing stored.

    Args:
        body (QuoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | QuoteOutEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: QuoteIn,
) -> ErrorEnvelope | QuoteOutEnvelope | None:
    """Create a draft quote in the customer's currency (numbered QUO-{year}-{000001})

     Lines as an invoice's: a catalogue `price` or a `description` with a `unit_amount`, a `quantity`, an
    optional `discount_percent` and `tax_category`, priced and taxed exactly as invoice lines.
    `valid_until` (a date, today at the earliest, at most 366 days ahead) is the last day the customer
    may accept. Bad input, another tenant's customer or price: a 422 naming the field, nothing stored.

    Args:
        body (QuoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | QuoteOutEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
