from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.user_out_envelope import UserOutEnvelope
from ...models.user_update import UserUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    user_id: UUID,
    *,
    body: UserUpdate,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/users/{user_id}".format(
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | UserOutEnvelope | None:
    if response.status_code == 200:
        response_200 = UserOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | UserOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UserUpdate,
    if_match: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | UserOutEnvelope]:
    """Change a user's name, roles (replaced as a whole) or is_active

     Needs `users:write`, and every permission the user holds (403 `forbidden` with `details.missing`
    otherwise: a user manager cannot change an admin). New roles follow the rule of `POST /users`: only
    roles whose permissions the caller holds. Taking roles away or `is_active: false` applies to the
    user's tokens and API keys from the next request. The tenant's last active admin stays one (409).

    Args:
        user_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (UserUpdate): What a user manager may change; the caller must hold every permission
            the user holds.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UserOutEnvelope]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UserUpdate,
    if_match: None | str | Unset = UNSET,
) -> ErrorEnvelope | UserOutEnvelope | None:
    """Change a user's name, roles (replaced as a whole) or is_active

     Needs `users:write`, and every permission the user holds (403 `forbidden` with `details.missing`
    otherwise: a user manager cannot change an admin). New roles follow the rule of `POST /users`: only
    roles whose permissions the caller holds. Taking roles away or `is_active: false` applies to the
    user's tokens and API keys from the next request. The tenant's last active admin stays one (409).

    Args:
        user_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (UserUpdate): What a user manager may change; the caller must hold every permission
            the user holds.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UserOutEnvelope
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UserUpdate,
    if_match: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | UserOutEnvelope]:
    """Change a user's name, roles (replaced as a whole) or is_active

     Needs `users:write`, and every permission the user holds (403 `forbidden` with `details.missing`
    otherwise: a user manager cannot change an admin). New roles follow the rule of `POST /users`: only
    roles whose permissions the caller holds. Taking roles away or `is_active: false` applies to the
    user's tokens and API keys from the next request. The tenant's last active admin stays one (409).

    Args:
        user_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (UserUpdate): What a user manager may change; the caller must hold every permission
            the user holds.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UserOutEnvelope]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UserUpdate,
    if_match: None | str | Unset = UNSET,
) -> ErrorEnvelope | UserOutEnvelope | None:
    """Change a user's name, roles (replaced as a whole) or is_active

     Needs `users:write`, and every permission the user holds (403 `forbidden` with `details.missing`
    otherwise: a user manager cannot change an admin). New roles follow the rule of `POST /users`: only
    roles whose permissions the caller holds. Taking roles away or `is_active: false` applies to the
    user's tokens and API keys from the next request. The tenant's last active admin stays one (409).

    Args:
        user_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (UserUpdate): What a user manager may change; the caller must hold every permission
            the user holds.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UserOutEnvelope
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
