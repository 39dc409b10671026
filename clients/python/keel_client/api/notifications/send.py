from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.notification_delivery_out_envelope import NotificationDeliveryOutEnvelope
from ...models.notification_request import NotificationRequest
from ...types import Response


def _get_kwargs(
    *,
    body: NotificationRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/notifications",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | NotificationDeliveryOutEnvelope | None:
    if response.status_code == 202:
        response_202 = NotificationDeliveryOutEnvelope.from_dict(response.json())

        return response_202

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
) -> Response[ErrorEnvelope | NotificationDeliveryOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NotificationRequest,
) -> Response[ErrorEnvelope | NotificationDeliveryOutEnvelope]:
    """Send a notification (delivered by a workflow: send_at, preferences, retries, fallback)

     Answers at once with the delivery's id; its status per channel is at `GET
    /api/v1/notifications/{id}`. Send an `Idempotency-Key` header to make a retried request deliver
    once.

    Args:
        body (NotificationRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | NotificationDeliveryOutEnvelope]
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
    body: NotificationRequest,
) -> ErrorEnvelope | NotificationDeliveryOutEnvelope | None:
    """Send a notification (delivered by a workflow: send_at, preferences, retries, fallback)

     Answers at once with the delivery's id; its status per channel is at `GET
    /api/v1/notifications/{id}`. Send an `Idempotency-Key` header to make a retried request deliver
    once.

    Args:
        body (NotificationRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | NotificationDeliveryOutEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NotificationRequest,
) -> Response[ErrorEnvelope | NotificationDeliveryOutEnvelope]:
    """Send a notification (delivered by a workflow: send_at, preferences, retries, fallback)

     Answers at once with the delivery's id; its status per channel is at `GET
    /api/v1/notifications/{id}`. Send an `Idempotency-Key` header to make a retried request deliver
    once.

    Args:
        body (NotificationRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | NotificationDeliveryOutEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: NotificationRequest,
) -> ErrorEnvelope | NotificationDeliveryOutEnvelope | None:
    """Send a notification (delivered by a workflow: send_at, preferences, retries, fallback)

     Answers at once with the delivery's id; its status per channel is at `GET
    /api/v1/notifications/{id}`. Send an `Idempotency-Key` header to make a retried request deliver
    once.

    Args:
        body (NotificationRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | NotificationDeliveryOutEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
