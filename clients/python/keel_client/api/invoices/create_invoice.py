from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.invoice_in import InvoiceIn
from ...models.invoice_out_envelope import InvoiceOutEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: InvoiceIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/invoices",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | InvoiceOutEnvelope | None:
    if response.status_code == 201:
        response_201 = InvoiceOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | InvoiceOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: InvoiceIn,
) -> Response[ErrorEnvelope | InvoiceOutEnvelope]:
    """Create a draft invoice in the customer's currency

     Each line is a catalogue `price` or a `description` with a `unit_amount`, with a `quantity` (decimal
    string, default 1; required for a recurring or usage price, charged as one-off units), an optional
    `discount_percent` and `tax_category`. A line's amount is unit times quantity less the discount,
    rounded half up once; its tax comes from the customer's address and the category. An unknown or
    another tenant's customer or price, a price in another currency, or too many decimals is a 422
    naming the field, and nothing is stored.

    Args:
        body (InvoiceIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | InvoiceOutEnvelope]
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
    body: InvoiceIn,
) -> ErrorEnvelope | InvoiceOutEnvelope | None:
    """Create a draft invoice in the customer's currency

     Each line is a catalogue `price` or a `description` with a `unit_amount`, with a `quantity` (decimal
    string, default 1; required for a recurring or usage price, charged as one-off units), an optional
    `discount_percent` and `tax_category`. A line's amount is unit times quantity less the discount,
    rounded half up once; its tax comes from the customer's address and the category. An unknown or
    another tenant's customer or price, a price in another currency, or too many decimals is a 422
    naming the field, and nothing is stored.

    Args:
        body (InvoiceIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | InvoiceOutEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: InvoiceIn,
) -> Response[ErrorEnvelope | InvoiceOutEnvelope]:
    """Create a draft invoice in the customer's currency

     Each line is a catalogue `price` or a `description` with a `unit_amount`, with a `quantity` (decimal
    string, default 1; required for a recurring or usage price, charged as one-off units), an optional
    `discount_percent` and `tax_category`. A line's amount is unit times quantity less the discount,
    rounded half up once; its tax comes from the customer's address and the category. An unknown or
    another tenant's customer or price, a price in another currency, or too many decimals is a 422
    naming the field, and nothing is stored.

    Args:
        body (InvoiceIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | InvoiceOutEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: InvoiceIn,
) -> ErrorEnvelope | InvoiceOutEnvelope | None:
    """Create a draft invoice in the customer's currency

     Each line is a catalogue `price` or a `description` with a `unit_amount`, with a `quantity` (decimal
    string, default 1; required for a recurring or usage price, charged as one-off units), an optional
    `discount_percent` and `tax_category`. A line's amount is unit times quantity less the discount,
    rounded half up once; its tax comes from the customer's address and the category. An unknown or
    another tenant's customer or price, a price in another currency, or too many decimals is a 422
    naming the field, and nothing is stored.

    Args:
        body (InvoiceIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | InvoiceOutEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
