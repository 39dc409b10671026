from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.event_outcome_envelope import EventOutcomeEnvelope
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/providers/stripe/events",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | EventOutcomeEnvelope | None:
    if response.status_code == 200:
        response_200 = EventOutcomeEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

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
) -> Response[ErrorEnvelope | EventOutcomeEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorEnvelope | EventOutcomeEnvelope]:
    """Stripe's signed events: payment_intent.succeeded records the invoice's payment once

     Register this URL at Stripe with the events payment_intent.succeeded, payment_intent.payment_failed
    and charge.refunded (a refund made at Stripe is recorded in Keel); its signing secret is
    KEEL_STRIPE_WEBHOOK_SECRET. A missing, wrong, stale (over 300 s) or tampered signature is a 400.
    Events are applied once per event id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | EventOutcomeEnvelope]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> ErrorEnvelope | EventOutcomeEnvelope | None:
    """Stripe's signed events: payment_intent.succeeded records the invoice's payment once

     Register this URL at Stripe with the events payment_intent.succeeded, payment_intent.payment_failed
    and charge.refunded (a refund made at Stripe is recorded in Keel); its signing secret is
    KEEL_STRIPE_WEBHOOK_SECRET. A missing, wrong, stale (over 300 s) or tampered signature is a 400.
    Events are applied once per event id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | EventOutcomeEnvelope
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorEnvelope | EventOutcomeEnvelope]:
    """Stripe's signed events: payment_intent.succeeded records the invoice's payment once

     Register this URL at Stripe with the events payment_intent.succeeded, payment_intent.payment_failed
    and charge.refunded (a refund made at Stripe is recorded in Keel); its signing secret is
    KEEL_STRIPE_WEBHOOK_SECRET. A missing, wrong, stale (over 300 s) or tampered signature is a 400.
    Events are applied once per event id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | EventOutcomeEnvelope]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> ErrorEnvelope | EventOutcomeEnvelope | None:
    """Stripe's signed events: payment_intent.succeeded records the invoice's payment once

     Register this URL at Stripe with the events payment_intent.succeeded, payment_intent.payment_failed
    and charge.refunded (a refund made at Stripe is recorded in Keel); its signing secret is
    KEEL_STRIPE_WEBHOOK_SECRET. A missing, wrong, stale (over 300 s) or tampered signature is a 400.
    Events are applied once per event id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | EventOutcomeEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
