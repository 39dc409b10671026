from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.relationship_out_envelope import RelationshipOutEnvelope
from ...types import Response


def _get_kwargs(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    target_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/entities/{type_}/{entity_id}/relationships/{relation_type}/{target_id}".format(
            type_=quote(str(type_), safe=""),
            entity_id=quote(str(entity_id), safe=""),
            relation_type=quote(str(relation_type), safe=""),
            target_id=quote(str(target_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RelationshipOutEnvelope | None:
    if response.status_code == 200:
        response_200 = RelationshipOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | RelationshipOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    target_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | RelationshipOutEnvelope]:
    """Remove the edge from this record to target_id; answers the removed edge

    Args:
        type_ (str):
        entity_id (UUID):
        relation_type (str):
        target_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RelationshipOutEnvelope]
    """

    kwargs = _get_kwargs(
        type_=type_,
        entity_id=entity_id,
        relation_type=relation_type,
        target_id=target_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    target_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | RelationshipOutEnvelope | None:
    """Remove the edge from this record to target_id; answers the removed edge

    Args:
        type_ (str):
        entity_id (UUID):
        relation_type (str):
        target_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RelationshipOutEnvelope
    """

    return sync_detailed(
        type_=type_,
        entity_id=entity_id,
        relation_type=relation_type,
        target_id=target_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    target_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | RelationshipOutEnvelope]:
    """Remove the edge from this record to target_id; answers the removed edge

    Args:
        type_ (str):
        entity_id (UUID):
        relation_type (str):
        target_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RelationshipOutEnvelope]
    """

    kwargs = _get_kwargs(
        type_=type_,
        entity_id=entity_id,
        relation_type=relation_type,
        target_id=target_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    target_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | RelationshipOutEnvelope | None:
    """Remove the edge from this record to target_id; answers the removed edge

    Args:
        type_ (str):
        entity_id (UUID):
        relation_type (str):
        target_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RelationshipOutEnvelope
    """

    return (
        await asyncio_detailed(
            type_=type_,
            entity_id=entity_id,
            relation_type=relation_type,
            target_id=target_id,
            client=client,
        )
    ).parsed
