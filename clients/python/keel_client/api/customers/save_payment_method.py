from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.payment_method_in import PaymentMethodIn
from ...models.payment_method_out_envelope import PaymentMethodOutEnvelope
from ...types import Response


def _get_kwargs(
    customer_id: UUID,
    *,
    body: PaymentMethodIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/customers/{customer_id}/payment-method".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | PaymentMethodOutEnvelope | None:
    if response.status_code == 200:
        response_200 = PaymentMethodOutEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

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
) -> Response[ErrorEnvelope | PaymentMethodOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PaymentMethodIn,
) -> Response[ErrorEnvelope | PaymentMethodOutEnvelope]:
    """Save the payment method charged automatically (attached at Stripe, the default from now on)

     `payment_method` is a Stripe PaymentMethod id (pm_…). A card Stripe refuses to attach (declined,
    unknown) is a 422 naming `payment_method` and nothing changes; a method it replaces is detached. 503
    when Stripe is not configured or does not answer.

    Args:
        customer_id (UUID):
        body (PaymentMethodIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PaymentMethodOutEnvelope]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PaymentMethodIn,
) -> ErrorEnvelope | PaymentMethodOutEnvelope | None:
    """Save the payment method charged automatically (attached at Stripe, the default from now on)

     `payment_method` is a Stripe PaymentMethod id (pm_…). A card Stripe refuses to attach (declined,
    unknown) is a 422 naming `payment_method` and nothing changes; a method it replaces is detached. 503
    when Stripe is not configured or does not answer.

    Args:
        customer_id (UUID):
        body (PaymentMethodIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PaymentMethodOutEnvelope
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    customer_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PaymentMethodIn,
) -> Response[ErrorEnvelope | PaymentMethodOutEnvelope]:
    """Save the payment method charged automatically (attached at Stripe, the default from now on)

     `payment_method` is a Stripe PaymentMethod id (pm_…). A card Stripe refuses to attach (declined,
    unknown) is a 422 naming `payment_method` and nothing changes; a method it replaces is detached. 503
    when Stripe is not configured or does not answer.

    Args:
        customer_id (UUID):
        body (PaymentMethodIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PaymentMethodOutEnvelope]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PaymentMethodIn,
) -> ErrorEnvelope | PaymentMethodOutEnvelope | None:
    """Save the payment method charged automatically (attached at Stripe, the default from now on)

     `payment_method` is a Stripe PaymentMethod id (pm_…). A card Stripe refuses to attach (declined,
    unknown) is a 422 naming `payment_method` and nothing changes; a method it replaces is detached. 503
    when Stripe is not configured or does not answer.

    Args:
        customer_id (UUID):
        body (PaymentMethodIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PaymentMethodOutEnvelope
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            body=body,
        )
    ).parsed
