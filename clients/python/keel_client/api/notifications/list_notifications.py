from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.list_notifications_status_type_0 import ListNotificationsStatusType0
from ...models.notification_delivery_out_page import NotificationDeliveryOutPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListNotificationsStatusType0 | None | Unset = UNSET,
    campaign_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListNotificationsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_campaign_id: None | str | Unset
    if isinstance(campaign_id, Unset):
        json_campaign_id = UNSET
    elif isinstance(campaign_id, UUID):
        json_campaign_id = str(campaign_id)
    else:
        json_campaign_id = campaign_id
    params["campaign_id"] = json_campaign_id

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/notifications",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | NotificationDeliveryOutPage | None:
    if response.status_code == 200:
        response_200 = NotificationDeliveryOutPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[ErrorEnvelope | NotificationDeliveryOutPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListNotificationsStatusType0 | None | Unset = UNSET,
    campaign_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | NotificationDeliveryOutPage]:
    """The tenant's notifications, newest first

    Args:
        status (ListNotificationsStatusType0 | None | Unset): only deliveries in this status
        campaign_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | NotificationDeliveryOutPage]
    """

    kwargs = _get_kwargs(
        status=status,
        campaign_id=campaign_id,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListNotificationsStatusType0 | None | Unset = UNSET,
    campaign_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | NotificationDeliveryOutPage | None:
    """The tenant's notifications, newest first

    Args:
        status (ListNotificationsStatusType0 | None | Unset): only deliveries in this status
        campaign_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | NotificationDeliveryOutPage
    """

    return sync_detailed(
        client=client,
        status=status,
        campaign_id=campaign_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListNotificationsStatusType0 | None | Unset = UNSET,
    campaign_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | NotificationDeliveryOutPage]:
    """The tenant's notifications, newest first

    Args:
        status (ListNotificationsStatusType0 | None | Unset): only deliveries in this status
        campaign_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | NotificationDeliveryOutPage]
    """

    kwargs = _get_kwargs(
        status=status,
        campaign_id=campaign_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListNotificationsStatusType0 | None | Unset = UNSET,
    campaign_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | NotificationDeliveryOutPage | None:
    """The tenant's notifications, newest first

    Args:
        status (ListNotificationsStatusType0 | None | Unset): only deliveries in this status
        campaign_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | NotificationDeliveryOutPage
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            campaign_id=campaign_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
