from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.booking_in import BookingIn
from ...models.booking_out_or_series_out_envelope import BookingOutOrSeriesOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: BookingIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/bookings",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BookingOutOrSeriesOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = BookingOutOrSeriesOutEnvelope.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BookingOutOrSeriesOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BookingIn,
) -> Response[BookingOutOrSeriesOutEnvelope | ErrorEnvelope]:
    """Book one or more resources for one span (all are held at once, or none), or a recurring series

     `end` or `duration` (ISO 8601). With `requires_confirmation` (the default) the booking is `held`
    until `hold_expires_at` (`hold`, default PT10M, at most P1D) and released unless confirmed;
    otherwise it is `confirmed` at once. A resource's buffers widen what it holds. 409
    `booking_conflict`: `details.conflicts` lists what is in the way (`resource_id`, `start`, `end` of
    the busy span, `booking_id`) and `details.alternatives` the next 3 free slots of the same length for
    all the resources within 14 days. 422 `outside_availability` when a resource is not open then.

    With `recurrence` (an RFC 5545 RRULE line, e.g. `RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`; FREQ
    DAILY/WEEKLY/MONTHLY/YEARLY, no DTSTART or BYHOUR: the first occurrence and the time of day are
    `start`'s) the answer is a **series** (`Location: /api/v1/booking-series/{id}`): one booking per
    occurrence at `start`'s local wall time in `timezone` (default the first resource's), so 09:00 stays
    09:00 across DST, each as long as the first. A rule without COUNT or UNTIL is capped at 366
    occurrences and 2 years (`meta.capped: true`); a COUNT or UNTIL beyond that is a 422. All or nothing
    by default: 409 `booking_conflict` with `details.occurrences` (each `date`, `start`, `end`,
    `conflicts`), 422 `outside_availability` likewise; with `skip_conflicts: true` those occurrences are
    left out and listed in `skipped`. Every occurrence gets its own booking process.

    A resource that requires payment (its `payment`) needs `customer`, a billing customer of the tenant
    paying in the resource's currency (else 422 `customer`); such a booking is `held` for the resource's
    hold whatever `requires_confirmation` and `hold` say, with a finalized invoice for what it owes
    (`payment`: `invoice_id`, `required`, `amount`, `amount_paid`, `currency`, the invoice's `status`).
    The payment that makes the invoice paid confirms the booking; unpaid when the hold ends, it expires
    and its invoice is voided. Such a booking is never recurring (422 `recurrence`).

    Args:
        body (BookingIn): ``end`` or ``duration``, not both. ``hold`` is how long a booking that
            needs confirmation waits.
            The checks across fields are the domain's (``bookings.check_input``), so each names its
            field.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BookingOutOrSeriesOutEnvelope | ErrorEnvelope]
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
    body: BookingIn,
) -> BookingOutOrSeriesOutEnvelope | ErrorEnvelope | None:
    """Book one or more resources for one span (all are held at once, or none), or a recurring series

     `end` or `duration` (ISO 8601). With `requires_confirmation` (the default) the booking is `held`
    until `hold_expires_at` (`hold`, default PT10M, at most P1D) and released unless confirmed;
    otherwise it is `confirmed` at once. A resource's buffers widen what it holds. 409
    `booking_conflict`: `details.conflicts` lists what is in the way (`resource_id`, `start`, `end` of
    the busy span, `booking_id`) and `details.alternatives` the next 3 free slots of the same length for
    all the resources within 14 days. 422 `outside_availability` when a resource is not open then.

    With `recurrence` (an RFC 5545 RRULE line, e.g. `RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`; FREQ
    DAILY/WEEKLY/MONTHLY/YEARLY, no DTSTART or BYHOUR: the first occurrence and the time of day are
    `start`'s) the answer is a **series** (`Location: /api/v1/booking-series/{id}`): one booking per
    occurrence at `start`'s local wall time in `timezone` (default the first resource's), so 09:00 stays
    09:00 across DST, each as long as the first. A rule without COUNT or UNTIL is capped at 366
    occurrences and 2 years (`meta.capped: true`); a COUNT or UNTIL beyond that is a 422. All or nothing
    by default: 409 `booking_conflict` with `details.occurrences` (each `date`, `start`, `end`,
    `conflicts`), 422 `outside_availability` likewise; with `skip_conflicts: true` those occurrences are
    left out and listed in `skipped`. Every occurrence gets its own booking process.

    A resource that requires payment (its `payment`) needs `customer`, a billing customer of the tenant
    paying in the resource's currency (else 422 `customer`); such a booking is `held` for the resource's
    hold whatever `requires_confirmation` and `hold` say, with a finalized invoice for what it owes
    (`payment`: `invoice_id`, `required`, `amount`, `amount_paid`, `currency`, the invoice's `status`).
    The payment that makes the invoice paid confirms the booking; unpaid when the hold ends, it expires
    and its invoice is voided. Such a booking is never recurring (422 `recurrence`).

    Args:
        body (BookingIn): ``end`` or ``duration``, not both. ``hold`` is how long a booking that
            needs confirmation waits.
            The checks across fields are the domain's (``bookings.check_input``), so each names its
            field.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BookingOutOrSeriesOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BookingIn,
) -> Response[BookingOutOrSeriesOutEnvelope | ErrorEnvelope]:
    """Book one or more resources for one span (all are held at once, or none), or a recurring series

     `end` or `duration` (ISO 8601). With `requires_confirmation` (the default) the booking is `held`
    until `hold_expires_at` (`hold`, default PT10M, at most P1D) and released unless confirmed;
    otherwise it is `confirmed` at once. A resource's buffers widen what it holds. 409
    `booking_conflict`: `details.conflicts` lists what is in the way (`resource_id`, `start`, `end` of
    the busy span, `booking_id`) and `details.alternatives` the next 3 free slots of the same length for
    all the resources within 14 days. 422 `outside_availability` when a resource is not open then.

    With `recurrence` (an RFC 5545 RRULE line, e.g. `RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`; FREQ
    DAILY/WEEKLY/MONTHLY/YEARLY, no DTSTART or BYHOUR: the first occurrence and the time of day are
    `start`'s) the answer is a **series** (`Location: /api/v1/booking-series/{id}`): one booking per
    occurrence at `start`'s local wall time in `timezone` (default the first resource's), so 09:00 stays
    09:00 across DST, each as long as the first. A rule without COUNT or UNTIL is capped at 366
    occurrences and 2 years (`meta.capped: true`); a COUNT or UNTIL beyond that is a 422. All or nothing
    by default: 409 `booking_conflict` with `details.occurrences` (each `date`, `start`, `end`,
    `conflicts`), 422 `outside_availability` likewise; with `skip_conflicts: true` those occurrences are
    left out and listed in `skipped`. Every occurrence gets its own booking process.

    A resource that requires payment (its `payment`) needs `customer`, a billing customer of the tenant
    paying in the resource's currency (else 422 `customer`); such a booking is `held` for the resource's
    hold whatever `requires_confirmation` and `hold` say, with a finalized invoice for what it owes
    (`payment`: `invoice_id`, `required`, `amount`, `amount_paid`, `currency`, the invoice's `status`).
    The payment that makes the invoice paid confirms the booking; unpaid when the hold ends, it expires
    and its invoice is voided. Such a booking is never recurring (422 `recurrence`).

    Args:
        body (BookingIn): ``end`` or ``duration``, not both. ``hold`` is how long a booking that
            needs confirmation waits.
            The checks across fields are the domain's (``bookings.check_input``), so each names its
            field.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BookingOutOrSeriesOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BookingIn,
) -> BookingOutOrSeriesOutEnvelope | ErrorEnvelope | None:
    """Book one or more resources for one span (all are held at once, or none), or a recurring series

     `end` or `duration` (ISO 8601). With `requires_confirmation` (the default) the booking is `held`
    until `hold_expires_at` (`hold`, default PT10M, at most P1D) and released unless confirmed;
    otherwise it is `confirmed` at once. A resource's buffers widen what it holds. 409
    `booking_conflict`: `details.conflicts` lists what is in the way (`resource_id`, `start`, `end` of
    the busy span, `booking_id`) and `details.alternatives` the next 3 free slots of the same length for
    all the resources within 14 days. 422 `outside_availability` when a resource is not open then.

    With `recurrence` (an RFC 5545 RRULE line, e.g. `RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`; FREQ
    DAILY/WEEKLY/MONTHLY/YEARLY, no DTSTART or BYHOUR: the first occurrence and the time of day are
    `start`'s) the answer is a **series** (`Location: /api/v1/booking-series/{id}`): one booking per
    occurrence at `start`'s local wall time in `timezone` (default the first resource's), so 09:00 stays
    09:00 across DST, each as long as the first. A rule without COUNT or UNTIL is capped at 366
    occurrences and 2 years (`meta.capped: true`); a COUNT or UNTIL beyond that is a 422. All or nothing
    by default: 409 `booking_conflict` with `details.occurrences` (each `date`, `start`, `end`,
    `conflicts`), 422 `outside_availability` likewise; with `skip_conflicts: true` those occurrences are
    left out and listed in `skipped`. Every occurrence gets its own booking process.

    A resource that requires payment (its `payment`) needs `customer`, a billing customer of the tenant
    paying in the resource's currency (else 422 `customer`); such a booking is `held` for the resource's
    hold whatever `requires_confirmation` and `hold` say, with a finalized invoice for what it owes
    (`payment`: `invoice_id`, `required`, `amount`, `amount_paid`, `currency`, the invoice's `status`).
    The payment that makes the invoice paid confirms the booking; unpaid when the hold ends, it expires
    and its invoice is voided. Such a booking is never recurring (422 `recurrence`).

    Args:
        body (BookingIn): ``end`` or ``duration``, not both. ``hold`` is how long a booking that
            needs confirmation waits.
            The checks across fields are the domain's (``bookings.check_input``), so each names its
            field.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BookingOutOrSeriesOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
