from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.feed_link_out_envelope import FeedLinkOutEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    resource_id: UUID,
    *,
    rotate: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["rotate"] = rotate

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/resources/{resource_id}/calendar-token".format(
            resource_id=quote(str(resource_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | FeedLinkOutEnvelope | None:
    if response.status_code == 200:
        response_200 = FeedLinkOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | FeedLinkOutEnvelope]:
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
    rotate: bool | Unset = False,
) -> Response[ErrorEnvelope | FeedLinkOutEnvelope]:
    """A subscription URL for the resource's feed; it grants that feed only, never expires, and is revoked
    by rotate=true

    Args:
        resource_id (UUID):
        rotate (bool | Unset): revoke every earlier token of this feed (needs write permission)
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | FeedLinkOutEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        rotate=rotate,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    rotate: bool | Unset = False,
) -> ErrorEnvelope | FeedLinkOutEnvelope | None:
    """A subscription URL for the resource's feed; it grants that feed only, never expires, and is revoked
    by rotate=true

    Args:
        resource_id (UUID):
        rotate (bool | Unset): revoke every earlier token of this feed (needs write permission)
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | FeedLinkOutEnvelope
    """

    return sync_detailed(
        resource_id=resource_id,
        client=client,
        rotate=rotate,
    ).parsed


async def asyncio_detailed(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    rotate: bool | Unset = False,
) -> Response[ErrorEnvelope | FeedLinkOutEnvelope]:
    """A subscription URL for the resource's feed; it grants that feed only, never expires, and is revoked
    by rotate=true

    Args:
        resource_id (UUID):
        rotate (bool | Unset): revoke every earlier token of this feed (needs write permission)
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | FeedLinkOutEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        rotate=rotate,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    rotate: bool | Unset = False,
) -> ErrorEnvelope | FeedLinkOutEnvelope | None:
    """A subscription URL for the resource's feed; it grants that feed only, never expires, and is revoked
    by rotate=true

    Args:
        resource_id (UUID):
        rotate (bool | Unset): revoke every earlier token of this feed (needs write permission)
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | FeedLinkOutEnvelope
    """

    return (
        await asyncio_detailed(
            resource_id=resource_id,
            client=client,
            rotate=rotate,
        )
    ).parsed
