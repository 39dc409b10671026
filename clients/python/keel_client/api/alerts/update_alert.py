from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.alert_out_envelope import AlertOutEnvelope
from ...models.alert_patch import AlertPatch
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    alert_id: UUID,
    *,
    body: AlertPatch,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/alerts/{alert_id}".format(
            alert_id=quote(str(alert_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AlertOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AlertOutEnvelope.from_dict(response.json())

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
) -> Response[AlertOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    alert_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AlertPatch,
    if_match: None | str | Unset = UNSET,
) -> Response[AlertOutEnvelope | ErrorEnvelope]:
    """Change an alert; the result is checked whole (If-Match guards lost updates)

    Args:
        alert_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (AlertPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlertOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        alert_id=alert_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    alert_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AlertPatch,
    if_match: None | str | Unset = UNSET,
) -> AlertOutEnvelope | ErrorEnvelope | None:
    """Change an alert; the result is checked whole (If-Match guards lost updates)

    Args:
        alert_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (AlertPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlertOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        alert_id=alert_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    alert_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AlertPatch,
    if_match: None | str | Unset = UNSET,
) -> Response[AlertOutEnvelope | ErrorEnvelope]:
    """Change an alert; the result is checked whole (If-Match guards lost updates)

    Args:
        alert_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (AlertPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlertOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        alert_id=alert_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    alert_id: UUID,
    *,
    client: AuthenticatedClient,
    body: AlertPatch,
    if_match: None | str | Unset = UNSET,
) -> AlertOutEnvelope | ErrorEnvelope | None:
    """Change an alert; the result is checked whole (If-Match guards lost updates)

    Args:
        alert_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (AlertPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlertOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            alert_id=alert_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
