import datetime
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    resource_id: UUID,
    *,
    token: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_token: None | str | Unset
    if isinstance(token, Unset):
        json_token = UNSET
    else:
        json_token = token
    params["token"] = json_token

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/resources/{resource_id}/calendar.ics".format(
            resource_id=quote(str(resource_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

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
) -> Response[ErrorEnvelope | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    resource_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    token: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[ErrorEnvelope | str]:
    """The resource's bookings as iCalendar (held TENTATIVE, confirmed CONFIRMED, cancelled CANCELLED; UTC
    times). Authenticate with Bearer or ?token= from POST …/calendar-token

    Args:
        resource_id (UUID):
        token (None | str | Unset): a subscription token from POST …/calendar-token; then no
            Authorization is needed
        from_ (datetime.datetime | None | Unset): default: 30 days ago
        to (datetime.datetime | None | Unset): default: 180 days ahead

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        token=token,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    resource_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    token: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> ErrorEnvelope | str | None:
    """The resource's bookings as iCalendar (held TENTATIVE, confirmed CONFIRMED, cancelled CANCELLED; UTC
    times). Authenticate with Bearer or ?token= from POST …/calendar-token

    Args:
        resource_id (UUID):
        token (None | str | Unset): a subscription token from POST …/calendar-token; then no
            Authorization is needed
        from_ (datetime.datetime | None | Unset): default: 30 days ago
        to (datetime.datetime | None | Unset): default: 180 days ahead

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return sync_detailed(
        resource_id=resource_id,
        client=client,
        token=token,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    resource_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    token: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[ErrorEnvelope | str]:
    """The resource's bookings as iCalendar (held TENTATIVE, confirmed CONFIRMED, cancelled CANCELLED; UTC
    times). Authenticate with Bearer or ?token= from POST …/calendar-token

    Args:
        resource_id (UUID):
        token (None | str | Unset): a subscription token from POST …/calendar-token; then no
            Authorization is needed
        from_ (datetime.datetime | None | Unset): default: 30 days ago
        to (datetime.datetime | None | Unset): default: 180 days ahead

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        token=token,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    resource_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    token: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> ErrorEnvelope | str | None:
    """The resource's bookings as iCalendar (held TENTATIVE, confirmed CONFIRMED, cancelled CANCELLED; UTC
    times). Authenticate with Bearer or ?token= from POST …/calendar-token

    Args:
        resource_id (UUID):
        token (None | str | Unset): a subscription token from POST …/calendar-token; then no
            Authorization is needed
        from_ (datetime.datetime | None | Unset): default: 30 days ago
        to (datetime.datetime | None | Unset): default: 180 days ahead

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return (
        await asyncio_detailed(
            resource_id=resource_id,
            client=client,
            token=token,
            from_=from_,
            to=to,
        )
    ).parsed
