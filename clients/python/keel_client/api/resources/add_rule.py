from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.rule_in import RuleIn
from ...models.rule_out_envelope import RuleOutEnvelope
from ...types import Response


def _get_kwargs(
    resource_id: UUID,
    *,
    body: RuleIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/resources/{resource_id}/availability-rules".format(
            resource_id=quote(str(resource_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RuleOutEnvelope | None:
    if response.status_code == 201:
        response_201 = RuleOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | RuleOutEnvelope]:
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
    body: RuleIn,
) -> Response[ErrorEnvelope | RuleOutEnvelope]:
    """Add a rule in the resource's local wall time. weekly {weekdays, start, end}; override {date, start,
    end} or {date, closed: true}; closure {rrule, dtstart, exdates, start?, end?}; block {starts_at,
    ends_at}

    Args:
        resource_id (UUID):
        body (RuleIn): One body for every kind; which fields a kind needs is checked field by
            field by the service.

            weekly: weekdays, start, end · override: date and start/end, or closed=true ·
            closure: rrule, dtstart, exdates, optional start/end · block: starts_at, ends_at.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RuleOutEnvelope]
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
    body: RuleIn,
) -> ErrorEnvelope | RuleOutEnvelope | None:
    """Add a rule in the resource's local wall time. weekly {weekdays, start, end}; override {date, start,
    end} or {date, closed: true}; closure {rrule, dtstart, exdates, start?, end?}; block {starts_at,
    ends_at}

    Args:
        resource_id (UUID):
        body (RuleIn): One body for every kind; which fields a kind needs is checked field by
            field by the service.

            weekly: weekdays, start, end · override: date and start/end, or closed=true ·
            closure: rrule, dtstart, exdates, optional start/end · block: starts_at, ends_at.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RuleOutEnvelope
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
    body: RuleIn,
) -> Response[ErrorEnvelope | RuleOutEnvelope]:
    """Add a rule in the resource's local wall time. weekly {weekdays, start, end}; override {date, start,
    end} or {date, closed: true}; closure {rrule, dtstart, exdates, start?, end?}; block {starts_at,
    ends_at}

    Args:
        resource_id (UUID):
        body (RuleIn): One body for every kind; which fields a kind needs is checked field by
            field by the service.

            weekly: weekdays, start, end · override: date and start/end, or closed=true ·
            closure: rrule, dtstart, exdates, optional start/end · block: starts_at, ends_at.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RuleOutEnvelope]
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
    body: RuleIn,
) -> ErrorEnvelope | RuleOutEnvelope | None:
    """Add a rule in the resource's local wall time. weekly {weekdays, start, end}; override {date, start,
    end} or {date, closed: true}; closure {rrule, dtstart, exdates, start?, end?}; block {starts_at,
    ends_at}

    Args:
        resource_id (UUID):
        body (RuleIn): One body for every kind; which fields a kind needs is checked field by
            field by the service.

            weekly: weekdays, start, end · override: date and start/end, or closed=true ·
            closure: rrule, dtstart, exdates, optional start/end · block: starts_at, ends_at.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RuleOutEnvelope
    """

    return (
        await asyncio_detailed(
            resource_id=resource_id,
            client=client,
            body=body,
        )
    ).parsed
