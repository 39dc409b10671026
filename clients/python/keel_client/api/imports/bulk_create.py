from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bulk_create_on_duplicate import BulkCreateOnDuplicate
from ...models.bulk_in import BulkIn
from ...models.error_envelope import ErrorEnvelope
from ...models.item_result_page import ItemResultPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    type_name: str,
    *,
    body: BulkIn,
    atomic: bool | Unset = False,
    on_duplicate: BulkCreateOnDuplicate | Unset = BulkCreateOnDuplicate.REJECT,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["atomic"] = atomic

    json_on_duplicate: str | Unset = UNSET
    if not isinstance(on_duplicate, Unset):
        json_on_duplicate = on_duplicate.value

    params["on_duplicate"] = json_on_duplicate

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/entities/{type_name}/bulk".format(
            type_name=quote(str(type_name), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | ItemResultPage | None:
    if response.status_code == 200:
        response_200 = ItemResultPage.from_dict(response.json())

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
) -> Response[ErrorEnvelope | ItemResultPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: BulkIn,
    atomic: bool | Unset = False,
    on_duplicate: BulkCreateOnDuplicate | Unset = BulkCreateOnDuplicate.REJECT,
) -> Response[ErrorEnvelope | ItemResultPage]:
    """Create many records. Up to 1,000 items, a result per item in order. Default: each item alone (the
    good ones are written, HTTP 200, meta counts them); atomic=true: all or nothing (any bad item → 422
    with every item's result in details.results, nothing written).

    Args:
        type_name (str):
        atomic (bool | Unset): all or nothing Default: False.
        on_duplicate (BulkCreateOnDuplicate | Unset): allow: create even when similar records
            exist Default: BulkCreateOnDuplicate.REJECT.
        body (BulkIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ItemResultPage]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        body=body,
        atomic=atomic,
        on_duplicate=on_duplicate,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: BulkIn,
    atomic: bool | Unset = False,
    on_duplicate: BulkCreateOnDuplicate | Unset = BulkCreateOnDuplicate.REJECT,
) -> ErrorEnvelope | ItemResultPage | None:
    """Create many records. Up to 1,000 items, a result per item in order. Default: each item alone (the
    good ones are written, HTTP 200, meta counts them); atomic=true: all or nothing (any bad item → 422
    with every item's result in details.results, nothing written).

    Args:
        type_name (str):
        atomic (bool | Unset): all or nothing Default: False.
        on_duplicate (BulkCreateOnDuplicate | Unset): allow: create even when similar records
            exist Default: BulkCreateOnDuplicate.REJECT.
        body (BulkIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ItemResultPage
    """

    return sync_detailed(
        type_name=type_name,
        client=client,
        body=body,
        atomic=atomic,
        on_duplicate=on_duplicate,
    ).parsed


async def asyncio_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: BulkIn,
    atomic: bool | Unset = False,
    on_duplicate: BulkCreateOnDuplicate | Unset = BulkCreateOnDuplicate.REJECT,
) -> Response[ErrorEnvelope | ItemResultPage]:
    """Create many records. Up to 1,000 items, a result per item in order. Default: each item alone (the
    good ones are written, HTTP 200, meta counts them); atomic=true: all or nothing (any bad item → 422
    with every item's result in details.results, nothing written).

    Args:
        type_name (str):
        atomic (bool | Unset): all or nothing Default: False.
        on_duplicate (BulkCreateOnDuplicate | Unset): allow: create even when similar records
            exist Default: BulkCreateOnDuplicate.REJECT.
        body (BulkIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ItemResultPage]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        body=body,
        atomic=atomic,
        on_duplicate=on_duplicate,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: BulkIn,
    atomic: bool | Unset = False,
    on_duplicate: BulkCreateOnDuplicate | Unset = BulkCreateOnDuplicate.REJECT,
) -> ErrorEnvelope | ItemResultPage | None:
    """Create many records. Up to 1,000 items, a result per item in order. Default: each item alone (the
    good ones are written, HTTP 200, meta counts them); atomic=true: all or nothing (any bad item → 422
    with every item's result in details.results, nothing written).

    Args:
        type_name (str):
        atomic (bool | Unset): all or nothing Default: False.
        on_duplicate (BulkCreateOnDuplicate | Unset): allow: create even when similar records
            exist Default: BulkCreateOnDuplicate.REJECT.
        body (BulkIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ItemResultPage
    """

    return (
        await asyncio_detailed(
            type_name=type_name,
            client=client,
            body=body,
            atomic=atomic,
            on_duplicate=on_duplicate,
        )
    ).parsed
