from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.resource_out_envelope import ResourceOutEnvelope
from ...models.resource_patch import ResourcePatch
from ...types import Response


def _get_kwargs(
    resource_id: UUID,
    *,
    body: ResourcePatch,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/resources/{resource_id}".format(
            resource_id=quote(str(resource_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ResourceOutEnvelope | None:
    if response.status_code == 200:
        response_200 = ResourceOutEnvelope.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | ResourceOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ResourcePatch,
) -> Response[ErrorEnvelope | ResourceOutEnvelope]:
    """Change some fields of the resource (e.g. only its payment terms); the others stay

     `payment` `{required: deposit|full, amount, currency, hold}` makes every booking of the resource
    wait for its payment: the booking is held for `hold` (ISO 8601, PT10S to P7D, default PT30M) with a
    finalized invoice of `amount` (a decimal string with at most the currency's digits, else 422
    `payment.amount`) for the customer it names; the payment that makes the invoice paid confirms it.
    `"payment": null` removes the terms; bookings already held keep their invoice.

    Args:
        resource_id (UUID):
        body (ResourcePatch): Only the fields sent change; each is then checked as in a replace
            (``ResourceBody``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ResourceOutEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ResourcePatch,
) -> ErrorEnvelope | ResourceOutEnvelope | None:
    """Change some fields of the resource (e.g. only its payment terms); the others stay

     `payment` `{required: deposit|full, amount, currency, hold}` makes every booking of the resource
    wait for its payment: the booking is held for `hold` (ISO 8601, PT10S to P7D, default PT30M) with a
    finalized invoice of `amount` (a decimal string with at most the currency's digits, else 422
    `payment.amount`) for the customer it names; the payment that makes the invoice paid confirms it.
    `"payment": null` removes the terms; bookings already held keep their invoice.

    Args:
        resource_id (UUID):
        body (ResourcePatch): Only the fields sent change; each is then checked as in a replace
            (``ResourceBody``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ResourceOutEnvelope
    """

    return sync_detailed(
        resource_id=resource_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ResourcePatch,
) -> Response[ErrorEnvelope | ResourceOutEnvelope]:
    """Change some fields of the resource (e.g. only its payment terms); the others stay

     `payment` `{required: deposit|full, amount, currency, hold}` makes every booking of the resource
    wait for its payment: the booking is held for `hold` (ISO 8601, PT10S to P7D, default PT30M) with a
    finalized invoice of `amount` (a decimal string with at most the currency's digits, else 422
    `payment.amount`) for the customer it names; the payment that makes the invoice paid confirms it.
    `"payment": null` removes the terms; bookings already held keep their invoice.

    Args:
        resource_id (UUID):
        body (ResourcePatch): Only the fields sent change; each is then checked as in a replace
            (``ResourceBody``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ResourceOutEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ResourcePatch,
) -> ErrorEnvelope | ResourceOutEnvelope | None:
    """Change some fields of the resource (e.g. only its payment terms); the others stay

     `payment` `{required: deposit|full, amount, currency, hold}` makes every booking of the resource
    wait for its payment: the booking is held for `hold` (ISO 8601, PT10S to P7D, default PT30M) with a
    finalized invoice of `amount` (a decimal string with at most the currency's digits, else 422
    `payment.amount`) for the customer it names; the payment that makes the invoice paid confirms it.
    `"payment": null` removes the terms; bookings already held keep their invoice.

    Args:
        resource_id (UUID):
        body (ResourcePatch): Only the fields sent change; each is then checked as in a replace
            (``ResourceBody``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ResourceOutEnvelope
    """

    return (
        await asyncio_detailed(
            resource_id=resource_id,
            client=client,
            body=body,
        )
    ).parsed
