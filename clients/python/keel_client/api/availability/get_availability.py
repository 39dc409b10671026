from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.slot_out_page import SlotOutPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    resources: None | str | Unset = UNSET,
    duration: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_resources: None | str | Unset
    if isinstance(resources, Unset):
        json_resources = UNSET
    else:
        json_resources = resources
    params["resources"] = json_resources

    json_duration: None | str | Unset
    if isinstance(duration, Unset):
        json_duration = UNSET
    else:
        json_duration = duration
    params["duration"] = json_duration

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

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/availability",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | SlotOutPage | None:
    if response.status_code == 200:
        response_200 = SlotOutPage.from_dict(response.json())

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
) -> Response[ErrorEnvelope | SlotOutPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    resources: None | str | Unset = UNSET,
    duration: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> Response[ErrorEnvelope | SlotOutPage]:
    """Free slots where ALL the resources are open and free (buffers and rules honoured). Slot starts lie
    on multiples of the granularity from the Unix epoch (UTC); the window is at most 62 days; at most 20
    resources

    Args:
        resources (None | str | Unset): comma-separated resource ids
        duration (None | str | Unset): ISO 8601, e.g. PT90M
        from_ (None | str | Unset): RFC 3339 with an offset
        to (None | str | Unset): RFC 3339 with an offset
        granularity (None | str | Unset): ISO 8601, default PT15M, at least PT5M
        limit (int | None | Unset): slots returned, default 200, at most 2000

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SlotOutPage]
    """

    kwargs = _get_kwargs(
        resources=resources,
        duration=duration,
        from_=from_,
        to=to,
        granularity=granularity,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    resources: None | str | Unset = UNSET,
    duration: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> ErrorEnvelope | SlotOutPage | None:
    """Free slots where ALL the resources are open and free (buffers and rules honoured). Slot starts lie
    on multiples of the granularity from the Unix epoch (UTC); the window is at most 62 days; at most 20
    resources

    Args:
        resources (None | str | Unset): comma-separated resource ids
        duration (None | str | Unset): ISO 8601, e.g. PT90M
        from_ (None | str | Unset): RFC 3339 with an offset
        to (None | str | Unset): RFC 3339 with an offset
        granularity (None | str | Unset): ISO 8601, default PT15M, at least PT5M
        limit (int | None | Unset): slots returned, default 200, at most 2000

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SlotOutPage
    """

    return sync_detailed(
        client=client,
        resources=resources,
        duration=duration,
        from_=from_,
        to=to,
        granularity=granularity,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    resources: None | str | Unset = UNSET,
    duration: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> Response[ErrorEnvelope | SlotOutPage]:
    """Free slots where ALL the resources are open and free (buffers and rules honoured). Slot starts lie
    on multiples of the granularity from the Unix epoch (UTC); the window is at most 62 days; at most 20
    resources

    Args:
        resources (None | str | Unset): comma-separated resource ids
        duration (None | str | Unset): ISO 8601, e.g. PT90M
        from_ (None | str | Unset): RFC 3339 with an offset
        to (None | str | Unset): RFC 3339 with an offset
        granularity (None | str | Unset): ISO 8601, default PT15M, at least PT5M
        limit (int | None | Unset): slots returned, default 200, at most 2000

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SlotOutPage]
    """

    kwargs = _get_kwargs(
        resources=resources,
        duration=duration,
        from_=from_,
        to=to,
        granularity=granularity,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    resources: None | str | Unset = UNSET,
    duration: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    granularity: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> ErrorEnvelope | SlotOutPage | None:
    """Free slots where ALL the resources are open and free (buffers and rules honoured). Slot starts lie
    on multiples of the granularity from the Unix epoch (UTC); the window is at most 62 days; at most 20
    resources

    Args:
        resources (None | str | Unset): comma-separated resource ids
        duration (None | str | Unset): ISO 8601, e.g. PT90M
        from_ (None | str | Unset): RFC 3339 with an offset
        to (None | str | Unset): RFC 3339 with an offset
        granularity (None | str | Unset): ISO 8601, default PT15M, at least PT5M
        limit (int | None | Unset): slots returned, default 200, at most 2000

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SlotOutPage
    """

    return (
        await asyncio_detailed(
            client=client,
            resources=resources,
            duration=duration,
            from_=from_,
            to=to,
            granularity=granularity,
            limit=limit,
        )
    ).parsed
