from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.entity_out_envelope import EntityOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    type_name: str,
    entity_id: UUID,
    *,
    include_deleted: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["include_deleted"] = include_deleted

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/entities/{type_name}/{entity_id}".format(
            type_name=quote(str(type_name), safe=""),
            entity_id=quote(str(entity_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EntityOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = EntityOutEnvelope.from_dict(response.json())

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
) -> Response[EntityOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    type_name: str,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    include_deleted: bool | Unset = False,
) -> Response[EntityOutEnvelope | ErrorEnvelope]:
    """Get Entity

    Args:
        type_name (str):
        entity_id (UUID):
        include_deleted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        entity_id=entity_id,
        include_deleted=include_deleted,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_name: str,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    include_deleted: bool | Unset = False,
) -> EntityOutEnvelope | ErrorEnvelope | None:
    """Get Entity

    Args:
        type_name (str):
        entity_id (UUID):
        include_deleted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        type_name=type_name,
        entity_id=entity_id,
        client=client,
        include_deleted=include_deleted,
    ).parsed


async def asyncio_detailed(
    type_name: str,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    include_deleted: bool | Unset = False,
) -> Response[EntityOutEnvelope | ErrorEnvelope]:
    """Get Entity

    Args:
        type_name (str):
        entity_id (UUID):
        include_deleted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        entity_id=entity_id,
        include_deleted=include_deleted,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_name: str,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    include_deleted: bool | Unset = False,
) -> EntityOutEnvelope | ErrorEnvelope | None:
    """Get Entity

    Args:
        type_name (str):
        entity_id (UUID):
        include_deleted (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            type_name=type_name,
            entity_id=entity_id,
            client=client,
            include_deleted=include_deleted,
        )
    ).parsed
