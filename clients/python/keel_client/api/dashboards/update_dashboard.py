from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dashboard_out_envelope import DashboardOutEnvelope
from ...models.dashboard_patch import DashboardPatch
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    dashboard_id: UUID,
    *,
    body: DashboardPatch,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/dashboards/{dashboard_id}".format(
            dashboard_id=quote(str(dashboard_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DashboardOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = DashboardOutEnvelope.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = ErrorEnvelope.from_dict(response.json())

        return response_412

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
) -> Response[DashboardOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    dashboard_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DashboardPatch,
    if_match: None | str | Unset = UNSET,
) -> Response[DashboardOutEnvelope | ErrorEnvelope]:
    """Change a dashboard's name, description or tiles (If-Match guards lost updates)

    Args:
        dashboard_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (DashboardPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DashboardOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        dashboard_id=dashboard_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    dashboard_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DashboardPatch,
    if_match: None | str | Unset = UNSET,
) -> DashboardOutEnvelope | ErrorEnvelope | None:
    """Change a dashboard's name, description or tiles (If-Match guards lost updates)

    Args:
        dashboard_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (DashboardPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DashboardOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        dashboard_id=dashboard_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    dashboard_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DashboardPatch,
    if_match: None | str | Unset = UNSET,
) -> Response[DashboardOutEnvelope | ErrorEnvelope]:
    """Change a dashboard's name, description or tiles (If-Match guards lost updates)

    Args:
        dashboard_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (DashboardPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DashboardOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        dashboard_id=dashboard_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    dashboard_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DashboardPatch,
    if_match: None | str | Unset = UNSET,
) -> DashboardOutEnvelope | ErrorEnvelope | None:
    """Change a dashboard's name, description or tiles (If-Match guards lost updates)

    Args:
        dashboard_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (DashboardPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DashboardOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            dashboard_id=dashboard_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
