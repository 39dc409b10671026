from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.payment_link_out_envelope import PaymentLinkOutEnvelope
from ...types import Response


def _get_kwargs(
    token: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/public/invoices/{token}/payment-intent".format(
            token=quote(str(token), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | PaymentLinkOutEnvelope | None:
    if response.status_code == 200:
        response_200 = PaymentLinkOutEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

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
) -> Response[ErrorEnvelope | PaymentLinkOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorEnvelope | PaymentLinkOutEnvelope]:
    """The Stripe PaymentIntent for the invoice's amount due, for Stripe.js in the payer's page

     The same intent while the amount due is unchanged. 409 for a paid or void invoice; 503 when Stripe
    is not configured or does not answer.

    Args:
        token (str): the token of the invoice's payment link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PaymentLinkOutEnvelope]
    """

    kwargs = _get_kwargs(
        token=token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorEnvelope | PaymentLinkOutEnvelope | None:
    """The Stripe PaymentIntent for the invoice's amount due, for Stripe.js in the payer's page

     The same intent while the amount due is unchanged. 409 for a paid or void invoice; 503 when Stripe
    is not configured or does not answer.

    Args:
        token (str): the token of the invoice's payment link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PaymentLinkOutEnvelope
    """

    return sync_detailed(
        token=token,
        client=client,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorEnvelope | PaymentLinkOutEnvelope]:
    """The Stripe PaymentIntent for the invoice's amount due, for Stripe.js in the payer's page

     The same intent while the amount due is unchanged. 409 for a paid or void invoice; 503 when Stripe
    is not configured or does not answer.

    Args:
        token (str): the token of the invoice's payment link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PaymentLinkOutEnvelope]
    """

    kwargs = _get_kwargs(
        token=token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorEnvelope | PaymentLinkOutEnvelope | None:
    """The Stripe PaymentIntent for the invoice's amount due, for Stripe.js in the payer's page

     The same intent while the amount due is unchanged. 409 for a paid or void invoice; 503 when Stripe
    is not configured or does not answer.

    Args:
        token (str): the token of the invoice's payment link

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PaymentLinkOutEnvelope
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
        )
    ).parsed
