from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.relationship_in import RelationshipIn
from ...models.relationship_out_envelope import RelationshipOutEnvelope
from ...types import Response


def _get_kwargs(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    *,
    body: RelationshipIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/entities/{type_}/{entity_id}/relationships/{relation_type}".format(
            type_=quote(str(type_), safe=""),
            entity_id=quote(str(entity_id), safe=""),
            relation_type=quote(str(relation_type), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RelationshipOutEnvelope | None:
    if response.status_code == 201:
        response_201 = RelationshipOutEnvelope.from_dict(response.json())

        return response_201

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
    *,
    client: AuthenticatedClient,
    body: RelationshipIn,
) -> Response[ErrorEnvelope | RelationshipOutEnvelope]:
    """Relate this record (the source) to target_id. 404 names the missing end; 422 when the relation type
    does not allow the ends' types, the attributes do not fit its schema, or the target is the record
    itself; 409 cardinality_violation

    Args:
        type_ (str):
        entity_id (UUID):
        relation_type (str):
        body (RelationshipIn):

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
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    *,
    client: AuthenticatedClient,
    body: RelationshipIn,
) -> ErrorEnvelope | RelationshipOutEnvelope | None:
    """Relate this record (the source) to target_id. 404 names the missing end; 422 when the relation type
    does not allow the ends' types, the attributes do not fit its schema, or the target is the record
    itself; 409 cardinality_violation

    Args:
        type_ (str):
        entity_id (UUID):
        relation_type (str):
        body (RelationshipIn):

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
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    *,
    client: AuthenticatedClient,
    body: RelationshipIn,
) -> Response[ErrorEnvelope | RelationshipOutEnvelope]:
    """Relate this record (the source) to target_id. 404 names the missing end; 422 when the relation type
    does not allow the ends' types, the attributes do not fit its schema, or the target is the record
    itself; 409 cardinality_violation

    Args:
        type_ (str):
        entity_id (UUID):
        relation_type (str):
        body (RelationshipIn):

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
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_: str,
    entity_id: UUID,
    relation_type: str,
    *,
    client: AuthenticatedClient,
    body: RelationshipIn,
) -> ErrorEnvelope | RelationshipOutEnvelope | None:
    """Relate this record (the source) to target_id. 404 names the missing end; 422 when the relation type
    does not allow the ends' types, the attributes do not fit its schema, or the target is the record
    itself; 409 cardinality_violation

    Args:
        type_ (str):
        entity_id (UUID):
        relation_type (str):
        body (RelationshipIn):

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
            client=client,
            body=body,
        )
    ).parsed
