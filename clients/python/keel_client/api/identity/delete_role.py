from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.role_out_envelope import RoleOutEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    role_id: UUID,
    *,
    force: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["force"] = force

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/roles/{role_id}".format(
            role_id=quote(str(role_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RoleOutEnvelope | None:
    if response.status_code == 200:
        response_200 = RoleOutEnvelope.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

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
) -> Response[ErrorEnvelope | RoleOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    role_id: UUID,
    *,
    client: AuthenticatedClient,
    force: bool | Unset = False,
) -> Response[ErrorEnvelope | RoleOutEnvelope]:
    """Delete a role (soft); ?force=true first takes it from the users who hold it

     Needs `roles:write` and every permission the role holds (403 `forbidden` with `details.missing`
    otherwise). The `admin` role cannot be deleted (409), nor a role still held by users (409,
    `details.users` counts them) unless `force=true`, which also needs `users:write` and narrows those
    users' access from their next request, in every process. The name may be reused.

    Args:
        role_id (UUID):
        force (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RoleOutEnvelope]
    """

    kwargs = _get_kwargs(
        role_id=role_id,
        force=force,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    role_id: UUID,
    *,
    client: AuthenticatedClient,
    force: bool | Unset = False,
) -> ErrorEnvelope | RoleOutEnvelope | None:
    """Delete a role (soft); ?force=true first takes it from the users who hold it

     Needs `roles:write` and every permission the role holds (403 `forbidden` with `details.missing`
    otherwise). The `admin` role cannot be deleted (409), nor a role still held by users (409,
    `details.users` counts them) unless `force=true`, which also needs `users:write` and narrows those
    users' access from their next request, in every process. The name may be reused.

    Args:
        role_id (UUID):
        force (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RoleOutEnvelope
    """

    return sync_detailed(
        role_id=role_id,
        client=client,
        force=force,
    ).parsed


async def asyncio_detailed(
    role_id: UUID,
    *,
    client: AuthenticatedClient,
    force: bool | Unset = False,
) -> Response[ErrorEnvelope | RoleOutEnvelope]:
    """Delete a role (soft); ?force=true first takes it from the users who hold it

     Needs `roles:write` and every permission the role holds (403 `forbidden` with `details.missing`
    otherwise). The `admin` role cannot be deleted (409), nor a role still held by users (409,
    `details.users` counts them) unless `force=true`, which also needs `users:write` and narrows those
    users' access from their next request, in every process. The name may be reused.

    Args:
        role_id (UUID):
        force (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RoleOutEnvelope]
    """

    kwargs = _get_kwargs(
        role_id=role_id,
        force=force,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    role_id: UUID,
    *,
    client: AuthenticatedClient,
    force: bool | Unset = False,
) -> ErrorEnvelope | RoleOutEnvelope | None:
    """Delete a role (soft); ?force=true first takes it from the users who hold it

     Needs `roles:write` and every permission the role holds (403 `forbidden` with `details.missing`
    otherwise). The `admin` role cannot be deleted (409), nor a role still held by users (409,
    `details.users` counts them) unless `force=true`, which also needs `users:write` and narrows those
    users' access from their next request, in every process. The name may be reused.

    Args:
        role_id (UUID):
        force (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RoleOutEnvelope
    """

    return (
        await asyncio_detailed(
            role_id=role_id,
            client=client,
            force=force,
        )
    ).parsed
