from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.utilisation_out_envelope import UtilisationOutEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    resource_id: UUID,
    *,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    json_granularity: None | str | Unset
    if isinstance(granularity, Unset):
        json_granularity = UNSET
    else:
        json_granularity = granularity
    params["granularity"] = json_granularity

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/resources/{resource_id}/utilisation".format(
            resource_id=quote(str(resource_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | UtilisationOutEnvelope | None:
    if response.status_code == 200:
        response_200 = UtilisationOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | UtilisationOutEnvelope]:
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
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | UtilisationOutEnvelope]:
    """Booked vs available hours in [from, to) (at most 366 days), in total and per period (granularity,
    default P1D: local days; at least PT1H). Available: open time from the rules minus closures and
    blocks; booked: bookings' start to end (buffers excluded). utilisation is booked/available, null
    when nothing was available

    Args:
        resource_id (UUID):
        from_ (None | str | Unset): RFC 3339 with an offset
        to (None | str | Unset): RFC 3339 with an offset
        granularity (None | str | Unset): ISO 8601, default P1D

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UtilisationOutEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        from_=from_,
        to=to,
        granularity=granularity,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
) -> ErrorEnvelope | UtilisationOutEnvelope | None:
    """Booked vs available hours in [from, to) (at most 366 days), in total and per period (granularity,
    default P1D: local days; at least PT1H). Available: open time from the rules minus closures and
    blocks; booked: bookings' start to end (buffers excluded). utilisation is booked/available, null
    when nothing was available

    Args:
        resource_id (UUID):
        from_ (None | str | Unset): RFC 3339 with an offset
        to (None | str | Unset): RFC 3339 with an offset
        granularity (None | str | Unset): ISO 8601, default P1D

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UtilisationOutEnvelope
    """

    return sync_detailed(
        resource_id=resource_id,
        client=client,
        from_=from_,
        to=to,
        granularity=granularity,
    ).parsed


async def asyncio_detailed(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | UtilisationOutEnvelope]:
    """Booked vs available hours in [from, to) (at most 366 days), in total and per period (granularity,
    default P1D: local days; at least PT1H). Available: open time from the rules minus closures and
    blocks; booked: bookings' start to end (buffers excluded). utilisation is booked/available, null
    when nothing was available

    Args:
        resource_id (UUID):
        from_ (None | str | Unset): RFC 3339 with an offset
        to (None | str | Unset): RFC 3339 with an offset
        granularity (None | str | Unset): ISO 8601, default P1D

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UtilisationOutEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        from_=from_,
        to=to,
        granularity=granularity,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
) -> ErrorEnvelope | UtilisationOutEnvelope | None:
    """Booked vs available hours in [from, to) (at most 366 days), in total and per period (granularity,
    default P1D: local days; at least PT1H). Available: open time from the rules minus closures and
    blocks; booked: bookings' start to end (buffers excluded). utilisation is booked/available, null
    when nothing was available

    Args:
        resource_id (UUID):
        from_ (None | str | Unset): RFC 3339 with an offset
        to (None | str | Unset): RFC 3339 with an offset
        granularity (None | str | Unset): ISO 8601, default P1D

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UtilisationOutEnvelope
    """

    return (
        await asyncio_detailed(
            resource_id=resource_id,
            client=client,
            from_=from_,
            to=to,
            granularity=granularity,
        )
    ).parsed
