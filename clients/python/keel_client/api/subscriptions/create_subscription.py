from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.subscription_in import SubscriptionIn
from ...models.subscription_out_envelope import SubscriptionOutEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: SubscriptionIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/subscriptions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | SubscriptionOutEnvelope | None:
    if response.status_code == 201:
        response_201 = SubscriptionOutEnvelope.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | SubscriptionOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SubscriptionIn,
) -> Response[ErrorEnvelope | SubscriptionOutEnvelope]:
    """Subscribe a customer to recurring prices: {customer, items: [{price, quantity}], trial_days?,
    collection?}

     1 to 20 items, each a recurring price of this tenant (a one-time price is a 422 on `items.N.price`),
    active, in the customer's currency, all on the same interval; `quantity` a whole number 1..1,000,000
    for a licensed price, 1 for a usage price. `trial_days` 0..730: no invoice until the trial ends.
    `collection`: `send_invoice` (default; due after the customer's payment terms) or
    `charge_automatically` (due on issue; Keel charges no saved card: the customer pays the invoice).
    The licensed items are invoiced at each period's start, usage at its end. Nothing is stored on a
    422.

    Args:
        body (SubscriptionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SubscriptionOutEnvelope]
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
    body: SubscriptionIn,
) -> ErrorEnvelope | SubscriptionOutEnvelope | None:
    """Subscribe a customer to recurring prices: {customer, items: [{price, quantity}], trial_days?,
    collection?}

     1 to 20 items, each a recurring price of this tenant (a one-time price is a 422 on `items.N.price`),
    active, in the customer's currency, all on the same interval; `quantity` a whole number 1..1,000,000
    for a licensed price, 1 for a usage price. `trial_days` 0..730: no invoice until the trial ends.
    `collection`: `send_invoice` (default; due after the customer's payment terms) or
    `charge_automatically` (due on issue; Keel charges no saved card: the customer pays the invoice).
    The licensed items are invoiced at each period's start, usage at its end. Nothing is stored on a
    422.

    Args:
        body (SubscriptionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SubscriptionOutEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SubscriptionIn,
) -> Response[ErrorEnvelope | SubscriptionOutEnvelope]:
    """Subscribe a customer to recurring prices: {customer, items: [{price, quantity}], trial_days?,
    collection?}

     1 to 20 items, each a recurring price of this tenant (a one-time price is a 422 on `items.N.price`),
    active, in the customer's currency, all on the same interval; `quantity` a whole number 1..1,000,000
    for a licensed price, 1 for a usage price. `trial_days` 0..730: no invoice until the trial ends.
    `collection`: `send_invoice` (default; due after the customer's payment terms) or
    `charge_automatically` (due on issue; Keel charges no saved card: the customer pays the invoice).
    The licensed items are invoiced at each period's start, usage at its end. Nothing is stored on a
    422.

    Args:
        body (SubscriptionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SubscriptionOutEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SubscriptionIn,
) -> ErrorEnvelope | SubscriptionOutEnvelope | None:
    """Subscribe a customer to recurring prices: {customer, items: [{price, quantity}], trial_days?,
    collection?}

     1 to 20 items, each a recurring price of this tenant (a one-time price is a 422 on `items.N.price`),
    active, in the customer's currency, all on the same interval; `quantity` a whole number 1..1,000,000
    for a licensed price, 1 for a usage price. `trial_days` 0..730: no invoice until the trial ends.
    `collection`: `send_invoice` (default; due after the customer's payment terms) or
    `charge_automatically` (due on issue; Keel charges no saved card: the customer pays the invoice).
    The licensed items are invoiced at each period's start, usage at its end. Nothing is stored on a
    422.

    Args:
        body (SubscriptionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SubscriptionOutEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
