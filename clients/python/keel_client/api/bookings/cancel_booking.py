from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.booking_cancel_in import BookingCancelIn
from ...models.booking_out_envelope import BookingOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    booking_id: UUID,
    *,
    body: BookingCancelIn | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/bookings/{booking_id}/cancel".format(
            booking_id=quote(str(booking_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BookingOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = BookingOutEnvelope.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

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
) -> Response[BookingOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    booking_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BookingCancelIn | Unset = UNSET,
) -> Response[BookingOutEnvelope | ErrorEnvelope]:
    """Cancel and free the resources at once; within the free-cancellation window (24 h by default) before
    the start a confirmed booking needs accept_fee=true (else 409 late_cancellation)

     For a booking of a series, `scope` is `this` (default), `following` (it and the later active
    occurrences) or `all` (every active occurrence; the series is then cancelled). All or nothing: if
    one of them is within the window, `accept_fee` is needed for all. `meta.cancelled` lists the ids of
    the bookings cancelled by this request. A booking cancelled while its invoice is unpaid voids that
    invoice (partly paid, it stays open; a paid one stays paid: refunds are billing's).

    Only whoever made the booking, or a holder of `bookings:manage`, may do this: anyone else gets 403
    `forbidden` (`details.missing: ["bookings:manage"]`) and nothing changes.

    Args:
        booking_id (UUID):
        body (BookingCancelIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BookingOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        booking_id=booking_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    booking_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BookingCancelIn | Unset = UNSET,
) -> BookingOutEnvelope | ErrorEnvelope | None:
    """Cancel and free the resources at once; within the free-cancellation window (24 h by default) before
    the start a confirmed booking needs accept_fee=true (else 409 late_cancellation)

     For a booking of a series, `scope` is `this` (default), `following` (it and the later active
    occurrences) or `all` (every active occurrence; the series is then cancelled). All or nothing: if
    one of them is within the window, `accept_fee` is needed for all. `meta.cancelled` lists the ids of
    the bookings cancelled by this request. A booking cancelled while its invoice is unpaid voids that
    invoice (partly paid, it stays open; a paid one stays paid: refunds are billing's).

    Only whoever made the booking, or a holder of `bookings:manage`, may do this: anyone else gets 403
    `forbidden` (`details.missing: ["bookings:manage"]`) and nothing changes.

    Args:
        booking_id (UUID):
        body (BookingCancelIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BookingOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        booking_id=booking_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    booking_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BookingCancelIn | Unset = UNSET,
) -> Response[BookingOutEnvelope | ErrorEnvelope]:
    """Cancel and free the resources at once; within the free-cancellation window (24 h by default) before
    the start a confirmed booking needs accept_fee=true (else 409 late_cancellation)

     For a booking of a series, `scope` is `this` (default), `following` (it and the later active
    occurrences) or `all` (every active occurrence; the series is then cancelled). All or nothing: if
    one of them is within the window, `accept_fee` is needed for all. `meta.cancelled` lists the ids of
    the bookings cancelled by this request. A booking cancelled while its invoice is unpaid voids that
    invoice (partly paid, it stays open; a paid one stays paid: refunds are billing's).

    Only whoever made the booking, or a holder of `bookings:manage`, may do this: anyone else gets 403
    `forbidden` (`details.missing: ["bookings:manage"]`) and nothing changes.

    Args:
        booking_id (UUID):
        body (BookingCancelIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BookingOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        booking_id=booking_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    booking_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BookingCancelIn | Unset = UNSET,
) -> BookingOutEnvelope | ErrorEnvelope | None:
    """Cancel and free the resources at once; within the free-cancellation window (24 h by default) before
    the start a confirmed booking needs accept_fee=true (else 409 late_cancellation)

     For a booking of a series, `scope` is `this` (default), `following` (it and the later active
    occurrences) or `all` (every active occurrence; the series is then cancelled). All or nothing: if
    one of them is within the window, `accept_fee` is needed for all. `meta.cancelled` lists the ids of
    the bookings cancelled by this request. A booking cancelled while its invoice is unpaid voids that
    invoice (partly paid, it stays open; a paid one stays paid: refunds are billing's).

    Only whoever made the booking, or a holder of `bookings:manage`, may do this: anyone else gets 403
    `forbidden` (`details.missing: ["bookings:manage"]`) and nothing changes.

    Args:
        booking_id (UUID):
        body (BookingCancelIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BookingOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            booking_id=booking_id,
            client=client,
            body=body,
        )
    ).parsed
