from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.merge_out_envelope import MergeOutEnvelope
from ...models.record_merge_in import RecordMergeIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    type_: str,
    entity_id: UUID,
    *,
    body: RecordMergeIn,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/entities/{type_}/{entity_id}/merge".format(
            type_=quote(str(type_), safe=""),
            entity_id=quote(str(entity_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | MergeOutEnvelope | None:
    if response.status_code == 200:
        response_200 = MergeOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | MergeOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    type_: str,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RecordMergeIn,
    if_match: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | MergeOutEnvelope]:
    """Merge duplicates into this record (strategy: keep_target, prefer_source or fill_empty)

     Merge the records in `from` into this one. Strategies: keep_target: the survivor keeps its values;
    attributes it lacks (absent or null) are filled from the merged records, the first in `from` order
    that has one; prefer_source: the merged records' non-null values win, the first in `from` order
    first; the survivor's value stays where none of them has one; fill_empty: like keep_target, but an
    empty string, list or object on the survivor is filled too. Edges of the merged records move to this
    one (duplicates, self-loops and edges over a cardinality are dropped; this record's own edges win,
    then `from` order); the merged records are soft-deleted with merged_into. 422 merge into itself, 404
    unknown id, 409 already deleted

    Args:
        type_ (str):
        entity_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (RecordMergeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MergeOutEnvelope]
    """

    kwargs = _get_kwargs(
        type_=type_,
        entity_id=entity_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_: str,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RecordMergeIn,
    if_match: None | str | Unset = UNSET,
) -> ErrorEnvelope | MergeOutEnvelope | None:
    """Merge duplicates into this record (strategy: keep_target, prefer_source or fill_empty)

     Merge the records in `from` into this one. Strategies: keep_target: the survivor keeps its values;
    attributes it lacks (absent or null) are filled from the merged records, the first in `from` order
    that has one; prefer_source: the merged records' non-null values win, the first in `from` order
    first; the survivor's value stays where none of them has one; fill_empty: like keep_target, but an
    empty string, list or object on the survivor is filled too. Edges of the merged records move to this
    one (duplicates, self-loops and edges over a cardinality are dropped; this record's own edges win,
    then `from` order); the merged records are soft-deleted with merged_into. 422 merge into itself, 404
    unknown id, 409 already deleted

    Args:
        type_ (str):
        entity_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (RecordMergeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MergeOutEnvelope
    """

    return sync_detailed(
        type_=type_,
        entity_id=entity_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    type_: str,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RecordMergeIn,
    if_match: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | MergeOutEnvelope]:
    """Merge duplicates into this record (strategy: keep_target, prefer_source or fill_empty)

     Merge the records in `from` into this one. Strategies: keep_target: the survivor keeps its values;
    attributes it lacks (absent or null) are filled from the merged records, the first in `from` order
    that has one; prefer_source: the merged records' non-null values win, the first in `from` order
    first; the survivor's value stays where none of them has one; fill_empty: like keep_target, but an
    empty string, list or object on the survivor is filled too. Edges of the merged records move to this
    one (duplicates, self-loops and edges over a cardinality are dropped; this record's own edges win,
    then `from` order); the merged records are soft-deleted with merged_into. 422 merge into itself, 404
    unknown id, 409 already deleted

    Args:
        type_ (str):
        entity_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (RecordMergeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MergeOutEnvelope]
    """

    kwargs = _get_kwargs(
        type_=type_,
        entity_id=entity_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_: str,
    entity_id: UUID,
    *,
    client: AuthenticatedClient,
    body: RecordMergeIn,
    if_match: None | str | Unset = UNSET,
) -> ErrorEnvelope | MergeOutEnvelope | None:
    """Merge duplicates into this record (strategy: keep_target, prefer_source or fill_empty)

     Merge the records in `from` into this one. Strategies: keep_target: the survivor keeps its values;
    attributes it lacks (absent or null) are filled from the merged records, the first in `from` order
    that has one; prefer_source: the merged records' non-null values win, the first in `from` order
    first; the survivor's value stays where none of them has one; fill_empty: like keep_target, but an
    empty string, list or object on the survivor is filled too. Edges of the merged records move to this
    one (duplicates, self-loops and edges over a cardinality are dropped; this record's own edges win,
    then `from` order); the merged records are soft-deleted with merged_into. 422 merge into itself, 404
    unknown id, 409 already deleted

    Args:
        type_ (str):
        entity_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (RecordMergeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MergeOutEnvelope
    """

    return (
        await asyncio_detailed(
            type_=type_,
            entity_id=entity_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
